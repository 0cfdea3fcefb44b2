/**
 * Grade return against the Coachview simulator on the time-skipping test server: one registration
 * whatever is lost on the way (CV-7), ambiguous matching refused (CV-5), the approval date in the
 * e-learning system's time zone (CV-2), retryNow kept and the attempt's timeout (CV-4).
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { DEFAULT_TIMEOUT_MS } from '../../../adapters/coachview/limits';
import { ATTEMPT_MAX_CALLS, ATTEMPT_START_TO_CLOSE_MS } from '../../../domain/grade-return';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { CoachviewSimulator } from '../../../simulators/coachview';
import { gradeReturnStatusQuery, retryNowSignal } from '../../../workflows/grade-return';
import { completionMaker, useGradeReturnTestBed } from '../../support/grade-return-test-bed';

let coachview: CoachviewSimulator;
let smtp: SmtpSink;

const runs = useGradeReturnTestBed((bed) => ({ coachview, smtp } = bed));

const completion = completionMaker({ learner: 'once', course: 'course-once' }, '8.5');
const withWorker = <T>(fn: (taskQueue: string, worker: Worker) => Promise<T>): Promise<T> =>
  runs.withWorker('grade-return-once', fn);
const start = runs.start;

function attemptEvents(history: temporal.api.history.v1.IHistory) {
  return (history.events ?? []).filter((e) =>
    e.activityTaskScheduledEventAttributes?.activityType?.name?.startsWith('attemptGradeReturn'),
  );
}

function eventMs(e: temporal.api.history.v1.IHistoryEvent): number {
  return Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
}

const person = (id: string, externalId?: string) => ({
  id,
  externalId,
  firstName: 'Anna',
  lastName: 'de Vries',
  email: `${id}@learner.test`,
});

it('[CV-7] two open components and a push processed but answered 503: the retry registers nothing twice', async () => {
  const c = completion();
  coachview.seed({
    persons: [person(c.learnerId)],
    enrolments: [
      { componentId: 'ec-a', personId: c.learnerId, trainingId: 'T-1', elearningCourseId: c.courseId },
      { componentId: 'ec-b', personId: c.learnerId, trainingId: 'T-2', elearningCourseId: c.courseId },
    ],
  });
  coachview.faults({ failNext: { count: 1, status: 503, on: 'push', afterProcessing: true } });

  const result = await withWorker(async (taskQueue) => (await start(c, taskQueue)).result());

  expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
  const components = coachview.state().enrolments.filter((e) => e.personId === c.learnerId);
  expect(components.filter((e) => e.result !== undefined).map((e) => e.componentId)).toEqual(['ec-a']);
  expect(components.find((e) => e.componentId === 'ec-b')).toMatchObject({ locked: false, presence: false });
  expect(coachview.pushLog().map((p) => [p.status, p.componentId])).toEqual([[503, 'ec-a']]);
});

it('[CV-5] a learner id that is one person’s id and another’s external id is refused at once, registered on neither', async () => {
  // Not a substring of the course id, so the message check below means something.
  const c = completion({ learnerId: 'P-ambiguous' });
  coachview.seed({
    persons: [person(c.learnerId), person('P-other', c.learnerId)],
    enrolments: [
      { personId: c.learnerId, trainingId: 'T-1', elearningCourseId: c.courseId },
      { personId: 'P-other', trainingId: 'T-1', elearningCourseId: c.courseId },
    ],
  });

  const { failure, status } = await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue);
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    return { failure, status: await handle.query(gradeReturnStatusQuery) };
  });

  // Not retried tomorrow: another day cannot tell which person the grade belongs to.
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe('GradeReturnRefused');
  expect(cause?.message).toContain('the learner id matches 2 persons');
  expect(cause?.message).not.toContain(c.learnerId);
  expect(status).toMatchObject({ phase: 'refused', attemptsMade: 1 });
  expect(status.lastAnswer).toMatchObject({ outcome: 'rejected', failureType: 'Coachview.AmbiguousLearner' });
  expect(status.lastAnswer?.detail).not.toContain('P-other');
  expect(coachview.pushLog()).toHaveLength(0);
  expect(coachview.state().enrolments.every((e) => e.result === undefined)).toBe(true);
  const mail = await smtp.waitFor((m) => m.subject.includes(c.learnerId), 10_000);
  expect(mail.subject).toBe(`Grade return refused: moodle course ${c.courseId}, learner ${c.learnerId}`);
  expect(smtp.messages().filter((m) => m.subject.includes(c.learnerId))).toHaveLength(1);
});

it('[CV-2] a course completed after midnight in the Netherlands is approved on that Dutch day', async () => {
  const c = completion({ completedAt: '2026-11-02T23:30:00Z' }); // 00:30 on 3 November in Amsterdam
  coachview.seed({
    persons: [person(c.learnerId)],
    enrolments: [{ personId: c.learnerId, trainingId: 'T-1', elearningCourseId: c.courseId }],
  });

  await withWorker(async (taskQueue) => (await start(c, taskQueue)).result());

  const component = coachview.state().enrolments.find((e) => e.personId === c.learnerId);
  expect(component?.trainingRequestComponent.approvalDate).toBe('2026-11-03');
});

it('[CV-4] a retryNow sent during an attempt is kept: the next attempt follows at once', async () => {
  const c = completion(); // unknown to Coachview: every attempt is "not recognized"
  coachview.faults({ latencyMs: 800 });

  const history = await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue, 2);
    const status = await handle.query(gradeReturnStatusQuery);
    expect(status).toMatchObject({ phase: 'attempting', attemptsMade: 0 });
    await handle.signal(retryNowSignal);
    await handle.result().catch(() => undefined);
    return handle.fetchHistory();
  });

  const times = attemptEvents(history).map(eventMs);
  expect(times).toHaveLength(2);
  expect((times[1] ?? 0) - (times[0] ?? 0)).toBeLessThan(60_000);
});

it('[CV-4] an attempt may take every call it makes at the adapter’s per-call timeout', async () => {
  const c = completion();
  coachview.seed({
    persons: [person(c.learnerId)],
    enrolments: [{ personId: c.learnerId, trainingId: 'T-1', elearningCourseId: c.courseId }],
  });

  const history = await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue);
    await handle.result();
    return handle.fetchHistory();
  });

  const scheduled = attemptEvents(history)[0]?.activityTaskScheduledEventAttributes;
  const startToCloseMs = Number(scheduled?.startToCloseTimeout?.seconds ?? 0) * 1000;
  expect(startToCloseMs).toBe(ATTEMPT_START_TO_CLOSE_MS);
  expect(startToCloseMs).toBeGreaterThanOrEqual(ATTEMPT_MAX_CALLS * DEFAULT_TIMEOUT_MS);
  expect(ATTEMPT_MAX_CALLS).toBeGreaterThanOrEqual(7); // lookup 3, push 1, lookup again 3
});
