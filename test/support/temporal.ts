/**
 * Real Temporal servers for tests, from the binaries the project installs (never the SDK's download):
 * the Java time-skipping test server and the Temporal CLI dev server.
 */
import { Context } from '@temporalio/activity';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverter } from '../../platform/codec';
import { allSearchAttributes, type TaskQueue } from '../../platform/names';
import { workflowModules } from '../../workers/workflow-modules';
import { testCodec } from './codec';
import { temporalCliPath, temporalTestServerPath } from '../../platform/tools';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
    client: { dataConverter: dataConverter(testCodec()) },
  });
  // The test server validates search attributes like a real one: register ours as the dev server does.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(allSearchAttributes.map((k) => [k.name, indexedValueType(k.type)])),
  });
  return env;
}

function indexedValueType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  const t = temporal.api.enums.v1.IndexedValueType;
  switch (type) {
    case SearchAttributeType.KEYWORD:
      return t.INDEXED_VALUE_TYPE_KEYWORD;
    case SearchAttributeType.TEXT:
      return t.INDEXED_VALUE_TYPE_TEXT;
    case SearchAttributeType.INT:
      return t.INDEXED_VALUE_TYPE_INT;
    case SearchAttributeType.DOUBLE:
      return t.INDEXED_VALUE_TYPE_DOUBLE;
    case SearchAttributeType.BOOL:
      return t.INDEXED_VALUE_TYPE_BOOL;
    case SearchAttributeType.DATETIME:
      return t.INDEXED_VALUE_TYPE_DATETIME;
    case SearchAttributeType.KEYWORD_LIST:
      return t.INDEXED_VALUE_TYPE_KEYWORD_LIST;
  }
}

export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: allSearchAttributes,
    },
    client: { dataConverter: dataConverter(testCodec()) },
  });
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * A workflow bundle, built once per test process (bundling takes seconds): a task queue's own
 * bundle, as its worker builds it, or every workflow (replay).
 */
export function workflowBundle(queue?: TaskQueue): Promise<WorkflowBundleWithSourceMap> {
  const workflowsPath = queue ? workflowModules[queue] : require.resolve('../../workflows');
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath,
      logger: quietLogger,
    });
    bundles.set(workflowsPath, bundle);
  }
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

/**
 * The time-skipping server's clock as an activity sees it (the time its attempt was scheduled), for
 * what counts by time in the tests (rate budgets); outside an activity, the machine's clock.
 */
export function testServerClock(): number {
  try {
    return Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    return Date.now();
  }
}
