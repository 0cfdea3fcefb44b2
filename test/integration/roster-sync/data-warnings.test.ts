/**
 * IMSE-12 through the whole roster-sync workflow (time-skipping): a ProCapita fixture with two rows
 * for one school and a teaching group name past description/short's 60 characters. The run applies
 * everything, fits the name, and the status query and the status e-mail report both.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildExport, type ProcapitaRows } from '../../../domain/procapita';
import { procapitaReaderConfigSchema } from '../../../domain/procapita/config';
import { repoRoot } from '../../../platform/tools';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import { rosterSyncStatusQuery, rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { ROSTER_SYNC_DATE, rosterSyncWorker } from '../../support/roster-sync-harness';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;
useRosterSyncTestBed(createTimeSkippingEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

const LONG_NAME = 'Matematik 1c för naturvetenskapsprogrammet och teknikprogrammet, grupp A, läsåret 26/27';

/** The small fixture with a second row for its first school and an exported teaching group renamed to 87 characters. */
function fixtureWithProblems(dir: string): { file: string; activityId: string } {
  const rows = JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/procapita/small.json'), 'utf8'),
  ) as ProcapitaRows;
  const first = rows.schools[0]!;
  rows.schools.push({ ...first, schoolName: `${first.schoolName} (gammal rad)` });
  const config = procapitaReaderConfigSchema.parse(
    JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/procapita/small.config.json'), 'utf8')),
  );
  const exported = buildExport(rows, config, ROSTER_SYNC_DATE).export.teachingGroups[0]!;
  const portal = rows.activities.find((a) => a.activityId === exported.id)!;
  portal.activityName = LONG_NAME;
  const file = path.join(dir, 'procapita-with-problems.json');
  writeFileSync(file, JSON.stringify(rows));
  return { file, activityId: portal.activityId };
}

it('[IMSE-12] a duplicate school row and a name too long for IMS Enterprise are warnings in the status query and e-mail; the run applies everything', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'procapita-problems-'));
  try {
    const { file, activityId } = fixtureWithProblems(dir);
    const taskQueue = uniqueTaskQueue('roster-sync');
    const worker = await rosterSyncWorker({
      connection: env.nativeConnection,
      taskQueue,
      itslearning,
      smtp,
      storeDir,
      thresholds: {},
      fixturePath: file,
    });
    const status = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(rosterSyncWorkflow, {
        taskQueue,
        workflowId: `roster-sync-data-warnings-${Date.now()}`,
        args: [{ syncDate: ROSTER_SYNC_DATE }],
      });
      const result = await handle.result();
      expect(result.phase).toBe('applied');
      return handle.query(rosterSyncStatusQuery);
    });
    expect(status.dataWarnings).toEqual({
      warningCount: 2,
      warnings: [
        expect.stringMatching(
          /^ProCapita has 2 school rows with id SKOLA-001 .*the first exported one \(form GR\) is used/,
        ),
        expect.stringMatching(
          new RegExp(
            `^teaching-group teaching-group:${activityId}: name has 87 characters, .* 60 in description/short`,
          ),
        ),
      ],
    });
    const group = itslearning.state.findGroup({ source: 'procapita', id: `teaching-group:${activityId}` });
    expect(group).toMatchObject({ title: `${LONG_NAME.slice(0, 59)}…`, description: LONG_NAME });
    expect(group?.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const mail = await smtp.waitFor((m) => m.subject.includes('applied'), 10_000);
    expect(mail.text).toContain('2 value(s) in the source needed attention');
    expect(mail.text).toContain('ProCapita has 2 school rows with id SKOLA-001');
    expect(mail.text).toContain('name has 87 characters');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
