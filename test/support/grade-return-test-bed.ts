/**
 * What every time-skipping grade-return test file starts once and resets per test: the test server,
 * the Coachview simulator and the SMTP sink. Registers the jest hooks; `bind` hands the running parts
 * to the file's own variables. Returns what the tests do with them: run a worker, start a run.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Completion } from '../../domain/grade-return';
import { gradeReturnWorkflowId } from '../../platform/names';
import { startSmtpSink, type SmtpSink } from '../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../simulators/coachview';
import { gradeReturnWorkflow } from '../../workflows/grade-return';
import { gradeReturnWorker } from './grade-return-harness';
import { createTimeSkippingEnv, uniqueTaskQueue } from './temporal';

export interface GradeReturnTestBed {
  env: TestWorkflowEnvironment;
  client: Client;
  coachview: CoachviewSimulator;
  smtp: SmtpSink;
}

export interface GradeReturnTestRuns {
  /** A grade-return worker on a task queue of its own (named after `queue`), running while `fn` runs. */
  withWorker<T>(queue: string, fn: (taskQueue: string, worker: Worker) => Promise<T>): Promise<T>;
  /** Starts the grade return of a completion, as the intake would. */
  start(c: Completion, taskQueue: string, maxDailyAttempts?: number): ReturnType<Client['workflow']['start']>;
}

export function useGradeReturnTestBed(bind: (bed: GradeReturnTestBed) => void): GradeReturnTestRuns {
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
  return {
    async withWorker(queue, fn) {
      const { env, client, coachview, smtp } = bed as GradeReturnTestBed;
      const taskQueue = uniqueTaskQueue(queue);
      const worker = await gradeReturnWorker({
        connection: env.nativeConnection,
        client,
        taskQueue,
        coachview,
        smtp,
      });
      return worker.runUntil(fn(taskQueue, worker));
    },
    start(c, taskQueue, maxDailyAttempts = 30) {
      return (bed as GradeReturnTestBed).client.workflow.start(gradeReturnWorkflow, {
        taskQueue,
        workflowId: gradeReturnWorkflowId(c.source, c.courseId, c.learnerId),
        args: [{ ...c, maxDailyAttempts }],
      });
    },
  };
}

/** Completions of learners and courses of their own (`<learner>-1`, `<course>-1`, ...), with a grade. */
export function completionMaker(
  names: { learner: string; course: string },
  grade: string,
): (overrides?: Partial<Completion>) => Completion {
  let seq = 0;
  return (overrides = {}) => {
    seq += 1;
    return {
      source: 'moodle',
      learnerId: `${names.learner}-${seq}`,
      courseId: `${names.course}-${seq}`,
      grade,
      completedAt: '2026-11-02T14:30:00Z',
      ...overrides,
    };
  };
}
