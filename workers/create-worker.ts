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
  /** Pre-bundled workflow code (tests and benchmarks bundle once); otherwise bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'
  >;
}

/**
 * A worker for one task queue: all workflow types, the given activities, the payload codec and the
 * one place where outside-system errors become Temporal failures.
 */
export async function createIntegrationWorker(opts: IntegrationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: opts.activities,
    dataConverter: dataConverter(opts.codec),
    interceptors: { activity: [externalErrorInterceptor] },
    ...opts.tuning,
  });
}
