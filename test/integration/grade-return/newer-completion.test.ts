/**
 * A newer completion replaces a waiting grade return's pending grade (CV-7), through the starter's
 * signal-with-start and through the intake; an older one does not; after the registration nothing
 * changes and nothing starts (CV-1, CV-3). Time-skipping server, Coachview simulator over HTTP.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { gradeReturnStarter } from '../../../client/grade-return';
import type { Completion, GradeReturnStatus } from '../../../domain/grade-return';
import { gradeReturnWorkflowId } from '../../../platform/names';
import { Secret } from '../../../platform/secret';
import { repoRoot } from '../../../platform/tools';
import { startIntakeServer } from '../../../services/intake';
import type { CoachviewSimulator } from '../../../simulators/coachview';
import { gradeReturnStatusQuery } from '../../../workflows/grade-return';
import { enrolledLearner } from '../../support/grade-return-harness';
import { completionMaker, useGradeReturnTestBed } from '../../support/grade-return-test-bed';

jest.setTimeout(120_000);

const DAY_MS = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let client: Client;
let coachview: CoachviewSimulator;

const runs = useGradeReturnTestBed((bed) => ({ env, client, coachview } = bed));

const completion = completionMaker({ learner: 'newer-learner', course: 'newer-course' }, '5.0');
const withWorker = <T>(fn: (taskQueue: string) => Promise<T>): Promise<T> =>
  runs.withWorker('grade-return-newer', fn);

function handleOf(c: Completion): WorkflowHandle {
  return client.workflow.getHandle(gradeReturnWorkflowId(c.source, c.courseId, c.learnerId));
}

async function waitFor(
  handle: WorkflowHandle,
  ok: (s: GradeReturnStatus) => boolean,
  what: string,
): Promise<GradeReturnStatus> {
  for (let i = 0; i < 300; i++) {
    const status = await handle.query(gradeReturnStatusQuery);
    if (ok(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`grade return did not reach: ${what}`);
}

const waiting = (n: number) => (s: GradeReturnStatus) =>
  s.phase === 'waiting-for-retry' && s.attemptsMade >= n;

async function currentDetailsOf(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

function component(c: Completion) {
  return coachview.state().enrolments.find((e) => e.personId === c.learnerId);
}

it('[CV-7][CV-1] a waiting grade return given a newer completion registers the newer grade and date at the next attempt', async () => {
  const first = completion({ grade: '5.0', completedAt: '2026-11-02T14:30:00Z' });
  const newer = { ...first, grade: '8.0', completedAt: '2026-11-09T10:00:00+01:00' };
  await withWorker(async (taskQueue) => {
    const start = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
    expect(await start(first)).toBe('started');
    const handle = handleOf(first);
    const runId = (await handle.describe()).runId;
    await waitFor(handle, waiting(1), 'waiting after attempt 1');

    expect(await start(newer)).toBe('duplicate');
    const status = await waitFor(handle, (s) => s.replacements.length === 1, 'the replacement');
    expect(status.completion).toEqual({ grade: '8.0', completedAt: newer.completedAt });
    expect(status.replacements[0]).toMatchObject({ decision: 'replace', forAttempt: 2 });
    expect(status.phase).toBe('waiting-for-retry');
    const details = await currentDetailsOf(handle);
    expect(details).toContain('replaced the pending grade, returned from attempt 2');
    for (const personal of [first.learnerId, '8.0', '5.0', '2026-11-09', '2026-11-02'])
      expect(details).not.toContain(personal);

    // The replacement waits for the next daily attempt; it does not attempt at once.
    coachview.seed(enrolledLearner(first.learnerId, first.courseId));
    await env.sleep(DAY_MS / 2);
    expect((await handle.query(gradeReturnStatusQuery)).attemptsMade).toBe(1);
    expect(await handle.result()).toMatchObject({ outcome: 'registered', attemptsMade: 2 });
    expect((await handle.describe()).runId).toBe(runId);
  });
  expect(component(first)).toMatchObject({
    result: '8.0',
    trainingRequestComponent: { approvalDate: '2026-11-09' },
  });
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
});

it('[CV-7] an older completion, or the same one again, does not replace the pending grade', async () => {
  const first = completion({ grade: '7.5', completedAt: '2026-11-05T09:00:00Z' });
  await withWorker(async (taskQueue) => {
    const start = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
    expect(await start(first)).toBe('started');
    const handle = handleOf(first);
    await waitFor(handle, waiting(1), 'waiting after attempt 1');

    expect(await start({ ...first, grade: '9.9', completedAt: '2026-11-01T09:00:00Z' })).toBe('duplicate');
    expect(await start({ ...first })).toBe('duplicate');
    const status = await waitFor(handle, (s) => s.replacements.length === 2, 'both completions received');
    expect(status.replacements.map((r) => r.decision)).toEqual(['not-newer', 'same']);
    expect(status.completion).toEqual({ grade: '7.5', completedAt: first.completedAt });
    expect(await currentDetailsOf(handle)).toContain('was the pending one again: nothing changed');

    coachview.seed(enrolledLearner(first.learnerId, first.courseId));
    expect(await handle.result()).toMatchObject({ outcome: 'registered', attemptsMade: 2 });
  });
  expect(component(first)).toMatchObject({
    result: '7.5',
    trainingRequestComponent: { approvalDate: '2026-11-05' },
  });
});

it('[CV-7] a newer completion arriving during an attempt is kept for the next attempt', async () => {
  const first = completion({ grade: '4.0', completedAt: '2026-11-02T14:30:00Z' });
  const newer = { ...first, grade: '6.5', completedAt: '2026-11-03T14:30:00Z' };
  // Slow answers keep the first attempt under way while the newer completion arrives.
  coachview.faults({ latencyMs: 1500 });
  await withWorker(async (taskQueue) => {
    const start = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
    expect(await start(first)).toBe('started');
    const handle = handleOf(first);
    await waitFor(handle, (s) => s.phase === 'attempting', 'attempt 1 under way');
    expect(await start(newer)).toBe('duplicate');
    const during = await waitFor(handle, (s) => s.replacements.length === 1, 'the replacement');
    expect(during.phase).toBe('attempting');
    expect(during.attemptsMade).toBe(0);
    expect(during.replacements[0]).toMatchObject({ decision: 'replace', forAttempt: 2 });

    await waitFor(handle, waiting(1), 'waiting after attempt 1');
    coachview.faults({ latencyMs: 0 });
    coachview.seed(enrolledLearner(first.learnerId, first.courseId));
    expect(await handle.result()).toMatchObject({ outcome: 'registered', attemptsMade: 2 });
  });
  expect(component(first)).toMatchObject({
    result: '6.5',
    trainingRequestComponent: { approvalDate: '2026-11-03' },
  });
});

it('[CV-1][CV-3][CV-7] after the registration a newer completion changes nothing and starts nothing', async () => {
  const first = completion({ grade: '5.5', completedAt: '2026-11-02T14:30:00Z' });
  const newer = { ...first, grade: '6.0', completedAt: '2026-11-04T14:30:00Z' };
  const latest = { ...first, grade: '9.0', completedAt: '2026-11-20T14:30:00Z' };
  await withWorker(async (taskQueue) => {
    const start = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
    expect(await start(first)).toBe('started');
    const handle = handleOf(first);
    await waitFor(handle, waiting(1), 'waiting after attempt 1');
    expect(await start(newer)).toBe('duplicate');
    await waitFor(handle, (s) => s.replacements.length === 1, 'the replacement');
    coachview.seed(enrolledLearner(first.learnerId, first.courseId));
    expect(await handle.result()).toMatchObject({ outcome: 'registered', attemptsMade: 2 });
    const runId = (await handle.describe()).runId;
    const events = (await handle.fetchHistory()).events?.length;

    expect(await start(latest)).toBe('duplicate');
    const after = await handle.describe();
    expect(after.runId).toBe(runId);
    expect(after.status.name).toBe('COMPLETED');
    expect((await handle.fetchHistory()).events?.length).toBe(events);
    // Querying a closed run replays its whole history; once (2026-11-29, a loaded machine) that replay
    // failed with a nondeterminism error on a patch marker: keep the history for replaying it.
    const status = await handle.query(gradeReturnStatusQuery).catch(async (err: unknown) => {
      const file = path.join(repoRoot, 'test-artifacts', 'histories', `newer-completion-${runId}.json`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(await handle.fetchHistory()));
      throw new Error(`query of the closed run failed (history in ${file})`, { cause: err });
    });
    expect(status.completion).toEqual({
      grade: '6.0',
      completedAt: newer.completedAt,
    });
  });
  expect(component(first)).toMatchObject({
    result: '6.0',
    trainingRequestComponent: { approvalDate: '2026-11-04' },
  });
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
});

it('[CV-7][CV-1] the intake hands a newer completion for a waiting learner to its grade return', async () => {
  const first = completion({ grade: '5.0', completedAt: '2026-11-02T14:30:00+01:00' });
  const newer = { ...first, grade: '7.0', completedAt: '2026-11-06T11:00:00+01:00' };
  const token = 'operator-token';
  await withWorker(async (taskQueue) => {
    const intake = await startIntakeServer({
      port: 0,
      secrets: { ilias: new Secret('i'), anewspring: new Secret('a') },
      startGradeReturn: gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue }),
      operatorToken: new Secret(token),
    });
    try {
      const post = (c: Completion) =>
        fetch(`${intake.url}/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(c),
        });
      const started = await post(first);
      expect(started.status).toBe(202);
      expect(await started.json()).toMatchObject({ outcome: 'started' });
      const handle = handleOf(first);
      await waitFor(handle, waiting(1), 'waiting after attempt 1');

      const handed = await post(newer);
      expect(handed.status).toBe(202);
      expect(await handed.json()).toMatchObject({ outcome: 'duplicate', workflowId: handle.workflowId });
      const status = await waitFor(handle, (s) => s.replacements.length === 1, 'the replacement');
      expect(status.replacements[0]?.decision).toBe('replace');

      coachview.seed(enrolledLearner(first.learnerId, first.courseId));
      expect(await handle.result()).toMatchObject({ outcome: 'registered', attemptsMade: 2 });
    } finally {
      await intake.close();
    }
  });
  expect(component(first)).toMatchObject({
    result: '7.0',
    trainingRequestComponent: { approvalDate: '2026-11-06' },
  });
});

it('[CV-7] a result of the replaced grade already on one of two open components is this run’s own: the newer grade is not pushed onto the other', async () => {
  const first = completion({ grade: '5.0', completedAt: '2026-11-02T14:30:00Z' });
  const newer = { ...first, grade: '7.0', completedAt: '2026-11-04T14:30:00Z' };
  await withWorker(async (taskQueue) => {
    const start = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
    expect(await start(first)).toBe('started');
    const handle = handleOf(first);
    await waitFor(handle, waiting(1), 'waiting after attempt 1');
    // The state a push of 5.0 leaves when Coachview processed it but its answer never arrived (the
    // day's attempt ended unavailable): 5.0 on the oldest of two open components.
    const person = enrolledLearner(first.learnerId, first.courseId).persons;
    coachview.seed({
      persons: person,
      enrolments: [
        {
          componentId: 'ec-a',
          personId: first.learnerId,
          trainingId: 'T-1',
          elearningCourseId: first.courseId,
          registered: { result: '5.0', approvalDate: '2026-11-02' },
        },
        {
          componentId: 'ec-b',
          personId: first.learnerId,
          trainingId: 'T-2',
          elearningCourseId: first.courseId,
        },
      ],
    });
    expect(await start(newer)).toBe('duplicate');
    await waitFor(handle, (s) => s.replacements.length === 1, 'the replacement');
    expect(await handle.result()).toMatchObject({ outcome: 'already-registered', attemptsMade: 2 });
  });
  const components = coachview.state().enrolments.filter((e) => e.personId === first.learnerId);
  expect(components.filter((e) => e.result !== undefined).map((e) => e.componentId)).toEqual(['ec-a']);
  expect(coachview.pushLog()).toHaveLength(0);
});
