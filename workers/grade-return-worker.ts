import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import type { Activities } from '../activities';
import { externalErrorInterceptor } from '../platform/activity-errors';
import { taskQueues } from '../platform/names';
import { dataConverter } from '../platform/codec';

export interface GradeReturnWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: Activities;
  codec: PayloadCodec;
  taskQueue?: string;
  /** Pre-bundled workflow code (tests and benchmarks bundle once); otherwise bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'
  >;
}

/** The worker for the grade-return task queue: the grade-return and Moodle-poll workflows and their activities. */
export async function createGradeReturnWorker(opts: GradeReturnWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? taskQueues.gradeReturn,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: opts.activities,
    dataConverter: dataConverter(opts.codec),
    interceptors: { activity: [externalErrorInterceptor] },
    ...opts.tuning,
  });
}
