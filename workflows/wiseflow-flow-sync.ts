/**
 * Praktikportalen → WISEflow flow sync (WF-1..WF-6): one workflow per flow and internship period.
 * It checks the licence (WF-4), links the flow to the period as its external source (WF-3), then
 * keeps the flow up to date through its active stages: a sync every `syncEveryMinutes`, at once on
 * a manager's update request from WISEflow, which is answered done or failed (WF-5), and whenever an
 * access link falls due (WF-2). It ends when the flow is concluded or archived, and continues as new
 * every `syncsPerRun` syncs so its history stays small over months.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { FlowSyncActivities, SyncFlowResult } from '../activities/wiseflow';
import { nextRenewalAt } from '../domain/wiseflow/access-links';
import type { SupervisorUser } from '../domain/wiseflow/assessor-plan';
import { flowSyncCurrentDetails, type FlowSyncPhase, type FlowSyncStatus } from '../domain/wiseflow/describe';
import {
  REQUEST_IDS_KEPT,
  checkFlowSyncInput,
  type FlowSyncCarried,
  type FlowSyncInput,
  type SyncRecord,
  type UpdateRequest,
} from '../domain/wiseflow/input';
import { integrations, searchAttributes, wiseflowFlowSourceId } from '../platform/names';
import { withRateBudget } from './support/rate-budget';

export const flowSyncStatusQuery = defineQuery<FlowSyncStatus>('status');
/**
 * Sync now: a manager's "update" in WISEflow (the intake's FLOW_EXTERNAL_SOURCE webhook, with its
 * request id, answered done or failed), a flow state change, or an operator (`{}`).
 */
export const requestSyncSignal = defineSignal<[UpdateRequest?]>('requestSync');

/** Reads and writes of one sync; a worker lost mid-sync is noticed by the heartbeat and the sync retried. */
const io = proxyActivities<FlowSyncActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 5,
  },
});
const mail = proxyActivities<FlowSyncActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 20,
  },
});

/** Answers kept in the status query. */
const ANSWERS_KEPT = 10;
/** No wait is shorter: a link due "now" cannot spin the workflow. */
const MIN_WAIT_MS = 1000;

export interface FlowSyncResult {
  flowId: number;
  periodNumber: string;
  flowState: string | null;
  syncs: number;
  endReason: string;
}

export async function wiseflowFlowSyncWorkflow(rawInput: unknown): Promise<FlowSyncResult> {
  const input = parseInput(rawInput);
  const carried = input.carried;
  const { flowId, periodNumber } = input;
  const linkPolicy = {
    lifetimeHours: input.linkLifetimeHours,
    renewBeforeHours: input.renewLinksBeforeHours,
  };
  let known: Record<string, number> = carried?.known ?? {};
  let links = carried?.links ?? {};
  const reportedKept = new Set(carried?.reportedKept ?? []);
  const requestIds = [...(carried?.requestIds ?? [])];
  const pending: UpdateRequest[] = [...(carried?.pendingRequests ?? [])];
  let userDataTypeId = carried?.userDataTypeId ?? 0;

  const status: FlowSyncStatus = {
    phase: carried ? 'waiting' : 'checking-licence',
    flowId,
    periodNumber,
    syncEveryMinutes: input.syncEveryMinutes,
    linkedAt: carried?.linkedAt ?? null,
    flowState: carried?.lastSync?.flowState ?? null,
    markingStarted: carried?.lastSync?.markingStarted ?? false,
    syncs: carried?.syncs ?? 0,
    lastSync: carried?.lastSync ?? null,
    nextSyncAt: null,
    nextLinkRenewalAt: null,
    supervisors: known,
    keptAfterMarking: [],
    pendingRequests: pending,
    answered: [],
    endReason: null,
  };
  setHandler(flowSyncStatusQuery, () => status);
  setHandler(requestSyncSignal, (request: UpdateRequest = {}) => {
    // At least once delivery (WF-5): a request id seen before is answered once only.
    if (request.requestId) {
      if (requestIds.includes(request.requestId)) return;
      requestIds.push(request.requestId);
      if (requestIds.length > REQUEST_IDS_KEPT) requestIds.splice(0, requestIds.length - REQUEST_IDS_KEPT);
    }
    pending.push({ ...request, receivedAt: new Date().toISOString() });
  });

  const setPhase = (phase: FlowSyncPhase): void => {
    status.phase = phase;
    upsertSearchAttributes([{ key: searchAttributes.integrationStatus, value: phase }]);
    setCurrentDetails(flowSyncCurrentDetails(status));
  };
  upsertSearchAttributes([
    { key: searchAttributes.integration, value: integrations.wiseflow },
    { key: searchAttributes.sourceId, value: wiseflowFlowSourceId(flowId) },
  ]);

  const end = (reason: string): FlowSyncResult => {
    status.endReason = reason;
    status.nextSyncAt = null;
    status.nextLinkRenewalAt = null;
    setPhase('ended');
    return { flowId, periodNumber, flowState: status.flowState, syncs: status.syncs, endReason: reason };
  };

  if (!carried) {
    setPhase('checking-licence');
    try {
      userDataTypeId = (await withRateBudget(() => io.checkWiseflowLicence())).userDataTypeId;
      setPhase('linking');
      const linked = await withRateBudget(() => io.linkFlowToPeriod({ flowId, periodNumber }));
      status.flowState = linked.flowState;
      if (linked.finished)
        return end(`the flow was already ${linked.flowState.toLowerCase()} when it was linked`);
    } catch (err) {
      // Licence refused (WF-4), flow or period not found: the manager reads why in the run's failure.
      status.endReason = reasonOf(err);
      setPhase('refused');
      throw ApplicationFailure.create({
        type: failureTypeOf(err) ?? 'WiseflowLinkFailed',
        nonRetryable: true,
        message: `Flow ${flowId} was not linked to period ${periodNumber}: ${status.endReason}`,
      });
    }
    status.linkedAt = new Date().toISOString();
  }

  let trigger: SyncRecord['trigger'] = carried ? 'periodic' : 'link';
  let syncsThisRun = 0;
  for (;;) {
    const answering = pending.splice(0);
    if (answering.length > 0) trigger = 'update-request';
    setPhase('syncing');
    const record = await syncOnce(trigger);
    syncsThisRun++;

    await answerRequests(answering, record);

    if (record.finished) {
      // Requests that arrived during this last sync: the flow has ended, and that sync is their answer.
      await answerRequests(pending.splice(0), record);
      return end(record.finished);
    }

    if (syncsThisRun >= input.syncsPerRun || workflowInfo().continueAsNewSuggested) {
      const next: FlowSyncCarried = {
        userDataTypeId,
        syncs: status.syncs,
        known,
        links,
        reportedKept: [...reportedKept],
        requestIds,
        pendingRequests: pending,
        linkedAt: status.linkedAt ?? new Date().toISOString(),
        lastSync: status.lastSync,
      };
      const { carried: _previous, ...settings } = input;
      await continueAsNew<typeof wiseflowFlowSyncWorkflow>({ ...settings, carried: next });
    }

    const now = Date.now();
    const periodicAt = now + input.syncEveryMinutes * 60_000;
    const renewalAt = nextRenewalAt(links, linkPolicy);
    const wakeAt = renewalAt !== null && renewalAt < periodicAt ? renewalAt : periodicAt;
    status.nextSyncAt = new Date(periodicAt).toISOString();
    status.nextLinkRenewalAt = renewalAt !== null ? new Date(renewalAt).toISOString() : null;
    setPhase('waiting');
    const requested = await condition(() => pending.length > 0, Math.max(MIN_WAIT_MS, wakeAt - now));
    trigger = requested ? 'update-request' : wakeAt === periodicAt ? 'periodic' : 'link-renewal';
  }

  /** WF-5: WISEflow is told each requested sync is done, or failed and why. */
  async function answerRequests(requests: UpdateRequest[], record: SyncRecord): Promise<void> {
    for (const request of requests.filter((r) => r.requestId !== undefined)) {
      const answer = {
        flowId,
        reference: request.reference ?? periodNumber,
        outcome: record.outcome === 'synced' ? ('done' as const) : ('failed' as const),
        ...(record.error ? { reason: record.error } : {}),
      };
      try {
        await withRateBudget(() => io.answerSyncRequest(answer));
        status.answered.push({
          requestId: request.requestId,
          outcome: answer.outcome,
          ...(answer.reason ? { reason: answer.reason } : {}),
          at: new Date().toISOString(),
        });
      } catch (err) {
        status.answered.push({
          requestId: request.requestId,
          outcome: answer.outcome,
          reason: `could not tell WISEflow: ${reasonOf(err)}`,
          at: new Date().toISOString(),
        });
      }
      if (status.answered.length > ANSWERS_KEPT)
        status.answered.splice(0, status.answered.length - ANSWERS_KEPT);
    }
  }

  /** One sync; a failure is recorded and reported, and the next sync tries again. Ends: the reason. */
  async function syncOnce(why: SyncRecord['trigger']): Promise<SyncRecord & { finished: string | null }> {
    const at = new Date().toISOString();
    let record: SyncRecord;
    let finished: string | null = null;
    try {
      const result: SyncFlowResult = await withRateBudget(() =>
        io.syncFlow({ flowId, periodNumber, userDataTypeId, known, links, linkPolicy, nowMs: Date.now() }),
      );
      known = result.known;
      links = result.links;
      status.supervisors = known;
      status.flowState = result.flowState;
      status.markingStarted = result.markingStarted;
      const kept = result.keptAfterMarking;
      status.keptAfterMarking = kept;
      record = {
        at,
        outcome: 'synced',
        trigger: why,
        flowState: result.flowState,
        markingStarted: result.markingStarted,
        supervisors: result.supervisors,
        usersCreated: result.usersCreated,
        usersUpdated: result.usersUpdated,
        assessorsAdded: result.assessorsAdded,
        assessorsRemoved: result.assessorsRemoved,
        keptAfterMarking: kept.length,
        linksIssued: result.linksIssued,
      };
      if (result.finished) finished = `the flow is ${result.flowState.toLowerCase()}`;
      await tellAboutKept(kept);
    } catch (err) {
      const error = reasonOf(err);
      record = {
        at,
        outcome: 'failed',
        trigger: why,
        flowState: status.flowState,
        markingStarted: status.markingStarted,
        supervisors: Object.keys(known).length,
        usersCreated: 0,
        usersUpdated: 0,
        assessorsAdded: 0,
        assessorsRemoved: 0,
        keptAfterMarking: status.keptAfterMarking.length,
        linksIssued: 0,
        error,
      };
      // A flow deleted from WISEflow will never come back: the sync ends instead of failing hourly.
      if (failureTypeOf(err) === 'WISEflow.FlowNotFound') finished = 'the flow no longer exists in WISEflow';
    }
    status.syncs++;
    status.lastSync = record;
    return { ...record, finished };
  }

  /** WF-6: the operators are e-mailed once about each supervisor kept after marking started. */
  async function tellAboutKept(kept: SupervisorUser[]): Promise<void> {
    const fresh = kept.filter((k) => !reportedKept.has(k.praktikportalenId));
    if (fresh.length === 0) return;
    await mail.notifyKeptAfterMarking({
      workflowId: workflowInfo().workflowId,
      flowId,
      periodNumber,
      kept: fresh,
    });
    for (const k of fresh) reportedKept.add(k.praktikportalenId);
  }
}

/** The innermost reason of a failure, in the words the activity wrote for operators. */
function reasonOf(err: unknown): string {
  let e: unknown = err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

function failureTypeOf(err: unknown): string | undefined {
  let e: unknown = err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  return e instanceof ApplicationFailure ? (e.type ?? undefined) : undefined;
}

function parseInput(rawInput: unknown): FlowSyncInput {
  const checked = checkFlowSyncInput(rawInput);
  if (!checked.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `Invalid flow-sync input: ${checked.problems.join('; ')}`,
    });
  }
  return checked.value;
}
