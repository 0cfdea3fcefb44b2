/**
 * Starting and steering flow syncs (WF-3, WF-5) from the client CLI and the intake: link a flow to a
 * period (the workflow under its deterministic id), and ask a flow's sync to sync now.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { checkFlowSyncInput } from '../domain/wiseflow/input';
import {
  integrations,
  searchAttributes,
  taskQueues,
  wiseflowFlowSourceId,
  wiseflowFlowSyncWorkflowId,
  workflowTypes,
} from '../platform/names';
import type { RequestFlowSync } from '../services/intake/wiseflow-route';
import { requestSyncSignal, wiseflowFlowSyncWorkflow } from '../workflows/wiseflow-flow-sync';
import { startMetadataFor } from './start-metadata';

export interface LinkOutcome {
  outcome: 'linked' | 'already-linked';
  workflowId: string;
}

/**
 * Links a flow to an internship period: starts its flow sync under `wiseflow-flow-sync:<flow>:<period>`.
 * While one runs or has ended with the flow concluded, linking again starts nothing; after a refused
 * link (licence, unknown flow or period) it starts afresh.
 */
export async function linkFlowToPeriod(
  client: Client,
  rawInput: unknown,
  opts: { taskQueue?: string } = {},
): Promise<LinkOutcome> {
  const checked = checkFlowSyncInput(rawInput);
  if (!checked.ok) throw new Error(`Invalid flow-sync input: ${checked.problems.join('; ')}`);
  const { flowId, periodNumber } = checked.value;
  const workflowId = wiseflowFlowSyncWorkflowId(flowId, periodNumber);
  try {
    await client.workflow.start(wiseflowFlowSyncWorkflow, {
      taskQueue: opts.taskQueue ?? taskQueues.wiseflow,
      workflowId,
      args: [rawInput],
      ...startMetadataFor(workflowTypes.wiseflowFlowSync, rawInput),
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      // Set at start, so the intake finds the flow's sync by it at once (the workflow sets them too).
      typedSearchAttributes: [
        { key: searchAttributes.integration, value: integrations.wiseflow },
        { key: searchAttributes.sourceId, value: wiseflowFlowSourceId(flowId) },
      ],
    });
    return { outcome: 'linked', workflowId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'already-linked', workflowId };
    throw err;
  }
}

/** The running syncs of a flow, found by their `SourceId`. */
export async function runningFlowSyncs(client: Client, flowId: number): Promise<string[]> {
  const ids: string[] = [];
  const query =
    `WorkflowType = '${workflowTypes.wiseflowFlowSync}' AND ExecutionStatus = 'Running' ` +
    `AND SourceId = '${wiseflowFlowSourceId(flowId)}'`;
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

/**
 * Signals a flow's sync to sync now (WF-5). WISEflow's webhook names the flow and, usually, the
 * external source's reference (the period number): that sync is signalled by its id; without one, or
 * when it is not running, the flow's running syncs are looked up.
 */
export function flowSyncRequester(client: Client): RequestFlowSync {
  return async (request) => {
    const signal = async (workflowId: string): Promise<boolean> => {
      try {
        await client.workflow.getHandle(workflowId).signal(requestSyncSignal, {
          ...(request.requestId ? { requestId: request.requestId } : {}),
          ...(request.reference ? { reference: request.reference } : {}),
        });
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    };
    if (request.reference) {
      const workflowId = wiseflowFlowSyncWorkflowId(request.flowId, request.reference);
      if (await signal(workflowId)) return { outcome: 'signalled', workflowId };
    }
    for (const workflowId of await runningFlowSyncs(client, request.flowId)) {
      if (await signal(workflowId)) return { outcome: 'signalled', workflowId };
    }
    return { outcome: 'no-sync' };
  };
}
