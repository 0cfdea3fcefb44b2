/**
 * What every time-skipping grade-return test file starts once and resets per test: the test server,
 * the Coachview simulator and the SMTP sink. Registers the jest hooks; `bind` hands the running parts
 * to the file's own variables.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startSmtpSink, type SmtpSink } from '../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../simulators/coachview';
import { createTimeSkippingEnv } from './temporal';

export interface GradeReturnTestBed {
  env: TestWorkflowEnvironment;
  client: Client;
  coachview: CoachviewSimulator;
  smtp: SmtpSink;
}

export function useGradeReturnTestBed(bind: (bed: GradeReturnTestBed) => void): void {
  let bed: Partial<GradeReturnTestBed> = {};
  beforeAll(async () => {
    const env = await createTimeSkippingEnv();
    bed = { env, client: env.client };
    bed.coachview = await startCoachviewSimulator();
    bed.smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
    bind(bed as GradeReturnTestBed);
  });
  afterAll(async () => {
    await bed.coachview?.close();
    await bed.smtp?.close();
    await bed.env?.teardown();
  });
  beforeEach(() => {
    bed.coachview?.reset();
    bed.smtp?.clear();
  });
}
