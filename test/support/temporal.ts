/**
 * Real Temporal servers for tests, from the binaries the project installs (never the SDK's download):
 * the Java time-skipping test server and the Temporal CLI dev server.
 */
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { allSearchAttributes } from '../../platform/names';
import { temporalCliPath, temporalTestServerPath } from '../../platform/tools';

export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}

export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: allSearchAttributes,
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test process (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  return bundle;
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

let taskQueueCounter = 0;
/** A task queue per test, so tests never pick up each other's tasks. */
export function uniqueTaskQueue(name: string): string {
  taskQueueCounter += 1;
  return `${name}-${process.pid}-${taskQueueCounter}-${Date.now()}`;
}
