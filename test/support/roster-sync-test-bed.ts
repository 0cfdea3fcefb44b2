/**
 * What every roster-sync workflow test file starts once and resets per test: a Temporal test
 * environment (time-skipping or dev server), the itslearning simulator, the SMTP sink and a scratch
 * store folder. Registers the jest hooks; `bind` hands the running parts to the file's own variables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startSmtpSink, type SmtpSink } from '../../services/smtp-sink';
import { startItslearningSimulator, type ItslearningSimulator } from '../../simulators/itslearning';

export interface RosterSyncTestBed {
  env: TestWorkflowEnvironment;
  itslearning: ItslearningSimulator;
  smtp: SmtpSink;
  storeDir: string;
}

export function useRosterSyncTestBed(
  createEnv: () => Promise<TestWorkflowEnvironment>,
  bind: (bed: RosterSyncTestBed) => void,
): void {
  let bed: Partial<RosterSyncTestBed> = {};
  beforeAll(async () => {
    bed = { env: await createEnv() };
    bed.itslearning = await startItslearningSimulator({ syncKeySource: 'procapita' });
    bed.smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
    bed.storeDir = mkdtempSync(path.join(tmpdir(), 'roster-store-'));
    bind(bed as RosterSyncTestBed);
  });
  afterAll(async () => {
    await bed.itslearning?.close();
    await bed.smtp?.close();
    await bed.env?.teardown();
    if (bed.storeDir) rmSync(bed.storeDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    bed.itslearning?.state.reset();
    bed.itslearning?.importer.reset();
    bed.smtp?.clear();
  });
}
