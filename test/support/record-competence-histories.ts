/**
 * Records the competence lifecycle's histories that CI replays (PLAT-7), on the Temporal dev server
 * (the schedule's sync lists running links through visibility) against the InfoCaption and WinLas
 * simulators, written as proto JSON under test/histories/competences. Run after a deliberate, patched
 * change to a competence workflow:
 *
 *   node dist/test/support/record-competence-histories.js [scenario]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { exportHistory } from '../../client/history';
import { linkCompetences, unlinkCompetences } from '../../client/competences';
import { competenceLinkWorkflowId, type LinkStatus } from '../../domain/competences';
import { repoRoot } from '../../platform/tools';
import { startSmtpSink } from '../../services/smtp-sink';
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../simulators/infocaption';
import { startWinLasSimulator, type WinLasSimulator } from '../../simulators/winlas';
import { competenceSyncWorkflow } from '../../workflows/competence-sync';
import { competenceWorker, waitForLink } from './competences-harness';
import { createDevServerEnv } from './temporal';

const outDir = path.join(repoRoot, 'test/histories/competences');

interface Systems {
  client: Client;
  taskQueue: string;
  infocaption: InfoCaptionSimulator;
  winlas: WinLasSimulator;
}

const seed = ({ infocaption, winlas }: Systems): void => {
  infocaption.reset();
  winlas.reset();
  winlas.seed({
    competences: [
      { id: 'FIRE', name: 'Fire safety', defaultValidityDays: 365 },
      { id: 'NOVAL', name: 'Induction', defaultValidityDays: null },
    ],
  });
  winlas.generate({ persons: 30, skipEvery: 10 });
  infocaption.seed({
    guides: [
      { id: 301, name: 'Fire safety online', type: 14 },
      { id: 302, name: 'Fire drill', type: 18 },
      { id: 303, name: 'Draft', type: 14, published: false },
    ],
  });
  infocaption.generate({ guideIds: [301, 302], participants: 30, failEvery: 7 });
};

const sync = async (
  s: Systems,
  signal: 'sync' | 'reportUnmatched' = 'sync',
  id = `record-${signal}-${Date.now()}`,
) =>
  s.client.workflow.execute(competenceSyncWorkflow, {
    taskQueue: s.taskQueue,
    workflowId: id,
    args: [{ signal }],
  });

const syncAndWait = async (s: Systems, workflowId: string): Promise<LinkStatus> => {
  const before = await waitForLink(s.client, workflowId, () => true);
  await sync(s);
  return waitForLink(s.client, workflowId, (st) => st.sync.runs > before.sync.runs);
};

/** A workflow's latest run, or one run of it by id. */
type Recorded = string | { workflowId: string; runId: string };

/** Each scenario returns the workflow ids (or runs) whose histories it records, by file name. */
const scenarios: Record<string, (s: Systems) => Promise<Record<string, Recorded>>> = {
  async 'backfill-sync-report-unlink'(s) {
    seed(s);
    const input = { guideIds: [301, 302], competenceIds: ['FIRE'] };
    const id = competenceLinkWorkflowId(input);
    await linkCompetences(s.client, input, { taskQueue: s.taskQueue });
    await waitForLink(s.client, id, (st) => st.phase === 'active');
    const user = s.infocaption.state.addUser({
      email: 'late@school.test',
      firstName: 'Late',
      lastName: 'Pass',
    });
    s.winlas.seed({
      persons: [{ id: 'P-LATE', email: 'late@school.test', firstName: 'Late', lastName: 'Pass' }],
    });
    s.infocaption.state.addResult({ guideId: 301, userId: user.userId, completedAt: '2026-11-01T10:00:00Z' });
    await syncAndWait(s, id);
    await sync(s, 'reportUnmatched', 'record-report');
    await waitForLink(s.client, id, (st) => st.lastUnmatchedReport !== null);
    await unlinkCompetences(s.client, id, 'ops@school.test');
    await s.client.workflow.getHandle(id).result();
    return { 'backfill-sync-report-unlink': id, 'schedule-report-unmatched': 'record-report' };
  },
  async 'continued-as-new'(s) {
    const { id, firstRunId, lastRunId } = await continueAsNewThenUnlink(s);
    return {
      'continued-as-new': { workflowId: id, runId: firstRunId },
      'continued-as-new-resumed': { workflowId: id, runId: lastRunId },
    };
  },
  /** The resumed run reads the unmatched sample back from the store (patch competence-link-unmatched-sample-from-store). */
  async 'continued-as-new-sample-from-store'(s) {
    const { id, lastRunId } = await continueAsNewThenUnlink(s);
    return { 'continued-as-new-sample-from-store': { workflowId: id, runId: lastRunId } };
  },
  async refused(s) {
    seed(s);
    const input = { guideIds: [303], competenceIds: ['NOVAL'] };
    await linkCompetences(s.client, input, { taskQueue: s.taskQueue });
    return { refused: competenceLinkWorkflowId(input) };
  },
  async 'stale-course'(s) {
    seed(s);
    const input = { guideIds: [302], competenceIds: ['FIRE'] };
    const id = competenceLinkWorkflowId(input);
    await linkCompetences(s.client, input, { taskQueue: s.taskQueue });
    await waitForLink(s.client, id, (st) => st.phase === 'active');
    s.infocaption.state.deleteGuide(302);
    await syncAndWait(s, id);
    await unlinkCompetences(s.client, id);
    await s.client.workflow.getHandle(id).result();
    return { 'stale-course': id };
  },
};

/** A link with an unmatched participant that continues as new after a few syncs; the resumed run syncs, reports and is unlinked. */
async function continueAsNewThenUnlink(
  s: Systems,
): Promise<{ id: string; firstRunId: string; lastRunId: string }> {
  seed(s);
  const input = { guideIds: [301], competenceIds: ['FIRE'] };
  const id = competenceLinkWorkflowId(input);
  const handle = s.client.workflow.getHandle(id);
  // The smallest threshold: the first run continues as new after its backfill and a sync or two.
  await linkCompetences(s.client, { ...input, continueAsNewAfterEvents: 50 }, { taskQueue: s.taskQueue });
  let status = await waitForLink(s.client, id, (st) => st.phase === 'active');
  const firstRunId = status.backfillId;
  // A pass without a WinLas person: unmatched, retried on every sync and reported.
  const nobody = s.infocaption.state.addUser({
    email: 'nobody@school.test',
    firstName: 'No',
    lastName: 'Body',
  });
  s.infocaption.state.addResult({
    guideId: 301,
    userId: nobody.userId,
    completedAt: '2026-01-01T09:00:00Z',
  });
  for (let i = 1; status.runs === 1; i++) {
    if (i > 10) throw new Error('the link did not continue as new');
    const email = `late-${i}@school.test`;
    const user = s.infocaption.state.addUser({ email, firstName: 'Late', lastName: `Pass ${i}` });
    s.winlas.seed({ persons: [{ id: `P-LATE-${i}`, email, firstName: 'Late', lastName: `Pass ${i}` }] });
    s.infocaption.state.addResult({
      guideId: 301,
      userId: user.userId,
      completedAt: `2026-0${i}-01T10:00:00Z`,
    });
    const before = status;
    await handle.signal('sync');
    status = await waitForLink(s.client, id, (st) => st.sync.runs > before.sync.runs);
  }
  // The resumed run syncs, reports the unmatched and is unlinked.
  const before = status;
  await handle.signal('sync');
  await waitForLink(s.client, id, (st) => st.sync.runs > before.sync.runs);
  await handle.signal('reportUnmatched');
  await waitForLink(s.client, id, (st) => st.lastUnmatchedReport !== null);
  await unlinkCompetences(s.client, id, 'ops@school.test');
  const last = await handle.describe();
  await handle.result();
  return { id, firstRunId, lastRunId: last.runId };
}

async function main(only = process.argv[2]): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await createDevServerEnv();
  const infocaption = await startInfoCaptionSimulator({ rateLimitPerSecond: null });
  const winlas = await startWinLasSimulator({ rateLimitPerSecond: null });
  const smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  const storeDir = mkdtempSync(path.join(tmpdir(), 'competence-record-'));
  const taskQueue = 'competences-record';
  const worker = await competenceWorker({
    connection: env.nativeConnection,
    taskQueue,
    infocaption,
    winlas,
    smtp,
    storeDir,
  });
  try {
    await worker.runUntil(async () => {
      for (const [name, run] of Object.entries(scenarios)) {
        if (only && only !== name) continue;
        const ids = await run({ client: env.client, taskQueue, infocaption, winlas });
        for (const [file, recorded] of Object.entries(ids)) {
          const { workflowId, runId } =
            typeof recorded === 'string' ? { workflowId: recorded, runId: undefined } : recorded;
          const events = await exportHistory(
            env.client,
            workflowId,
            path.join(outDir, `${file}.json`),
            runId,
          );
          console.log(`recorded ${file}: ${events} events`);
        }
      }
    });
  } finally {
    await infocaption.close();
    await winlas.close();
    await smtp.close();
    await env.teardown();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
