/**
 * Roster sync (IMSE-1..4, IMSE-10): read the source roster, read what the target holds under our
 * sync keys, plan, check the safety filter, wait for an operator when it trips, apply in idempotent
 * batches, and send a status e-mail after every run. Data travels as store keys and counts only.
 */
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RosterSyncActivities } from '../activities/roster-sync';
import { schoolYearOf } from '../domain/grade-return/attempts';
import { describeIssues } from '../domain/grade-return/input';
import {
  approvalSchema,
  rosterSyncCurrentDetails,
  rosterSyncInputSchema,
  type Approval,
  type RosterSyncInput,
  type RosterSyncPhase,
  type RosterSyncStatus,
} from '../domain/roster-sync';
import { integrations, searchAttributes } from '../platform/names';
import { callerOfCurrentUpdate, callerOfStart } from './support/caller-identity';

/** Decisions record the identity Temporal attached to their caller (PLAT-15); older histories did not. */
const CALLER_IDENTITY_PATCH = 'roster-sync-caller-identity';

export const rosterSyncStatusQuery = defineQuery<RosterSyncStatus>('status');
/** Operator update: apply a run the safety filter stopped. */
export const approveUpdate = defineUpdate<RosterSyncStatus, [Approval]>('approve');
/** Operator update: discard a run the safety filter stopped. */
export const rejectUpdate = defineUpdate<RosterSyncStatus, [Approval]>('reject');

const io = proxyActivities<RosterSyncActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
  },
});

const apply = proxyActivities<RosterSyncActivities>({
  startToCloseTimeout: '2 hours',
  // Batches heartbeat their progress; a lost worker is noticed within this, and the retry resumes.
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
  },
});

export interface RosterSyncResult {
  phase: RosterSyncPhase;
  syncDate: string;
  planKey: string | null;
  summary: RosterSyncStatus['summary'];
  applied: RosterSyncStatus['applied'];
}

export async function rosterSyncWorkflow(rawInput: unknown = {}): Promise<RosterSyncResult> {
  const input = parseInput(rawInput);
  const { runId } = workflowInfo();
  const status: RosterSyncStatus = {
    phase: 'reading-source',
    integrationId: input.integrationId,
    syncDate: input.syncDate ?? null,
    dryRun: input.dryRun,
    safetyFilter: input.safetyFilter,
    summary: null,
    violations: [],
    plan: null,
    approval: null,
    awaitingApprovalUntil: null,
    applied: null,
    error: null,
  };
  setHandler(rosterSyncStatusQuery, () => status);
  // True from the moment a decision is accepted until it is recorded with who made it.
  let deciding = false;
  const decide = (decision: 'approved' | 'rejected') => async (approval: Approval) => {
    deciding = true;
    let identity: string | null | undefined;
    if (patched(CALLER_IDENTITY_PATCH)) {
      try {
        identity = await callerOfCurrentUpdate();
      } catch (err) {
        deciding = false;
        throw err;
      }
    }
    status.approval = {
      decision,
      operator: approval.operator,
      ...(identity !== undefined ? { identity } : {}),
      comment: approval.comment,
      at: new Date().toISOString(),
    };
    return status;
  };
  // A refusal is read in the Web UI's update dialog and the CLIs: it names fields, never their values.
  const validateDecision = (approval: Approval): void => {
    if (status.phase !== 'awaiting-approval') {
      throw ApplicationFailure.create({
        type: 'NotAwaitingApproval',
        nonRetryable: true,
        message: `Nothing to decide: the run is ${status.phase}, not awaiting approval`,
      });
    }
    if (deciding) {
      throw ApplicationFailure.create({
        type: 'NotAwaitingApproval',
        nonRetryable: true,
        message: 'Nothing to decide: another decision on this run is being recorded',
      });
    }
    const parsed = approvalSchema.safeParse(approval);
    if (!parsed.success) {
      throw ApplicationFailure.create({
        type: 'InvalidDecision',
        nonRetryable: true,
        message: `Invalid decision: ${describeIssues(parsed.error)}`,
      });
    }
  };
  setHandler(approveUpdate, decide('approved'), { validator: validateDecision });
  setHandler(rejectUpdate, decide('rejected'), { validator: validateDecision });

  // Current details add no command, so histories recorded before them still replay.
  const setPhase = (phase: RosterSyncPhase): void => {
    status.phase = phase;
    upsertSearchAttributes([{ key: searchAttributes.integrationStatus, value: phase }]);
    setCurrentDetails(rosterSyncCurrentDetails(status));
  };
  upsertSearchAttributes([
    { key: searchAttributes.integration, value: integrations.rosterSync },
    { key: searchAttributes.sourceId, value: input.integrationId },
    { key: searchAttributes.integrationStatus, value: status.phase },
  ]);
  setCurrentDetails(rosterSyncCurrentDetails(status));

  try {
    if (!input.safetyFilter.enabled && patched(CALLER_IDENTITY_PATCH)) {
      status.safetyFilter = { ...status.safetyFilter, disabledByIdentity: await callerOfStart() };
      setCurrentDetails(rosterSyncCurrentDetails(status));
    }
    const source = await io.readRosterSource({
      runId,
      integrationId: input.integrationId,
      syncDate: input.syncDate,
    });
    status.syncDate = source.syncDate;
    upsertSearchAttributes([{ key: searchAttributes.schoolYear, value: schoolYearOf(source.syncDate) }]);

    setPhase('reading-target');
    const target = await io.readRosterTarget({ runId, integrationId: input.integrationId });

    setPhase('planning');
    const planned = await io.planRosterSync({
      runId,
      integrationId: input.integrationId,
      syncDate: source.syncDate,
      sourceKey: source.sourceKey,
      targetKey: target.targetKey,
      safetyFilterEnabled: input.safetyFilter.enabled,
    });
    status.summary = planned.summary;
    status.violations = planned.verdict.violations;
    status.plan = { key: planned.planKey, howToView: planned.howToView };
    const result = (): RosterSyncResult => ({
      phase: status.phase,
      syncDate: source.syncDate,
      planKey: planned.planKey,
      summary: status.summary,
      applied: status.applied,
    });

    if (input.dryRun) {
      setPhase('dry-run');
      return result();
    }
    if (planned.empty) {
      setPhase('nothing-to-do');
      await io.sendRosterStatusEmail({ kind: 'nothing-to-do', status });
      return result();
    }
    if (planned.verdict.tripped) {
      const deadline = new Date(Date.now() + input.approvalTimeoutHours * 3600_000);
      status.awaitingApprovalUntil = deadline.toISOString();
      setPhase('awaiting-approval');
      await io.sendRosterStatusEmail({ kind: 'stopped-by-filter', status });
      const decided = await condition(() => status.approval !== null, `${input.approvalTimeoutHours} hours`);
      status.awaitingApprovalUntil = null;
      if (!decided) status.approval = { decision: 'timed-out', operator: null, at: new Date().toISOString() };
      if (status.approval?.decision !== 'approved') {
        setPhase('rejected');
        await io.sendRosterStatusEmail({ kind: 'rejected', status });
        return result();
      }
    }

    setPhase('applying');
    status.applied = await apply.applyRosterPlan({ runId, planKey: planned.planKey });
    setPhase('applied');
    await io.sendRosterStatusEmail({ kind: 'applied', status });
    return result();
  } catch (err) {
    status.error =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    setPhase('failed');
    try {
      await io.sendRosterStatusEmail({ kind: 'failed', status });
    } catch {
      // The run's own failure is what operators must see; a lost e-mail must not replace it.
    }
    throw err;
  }
}

function parseInput(rawInput: unknown): RosterSyncInput {
  const parsed = rosterSyncInputSchema.safeParse(rawInput ?? {});
  if (!parsed.success) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `Invalid roster-sync input: ${describeIssues(parsed.error)}`,
    });
  }
  return parsed.data;
}
