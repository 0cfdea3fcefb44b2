/**
 * Days that are not attempts (CV-6), on the time-skipping server against the Coachview simulator: refused
 * credentials and malformed answers use none of the 30 daily attempts; the grade return waits and
 * registers once Coachview answers again.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Secret } from '../../../platform/secret';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { CoachviewSimulator } from '../../../simulators/coachview';
import { gradeReturnStatusQuery } from '../../../workflows/grade-return';
import { enrolledLearner, gradeReturnWorker } from '../../support/grade-return-harness';
import { completionMaker, useGradeReturnTestBed } from '../../support/grade-return-test-bed';
import { uniqueTaskQueue } from '../../support/temporal';

const DAY_MS = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let client: Client;
let coachview: CoachviewSimulator;
let smtp: SmtpSink;

const runs = useGradeReturnTestBed((bed) => ({ env, client, coachview, smtp } = bed));

const completion = completionMaker({ learner: 'learner-nc', course: 'course-nc' }, '8.5');

/** The worker's API client secret, changed by the test as an operator would rotate it. */
class RotatingSecret extends Secret {
  value = 'local-client-secret';
  constructor() {
    super('');
  }
  override reveal(): string {
    return this.value;
  }
}

function worker(taskQueue: string, clientSecret?: Secret) {
  return gradeReturnWorker({
    connection: env.nativeConnection,
    client,
    taskQueue,
    coachview,
    smtp,
    ...(clientSecret ? { clientSecret } : {}),
  });
}

const start = runs.start;

it('[CV-6] 31 days of 401 (rotated credentials) use no daily attempt; with new credentials the known learner registers at attempt 1', async () => {
  const c = completion();
  const taskQueue = uniqueTaskQueue('grade-return-nc');
  coachview.seed(enrolledLearner(c.learnerId, c.courseId));
  const secret = new RotatingSecret();
  secret.value = 'secret-before-rotation';
  const handle = await start(c, taskQueue);
  await (
    await worker(taskQueue, secret)
  ).runUntil(async () => {
    await env.sleep(31 * DAY_MS);
    const status = await handle.query(gradeReturnStatusQuery);
    expect(status).toMatchObject({ phase: 'waiting-for-retry', attemptsMade: 0 });
    expect(status.notCountedTotal).toBeGreaterThanOrEqual(31);
    expect(status.notCounted?.at(-1)).toMatchObject({
      outcome: 'rejected',
      failureType: 'Coachview.Unauthorized',
      notCounted: 'credentials-refused',
    });
    expect(status.notCountedSince).toEqual(expect.any(String));
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain("Coachview refused the API client's credentials since");
    expect(metadata.currentDetails).toContain('not counted');
    expect(metadata.currentDetails).toContain('Daily attempts used: 0 of 30');

    secret.value = 'local-client-secret';
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
  });
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
  // No give-up e-mail; the platform-wide problem is reported once, by the Coachview incident.
  expect(smtp.messages().filter((m) => !m.subject.startsWith('Coachview incident'))).toHaveLength(0);
  expect(smtp.messages().filter((m) => m.subject.startsWith('Coachview incident:'))).toHaveLength(1);
});

it('[CV-6] 31 days of malformed answers use no daily attempt; once Coachview answers properly the learner registers', async () => {
  const c = completion();
  const taskQueue = uniqueTaskQueue('grade-return-nc');
  coachview.seed(enrolledLearner(c.learnerId, c.courseId));
  coachview.faults({ malformedNext: { count: 10_000, on: 'api' } });
  const handle = await start(c, taskQueue);
  await (
    await worker(taskQueue)
  ).runUntil(async () => {
    await env.sleep(31 * DAY_MS);
    const status = await handle.query(gradeReturnStatusQuery);
    expect(status).toMatchObject({ phase: 'waiting-for-retry', attemptsMade: 0 });
    expect(status.notCountedTotal).toBeGreaterThanOrEqual(31);
    expect(status.notCounted?.at(-1)?.notCounted).toBe('malformed-answer');

    coachview.faults({ malformedNext: null });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
  });
  expect(smtp.messages().filter((m) => !m.subject.startsWith('Coachview incident'))).toHaveLength(0);
  expect(smtp.messages().filter((m) => m.subject.startsWith('Coachview incident:'))).toHaveLength(1);
});
