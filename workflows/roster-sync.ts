/**
 * Roster sync (IMSE-1..4, IMSE-10, IMSE-11): take the integration's run lock, read the source
 * roster, read what the target holds under our sync keys, plan, check the safety filter, wait for an
 * operator when it trips and plan again after the approval, apply in idempotent batches, and send a
 * status e-mail after every run. Data travels as store keys and counts only.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { schoolYearOf } from '../domain/grade-return/attempts';
import { describeIssues } from '../domain/grade-return/input';
import { isEmptyPlan, isPartialSelection, type ApprovalSelection } from '../domain/roster';
import {
  approvalSchema,
  rosterSyncCurrentDetails,
  rosterSyncInputSchema,
  type Approval,
  type RosterSyncInput,
  type RosterSyncPhase,
  type RosterSyncStatus,
} from '../domain/roster-sync';
import { MAX_KEPT_WARNINGS } from '../domain/roster-sync/input';
import { integrations, searchAttributes, yearEndFreezeWorkflowId } from '../platform/names';
import { callerOfCurrentUpdate, callerOfStart } from './support/caller-identity';
import { rosterApplyActivities as apply, rosterRunActivities as io } from './support/roster-sync-activities';
import { parseWorkflowInput } from './support/workflow-input';

/** Decisions record the identity Temporal attached to their caller (PLAT-15); older histories did not. */
const CALLER_IDENTITY_PATCH = 'roster-sync-caller-identity';
/** One run per integration at a time (IMSE-11): runs recorded before it took no lock. */
const RUN_LOCK_PATCH = 'roster-sync-run-lock';
/** An approved run plans again and applies only within the approval (IMSE-11). */
const REPLAN_PATCH = 'roster-sync-replan-after-approval';
/** A run refused by a year-end freeze says so (IMSE-5); older runs named the holder as a run. */
const FREEZE_PATCH = 'roster-sync-year-end-freeze';
/** An approval may apply part of the plan (by entity type and kind) and hold the rest. */
const PARTIAL_APPROVAL_PATCH = 'roster-sync-partial-approval';

/** The workflow id of an integration's run lock: a child workflow of the run that holds it. */
export const rosterRunLockId = (integrationId: string): string => `roster-sync-lock:${integrationId}`;
/** Sent by the holder when it is done; the server also ends the lock when its holder closes. */
export const releaseRunLockSignal = defineSignal('release');

/**
 * The run lock of one integration (IMSE-11). Temporal lets one workflow per id run at a time, so
 * starting it as a child is an atomic test-and-set; as a child it closes with its holder
 * (ParentClosePolicy TERMINATE), whatever ends the holder: completion, failure, termination.
 */
export async function rosterRunLockWorkflow(_input: {
  integrationId: string;
  holder: string;
}): Promise<void> {
  let released = false;
  setHandler(releaseRunLockSignal, () => {
    released = true;
  });
  await condition(() => released);
}

/**
 * Starts the integration's run lock as a child of this workflow, its holder: an atomic
 * test-and-set that fails with WorkflowExecutionAlreadyStartedError while another holder has it.
 */
export function startRunLock(
  integrationId: string,
): Promise<ChildWorkflowHandle<typeof rosterRunLockWorkflow>> {
  return startChild(rosterRunLockWorkflow, {
    workflowId: rosterRunLockId(integrationId),
    args: [{ integrationId, holder: workflowInfo().workflowId }],
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

/**
 * Lets go of a run lock its holder took: the lock would close with its holder anyway; releasing it
 * and waiting for it to end lets the next holder start at once, without finding a lock whose holder
 * has just closed.
 */
export async function releaseRunLock(lock: ChildWorkflowHandle<typeof rosterRunLockWorkflow>): Promise<void> {
  const released = await lock.signal(releaseRunLockSignal).then(
    () => true,
    () => false,
  );
  if (released) await lock.result().catch(() => undefined);
}

export const rosterSyncStatusQuery = defineQuery<RosterSyncStatus>('status');
/** Operator update: apply a run the safety filter stopped. */
export const approveUpdate = defineUpdate<RosterSyncStatus, [Approval]>('approve');
/** Operator update: discard a run the safety filter stopped. */
export const rejectUpdate = defineUpdate<RosterSyncStatus, [Approval]>('reject');

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
    const selection =
      decision === 'approved' && isPartialSelection(approval) ? selectionOf(approval) : undefined;
    status.approval = {
      decision,
      operator: approval.operator,
      ...(identity !== undefined ? { identity } : {}),
      comment: approval.comment,
      ...(selection ? { selection } : {}),
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

  // Reads, plans and stores under `planRunId`: the run id, or the run id and a round after an approval.
  const readAndPlan = async (planRunId: string) => {
    const source = await io.readRosterSource({
      runId: planRunId,
      integrationId: input.integrationId,
      syncDate: input.syncDate,
    });
    status.syncDate = source.syncDate;
    // Older activity results lack the field; a status field adds no command, so no patch (IMSE-12).
    const sourceWarnings = source.warnings ?? { warningCount: 0, warnings: [] };
    upsertSearchAttributes([{ key: searchAttributes.schoolYear, value: schoolYearOf(source.syncDate) }]);

    setPhase('reading-target');
    const target = await io.readRosterTarget({ runId: planRunId, integrationId: input.integrationId });

    setPhase('planning');
    const planned = await io.planRosterSync({
      runId: planRunId,
      integrationId: input.integrationId,
      syncDate: source.syncDate,
      sourceKey: source.sourceKey,
      targetKey: target.targetKey,
      safetyFilterEnabled: input.safetyFilter.enabled,
      dryRun: input.dryRun,
    });
    status.summary = planned.summary;
    if (planned.dataWarnings || sourceWarnings.warningCount > 0) {
      const fitted = planned.dataWarnings ?? { warningCount: 0, warnings: [] };
      status.dataWarnings = {
        warningCount: sourceWarnings.warningCount + fitted.warningCount,
        warnings: [...sourceWarnings.warnings, ...fitted.warnings].slice(0, MAX_KEPT_WARNINGS),
      };
    }
    // Older activity results lack the field; no command, so it needs no patch (IMSE-6, IMSE-7).
    if (planned.notes?.length) status.notes = planned.notes;
    status.violations = planned.verdict.violations;
    status.plan = { key: planned.planKey, howToView: planned.howToView };
    // Older activity results lack the field; no command, so it needs no patch (IMSE-3).
    if (planned.filterConfigured === false) {
      status.safetyFilter = { ...status.safetyFilter, offByConfiguration: true };
      setCurrentDetails(rosterSyncCurrentDetails(status));
    }
    return { syncDate: source.syncDate, planned };
  };

  // Waits for approve or reject until the deadline; false when rejected or timed out.
  const awaitDecision = async (): Promise<boolean> => {
    const decided = await condition(() => status.approval !== null, `${input.approvalTimeoutHours} hours`);
    status.awaitingApprovalUntil = null;
    if (!decided) status.approval = { decision: 'timed-out', operator: null, at: new Date().toISOString() };
    return status.approval?.decision === 'approved';
  };

  let lock: ChildWorkflowHandle<typeof rosterRunLockWorkflow> | undefined;
  try {
    if (!input.safetyFilter.enabled && patched(CALLER_IDENTITY_PATCH)) {
      status.safetyFilter = { ...status.safetyFilter, disabledByIdentity: await callerOfStart() };
      setCurrentDetails(rosterSyncCurrentDetails(status));
    }
    // A dry run writes nothing and takes no lock.
    if (!input.dryRun && patched(RUN_LOCK_PATCH)) lock = await takeRunLock(input.integrationId);

    const first = await readAndPlan(runId);
    let planned = first.planned;
    let planRunId = runId;
    const result = (): RosterSyncResult => ({
      phase: status.phase,
      syncDate: first.syncDate,
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
      // The approval may come up to days later: plan again against fresh source and target, and apply
      // only what stays within the approved plan (IMSE-11, docs/roster-sync.md); otherwise stop again.
      if (patched(REPLAN_PATCH)) {
        for (let round = 1; ; round++) {
          const approved = status.approval;
          if (!approved) break; // unreachable: the run gets here approved
          const approvedPlanKey = planned.planKey;
          setPhase('reading-source');
          planRunId = `${runId}-after-approval-${round}`;
          planned = (await readAndPlan(planRunId)).planned;
          // A partial approval (apply/hold by entity type and kind) applies only its part of the fresh plan.
          const selection =
            approved.selection && patched(PARTIAL_APPROVAL_PATCH) ? approved.selection : undefined;
          const { restricted, ...check } = await io.checkRosterPlanAgainstApproval({
            approvedPlanKey,
            freshPlanKey: planned.planKey,
            ...(selection ? { selection } : {}),
          });
          status.sinceApproval = { ...check, approved };
          if (restricted) {
            planned = { ...planned, planKey: restricted.planKey, empty: isEmptyPlan(restricted.summary) };
            status.summary = restricted.summary;
            status.plan = { key: restricted.planKey, howToView: status.plan?.howToView ?? '' };
          }
          if (planned.empty) {
            setPhase('nothing-to-do');
            await io.sendRosterStatusEmail({ kind: 'nothing-to-do', status });
            return result();
          }
          // A fresh plan the filter lets through would have been applied without anyone's approval.
          if (check.within || (!planned.verdict.tripped && !restricted)) break;
          status.approval = null;
          deciding = false;
          const deadline = new Date(Date.now() + input.approvalTimeoutHours * 3600_000);
          status.awaitingApprovalUntil = deadline.toISOString();
          setPhase('awaiting-approval');
          await io.sendRosterStatusEmail({ kind: 'changed-since-approval', status });
          if (!(await awaitDecision())) {
            setPhase('rejected');
            await io.sendRosterStatusEmail({ kind: 'rejected', status });
            return result();
          }
        }
      }
    }

    setPhase('applying');
    // The integration id lets the apply count the run in a delay-delete window's summer report (IMSE-6);
    // an activity's input is not part of the determinism check, so older histories replay unpatched.
    status.applied = await apply.applyRosterPlan({
      runId: planRunId,
      planKey: planned.planKey,
      integrationId: input.integrationId,
    });
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
  } finally {
    if (lock) await releaseRunLock(lock);
  }
}

/**
 * Takes the integration's run lock (IMSE-11). When another run holds it, fails without retrying
 * and names that run. A lock whose holder is closed but that the server has not ended yet (it does
 * so right after) or that is stale is cleared by the activity, and taking it is tried again.
 */
async function takeRunLock(
  integrationId: string,
): Promise<ChildWorkflowHandle<typeof rosterRunLockWorkflow>> {
  const lockWorkflowId = rosterRunLockId(integrationId);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRunLock(integrationId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const holder = await io.rosterRunLockHolder({ lockWorkflowId });
      // A year-end freeze holds the lock for its whole length: say so, not "another run".
      if (holder !== null && holder === yearEndFreezeWorkflowId(integrationId) && patched(FREEZE_PATCH)) {
        throw ApplicationFailure.create({
          type: 'RosterIntegrationFrozen',
          nonRetryable: true,
          message: await io.rosterFreezeRefusal({ freezeWorkflowId: holder, integrationId }),
        });
      }
      if (holder !== null || attempt >= 3) {
        throw ApplicationFailure.create({
          type: 'RosterRunInProgress',
          nonRetryable: true,
          message:
            `Another roster run of ${integrationId} is in progress: workflow ${holder ?? lockWorkflowId}. ` +
            'This run wrote nothing; start it again when that run has finished.',
        });
      }
      await sleep('1 second');
    }
  }
}

const selectionOf = (approval: Approval): ApprovalSelection => ({
  ...(approval.apply ? { apply: approval.apply } : {}),
  ...(approval.hold ? { hold: approval.hold } : {}),
});

function parseInput(rawInput: unknown): RosterSyncInput {
  return parseWorkflowInput(rosterSyncInputSchema, rawInput, 'roster-sync');
}
