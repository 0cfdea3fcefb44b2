import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { externalErrorInterceptor } from '../platform/activity-errors';
import { dataConverter } from '../platform/codec';

export interface IntegrationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  codec: PayloadCodec;
  /**
   * This queue's workflows: a module to bundle at start (only the queue's own workflows, so one
   * lifecycle's code never weighs on another's cache), or code bundled beforehand (tests).
   */
  workflows: { path: string } | { bundle: NonNullable<WorkerOptions['workflowBundle']> };
  /**
   * `maxTaskQueueActivitiesPerSecond` is the server's limit for the whole queue, every worker
   * together: a per-second API limit where each activity is one call (docs/rate-budgets.md).
   */
  tuning?: Pick<
    WorkerOptions,
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxCachedWorkflows'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxTaskQueueActivitiesPerSecond'
  >;
}

/**
 * A worker for one task queue: its workflow types, the given activities, the payload codec and the
 * one place where outside-system errors become Temporal failures.
 */
export async function createIntegrationWorker(opts: IntegrationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...('bundle' in opts.workflows
      ? { workflowBundle: opts.workflows.bundle }
      : { workflowsPath: opts.workflows.path }),
    activities: opts.activities,
    dataConverter: dataConverter(opts.codec),
    interceptors: { activity: [externalErrorInterceptor] },
    ...opts.tuning,
  });
}
