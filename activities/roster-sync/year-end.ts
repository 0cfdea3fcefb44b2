/**
 * Year-end activities (IMSE-5..7): the year-end part of a plan's policy (the open delay-delete window,
 * read from its workflow; the summer data, read from the store), the held-delete list, the daily
 * schedule's pause, the freeze's refusal and the year-end e-mails.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Mailer } from '../../adapters/mail';
import {
  DELAY_DELETE_REASON,
  summerDataSchema,
  type EntityType,
  type SummerData,
  type SyncPlan,
} from '../../domain/roster';
import {
  delayDeleteEmail,
  freezeEmail,
  frozenRefusal,
  type DelayDeleteEmailKind,
  type DelayDeleteStatus,
  type FreezeEmailKind,
  type FreezeStatus,
  type HeldDeletes,
} from '../../domain/roster-sync';
import { delayDeleteWorkflowId, rosterSyncScheduleId } from '../../platform/names';
import { yearEndKeys, type SnapshotStore } from '../../platform/store';
import { sendSummerReport } from './summer-report';

export interface YearEndDeps {
  store: SnapshotStore;
  mailer: Mailer;
  statusRecipients: string[];
}

/** The list an operator reads with `year-end held` (stored, never in history). */
export interface HeldDeletesList extends HeldDeletes {
  integrationId: string;
  until: string;
  held: SyncPlan['held'];
}

const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;
const codeOf = (err: unknown): number | undefined =>
  (err as { code?: number }).code ?? (err as { cause?: { code?: number } }).cause?.code;
export const isNotFound = (err: unknown): boolean =>
  codeOf(err) === NOT_FOUND || (err as Error).name === 'WorkflowNotFoundError';
/** No such schedule; or a server without schedules (the time-skipping test server), which has none either. */
const noSchedule = (err: unknown): boolean =>
  isNotFound(err) || codeOf(err) === UNIMPLEMENTED || (err as Error).name === 'ScheduleNotFoundError';

/**
 * The status of an integration's delay-delete window while its workflow runs (scheduled, open, or
 * closed and waiting for its closing run), else null.
 */
export async function runningWindow(
  client: Client,
  integrationId: string,
): Promise<DelayDeleteStatus | null> {
  const handle = client.workflow.getHandle(delayDeleteWorkflowId(integrationId));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return null;
    return await handle.query<DelayDeleteStatus>('status');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** The integration's summer data, or null when none is stored. */
export async function storedSummerData(
  store: SnapshotStore,
  integrationId: string,
): Promise<SummerData | null> {
  const key = yearEndKeys(integrationId).summerData;
  if (!(await store.exists(key))) return null;
  return store.getJson(key, summerDataSchema);
}

/** Writes what the window holds and tells its workflow the counts (a signal: no command in the run). */
export async function recordHeldDeletes(
  deps: YearEndDeps,
  client: Client,
  input: { integrationId: string; asOf: string; runWorkflowId: string; until: string; plan: SyncPlan },
): Promise<HeldDeletes> {
  const held = input.plan.held.filter((h) => h.reason === DELAY_DELETE_REASON);
  const byType: Partial<Record<EntityType, number>> = {};
  for (const h of held) byType[h.operation.entityType] = (byType[h.operation.entityType] ?? 0) + 1;
  const key = yearEndKeys(input.integrationId).heldDeletes;
  const summary: HeldDeletes = {
    asOf: input.asOf,
    runWorkflowId: input.runWorkflowId,
    key,
    total: held.length,
    byType,
  };
  const list: HeldDeletesList = { ...summary, integrationId: input.integrationId, until: input.until, held };
  await deps.store.putJson(key, list);
  try {
    await client.workflow
      .getHandle(delayDeleteWorkflowId(input.integrationId))
      .signal('heldDeletes', summary);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return summary;
}

export function createYearEndActivities(deps: YearEndDeps) {
  const schedule = (integrationId: string) =>
    Context.current().client.schedule.getHandle(rosterSyncScheduleId(integrationId));
  return {
    /** The summer data stored for an integration (IMSE-7): its validity period, or null. */
    async summerDataOf(input: {
      integrationId: string;
    }): Promise<{ validFrom: string; validUntil: string } | null> {
      const summer = await storedSummerData(deps.store, input.integrationId);
      return summer ? { validFrom: summer.validFrom, validUntil: summer.validUntil } : null;
    },

    /** Pauses the daily schedule with a note the Web UI shows; found false when there is none. */
    async pauseRosterSchedule(input: { integrationId: string; note: string }) {
      const id = rosterSyncScheduleId(input.integrationId);
      try {
        await schedule(input.integrationId).pause(input.note);
        return { id, found: true };
      } catch (err) {
        if (noSchedule(err)) return { id, found: false };
        throw err;
      }
    },

    async unpauseRosterSchedule(input: { integrationId: string; note: string }) {
      const id = rosterSyncScheduleId(input.integrationId);
      try {
        await schedule(input.integrationId).unpause(input.note);
        return { id, found: true };
      } catch (err) {
        if (noSchedule(err)) return { id, found: false };
        throw err;
      }
    },

    /** The message a run refused by a freeze fails with, from the freeze's own status (IMSE-5). */
    async rosterFreezeRefusal(input: { freezeWorkflowId: string; integrationId: string }): Promise<string> {
      let status: FreezeStatus | null = null;
      try {
        status = await Context.current()
          .client.workflow.getHandle(input.freezeWorkflowId)
          .query<FreezeStatus>('status');
      } catch {
        // The refusal stands without the details.
      }
      return frozenRefusal(status, input.freezeWorkflowId, input.integrationId);
    },

    async sendFreezeEmail(input: { kind: FreezeEmailKind; status: FreezeStatus }): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const mail = freezeEmail(input.kind, input.status, workflowId);
      await deps.mailer.send({ to: deps.statusRecipients, subject: mail.subject, text: mail.text });
    },

    /** The window's summer report (IMSE-6), from the counts its runs stored. */
    async sendSummerReportEmail(input: { status: DelayDeleteStatus }) {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      return sendSummerReport(deps, { status: input.status, workflowId });
    },

    async sendDelayDeleteEmail(input: {
      kind: DelayDeleteEmailKind;
      status: DelayDeleteStatus;
    }): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const mail = delayDeleteEmail(input.kind, input.status, workflowId);
      await deps.mailer.send({ to: deps.statusRecipients, subject: mail.subject, text: mail.text });
    },
  };
}
