/**
 * Roster-sync activities: each reads or writes outside systems and the snapshot store, and hands
 * the workflow only store keys and counts.
 */
import { Context } from '@temporalio/activity';
import { conformRosterToImse, toImseDocument, type ItslearningClient } from '../../adapters/itslearning';
import type { Mailer } from '../../adapters/mail';
import { stockholmDate } from '../../domain/procapita/dates';
import {
  batchPlan,
  checkAgainstApproval,
  countRoster,
  countSynced,
  delayDeleteActive,
  evaluateSafetyFilter,
  isEmptyPlan,
  isPartialSelection,
  restrictPlan,
  type ApprovalSelection,
  planSync,
  summarizePlan,
  type ApprovalCheck,
  type EntityCounts,
  type PlanSummary,
  type Roster,
  type SafetyThresholds,
  type SafetyVerdict,
  type SyncPlan,
  type TargetState,
} from '../../domain/roster';
import {
  addWarnings,
  rosterStatusEmail,
  type AppliedSummary,
  type RosterSyncStatus,
  type StatusEmailKind,
} from '../../domain/roster-sync';
import { rosterSyncKeys, yearEndKeys, type SnapshotStore } from '../../platform/store';
import { createCallerIdentityActivities } from '../caller-identity';
import { heartbeatWhile } from './heartbeat';
import type { RosterSource } from './source';
import { keepSummerReport, recordSummerRun } from './summer-report';
import { createYearEndActivities, recordHeldDeletes, runningWindow, storedSummerData } from './year-end';

export type { RosterSource } from './source';

export interface RosterSyncDeps {
  store: SnapshotStore;
  rosterSource: RosterSource;
  itslearning: ItslearningClient;
  mailer: Mailer;
  statusRecipients: string[];
  syncKeySource: string;
  safetyThresholds: SafetyThresholds;
  batchSize: number;
  /** How an operator sees a stored plan, e.g. a CLI command with the key. */
  planViewHint: (planKey: string) => string;
  /** IMSE-8: archive, not delete, a course whose group left the source (default true). */
  courseArchiving?: boolean;
}

export interface ApplyProgress {
  nextBatch: number;
  operations: number;
  warningCount: number;
  warnings: string[];
}

/** Warnings for workflow history: the count and the first few verbatim. */
function keptWarnings(warnings: string[]): { warningCount: number; warnings: string[] } {
  return addWarnings({ warningCount: 0, warnings: [] }, { warnings });
}

export function createRosterSyncActivities(deps: RosterSyncDeps) {
  const activities = {
    // Operator decisions (approve, reject, the filter turned off) record who made them (PLAT-15).
    ...createCallerIdentityActivities(),
    async readRosterSource(input: { runId: string; integrationId: string; syncDate?: string }) {
      const syncDate = input.syncDate ?? stockholmDate(new Date());
      const { roster, report, warnings } = await heartbeatWhile(
        () => deps.rosterSource.read(syncDate),
        () => ({ phase: 'reading-source', syncDate }),
      );
      const ref = await deps.store.putJson(rosterSyncKeys(input.runId).source, roster);
      return {
        syncDate,
        sourceKey: ref.key,
        bytes: ref.bytes,
        counts: countRoster(roster),
        report,
        // Problems in the source's data (IMSE-12), e.g. duplicate school rows: count and the first few.
        warnings: keptWarnings(warnings ?? []),
      };
    },

    async readRosterTarget(input: { runId: string; integrationId: string }) {
      const read: Record<string, number> = {};
      const target = await heartbeatWhile(
        () => deps.itslearning.readSyncedState((p) => (read[p.kind] = p.read)),
        () => ({ phase: 'reading-target', read }),
      );
      const ref = await deps.store.putJson(rosterSyncKeys(input.runId).target, target);
      return { targetKey: ref.key, bytes: ref.bytes, counts: countSynced(target, deps.syncKeySource) };
    },

    async planRosterSync(input: {
      runId: string;
      integrationId: string;
      syncDate: string;
      sourceKey: string;
      targetKey: string;
      safetyFilterEnabled: boolean;
      /** A dry run (or a preview) leaves the year-end state alone. Absent in older runs. */
      dryRun?: boolean;
    }): Promise<{
      planKey: string;
      summary: PlanSummary;
      verdict: SafetyVerdict;
      empty: boolean;
      howToView: string;
      /** False when the thresholds file turns the filter off for every run (`enabled: false`). */
      filterConfigured: boolean;
      /** Values fitted into IMS Enterprise 1.1's limits (IMSE-12): count and the first few. */
      dataWarnings: { warningCount: number; warnings: string[] };
      /** Operator-facing lines of the year-end steps (held deletes, summer data). */
      notes: string[];
    }> {
      // Both were written and validated by the activities above; re-validating 400k records costs seconds.
      const stored = (await deps.store.getJson(input.sourceKey)) as Roster;
      // IMSE-12: values past IMS Enterprise 1.1's limits are fitted per entity, with a warning.
      const { roster: source, warnings: fitted } = conformRosterToImse(stored);
      const target = (await deps.store.getJson(input.targetKey)) as TargetState;
      // The year-end policy (IMSE-6, IMSE-7): an open delay-delete window and the summer data.
      const client = Context.current().client;
      const windowStatus = await runningWindow(client, input.integrationId);
      const window =
        windowStatus && windowStatus.phase !== 'closed'
          ? { start: windowStatus.start, end: windowStatus.end }
          : null;
      const summer = await storedSummerData(deps.store, input.integrationId);
      const plan = planSync(source, target, {
        syncKeySource: deps.syncKeySource,
        asOf: input.syncDate,
        courseArchiving: deps.courseArchiving !== false,
        ...(window ? { delayDelete: window } : {}),
        ...(summer ? { summerData: summer } : {}),
      });
      const planKey = (await deps.store.putJson(rosterSyncKeys(input.runId).plan, plan)).key;
      const notes = [...plan.notes];
      if (!input.dryRun) {
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
        if (windowStatus) await keepSummerReport(deps.store, input.integrationId, windowStatus.start);
        // Recorded on every run inside the window, also when nothing is held any more (all returned).
        if (window && delayDeleteActive(window, input.syncDate)) {
          const held = await recordHeldDeletes(deps, client, {
            integrationId: input.integrationId,
            asOf: input.syncDate,
            runWorkflowId: workflowId,
            until: window.end,
            plan,
          });
          notes.push(
            `Delay-delete window open until ${window.end}: ${held.total} delete(s) held. ` +
              `List them: npm run client -- year-end held ${input.integrationId}`,
          );
        }
        // In use until its validity ends: kept from the store's retention meanwhile.
        if (summer && input.syncDate <= summer.validUntil) {
          await deps.store.keep(yearEndKeys(input.integrationId).summerData);
          if (input.syncDate >= summer.validFrom) {
            notes.push(`Summer data (${summer.validFrom} to ${summer.validUntil}) merged into the source.`);
          }
        }
      }
      const summary = summarizePlan(plan);
      // A closing run with nothing to do applies nothing, but it is the closing run all the same (IMSE-6).
      if (!input.dryRun && !window && isEmptyPlan(summary)) {
        await recordSummerRun(deps.store, client, {
          integrationId: input.integrationId,
          runId: input.runId,
          planKey,
          runWorkflowId: Context.current().info.workflowExecution?.workflowId ?? 'unknown',
        });
      }
      // The previous import is what the target holds under our sync keys now.
      const previous: EntityCounts = countSynced(target, deps.syncKeySource);
      const verdict = evaluateSafetyFilter(summary, previous, {
        ...deps.safetyThresholds,
        enabled: deps.safetyThresholds.enabled && input.safetyFilterEnabled,
      });
      return {
        planKey,
        summary,
        verdict,
        empty: isEmptyPlan(summary),
        howToView: deps.planViewHint(planKey),
        filterConfigured: deps.safetyThresholds.enabled,
        dataWarnings: keptWarnings(fitted),
        notes,
      };
    },

    /**
     * Whether a plan made after an approval stays within the approved plan (IMSE-11); counts only
     * travel back, never keys.
     */
    async checkRosterPlanAgainstApproval(input: {
      approvedPlanKey: string;
      freshPlanKey: string;
      /** A partial approval: both plans are compared as restricted to it, and the restricted one is stored. */
      selection?: ApprovalSelection;
    }): Promise<ApprovalCheck & { restricted?: { planKey: string; summary: PlanSummary } }> {
      const approved = (await deps.store.getJson(input.approvedPlanKey)) as SyncPlan;
      const fresh = (await deps.store.getJson(input.freshPlanKey)) as SyncPlan;
      if (!input.selection || !isPartialSelection(input.selection))
        return checkAgainstApproval(approved, fresh);
      const restricted = restrictPlan(fresh, input.selection);
      const planKey = input.freshPlanKey.replace(/plan\.json$/, 'approved-part.json');
      await deps.store.putJson(planKey, restricted);
      return {
        ...checkAgainstApproval(restrictPlan(approved, input.selection), restricted),
        restricted: { planKey, summary: summarizePlan(restricted) },
      };
    },

    /**
     * Which roster run holds an integration's run lock (IMSE-11): the lock is a child workflow and
     * its parent the holder. A lock whose holder is closed is stale (the server ends it right after
     * its holder, or a crash of the server's own clean-up left it): it is ended here and null
     * returned, as when there is no lock, so the caller takes it again.
     */
    async rosterRunLockHolder(input: { lockWorkflowId: string }): Promise<string | null> {
      const ctx = Context.current();
      const service = ctx.client.workflowService;
      const namespace = ctx.info.workflowNamespace;
      const running = 1; // WORKFLOW_EXECUTION_STATUS_RUNNING
      const describe = async (workflowId: string, runId?: string) => {
        try {
          const d = await service.describeWorkflowExecution({ namespace, execution: { workflowId, runId } });
          return d.workflowExecutionInfo ?? null;
        } catch (err) {
          if ((err as { code?: number }).code === 5) return null; // NOT_FOUND
          throw err;
        }
      };
      const lock = await describe(input.lockWorkflowId);
      if (!lock || lock.status !== running) return null;
      const parent = lock.parentExecution;
      const holder = parent?.workflowId ? await describe(parent.workflowId, parent.runId ?? undefined) : null;
      if (parent?.workflowId && holder?.status === running) return parent.workflowId;
      try {
        await service.terminateWorkflowExecution({
          namespace,
          workflowExecution: { workflowId: input.lockWorkflowId, runId: lock.execution?.runId },
          reason: 'stale roster run lock: its holder is closed',
        });
      } catch (err) {
        if ((err as { code?: number }).code !== 5) throw err;
      }
      return null;
    },

    /**
     * Sends the plan in batches with idempotency keys, heartbeating the next batch to send: a retry
     * after a crash resumes there, and a batch in flight at the crash is answered from the target's
     * idempotency cache instead of being applied twice.
     */
    async applyRosterPlan(input: {
      runId: string;
      planKey: string;
      /** Absent in older runs: then no summer report counts them (IMSE-6). */
      integrationId?: string;
    }): Promise<AppliedSummary> {
      const ctx = Context.current();
      const plan = (await deps.store.getJson(input.planKey)) as SyncPlan;
      const batches = batchPlan(plan, deps.batchSize, { runId: input.runId });
      const resumed = ctx.info.heartbeatDetails as Partial<ApplyProgress> | undefined;
      let progress: ApplyProgress = {
        nextBatch: resumed?.nextBatch ?? 0,
        operations: resumed?.operations ?? 0,
        warningCount: resumed?.warningCount ?? 0,
        warnings: resumed?.warnings ?? [],
      };
      for (let i = progress.nextBatch; i < batches.length; i++) {
        const batch = batches[i];
        if (!batch) break;
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
        const report = await deps.itslearning.importDocument(toImseDocument(batch), batch.idempotencyKey);
        progress = {
          nextBatch: i + 1,
          operations: progress.operations + batch.operations.length,
          ...addWarnings(progress, report),
        };
        ctx.heartbeat(progress);
      }
      // Inside a delay-delete window, and in its closing run, what was applied counts in its summer report.
      const { integrationId } = input;
      if (integrationId) {
        const runWorkflowId = ctx.info.workflowExecution?.workflowId ?? 'unknown';
        await heartbeatWhile(
          () => recordSummerRun(deps.store, ctx.client, { ...input, integrationId, runWorkflowId }),
          () => progress,
        );
      }
      return {
        batches: batches.length,
        operations: progress.operations,
        warningCount: progress.warningCount,
        warnings: progress.warnings,
      };
    },

    async sendRosterStatusEmail(input: { kind: StatusEmailKind; status: RosterSyncStatus }): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const mail = rosterStatusEmail(input.kind, input.status, workflowId, {
        filterOffByConfiguration: !deps.safetyThresholds.enabled,
      });
      await deps.mailer.send({ to: deps.statusRecipients, subject: mail.subject, text: mail.text });
    },
  };
  return {
    ...activities,
    ...createYearEndActivities(deps),
    /**
     * What the run after a delay-delete window's end will do (IMSE-6): today's roster and target,
     * planned for the end date (the window no longer holds then) and checked by the filter. Writes
     * nothing but the stored plan.
     */
    async previewClosingRun(input: { runId: string; integrationId: string; syncDate: string }) {
      const source = await activities.readRosterSource(input);
      const target = await activities.readRosterTarget(input);
      const planned = await activities.planRosterSync({
        ...input,
        sourceKey: source.sourceKey,
        targetKey: target.targetKey,
        safetyFilterEnabled: true,
        dryRun: true,
      });
      return {
        syncDate: input.syncDate,
        planKey: planned.planKey,
        summary: planned.summary,
        violations: planned.verdict.violations,
        stopsAtFilter: planned.verdict.tripped,
      };
    },
  };
}

export type RosterSyncActivities = ReturnType<typeof createRosterSyncActivities>;
