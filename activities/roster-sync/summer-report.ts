/**
 * The summer report of a delay-delete window (IMSE-6): each applying run inside the window, and the
 * closing run after it, add what they applied per school to one stored document; the closing run
 * then tells the window, which e-mails the report built from the document. Counts only travel.
 */
import type { Client } from '@temporalio/client';
import { delayDeleteActive, type Roster, type SyncPlan, type TargetState } from '../../domain/roster';
import {
  buildSummerReport,
  CLOSING_RUN_APPLIED,
  reportFigures,
  schoolAttribution,
  stillHeldOperations,
  summerReportEmail,
  summerRun,
  withRun,
  type ClosingRunApplied,
  type DelayDeleteStatus,
  type ReportFigures,
  type SummerReportDocument,
} from '../../domain/roster-sync';
import { delayDeleteWorkflowId } from '../../platform/names';
import { rosterSyncKeys, yearEndKeys, type SnapshotStore } from '../../platform/store';
import type { YearEndDeps } from './year-end';
import { isNotFound, runningWindow } from './year-end';

async function storedReport(
  store: SnapshotStore,
  key: string,
  integrationId: string,
  window: { start: string; end: string },
): Promise<SummerReportDocument> {
  if (!(await store.exists(key))) return { integrationId, window, schools: {}, runs: {} };
  return { ...((await store.getJson(key)) as SummerReportDocument), window };
}

/** The window's document is in use until its report is sent: kept from the store's retention. */
export async function keepSummerReport(
  store: SnapshotStore,
  integrationId: string,
  start: string,
): Promise<void> {
  await store.keep(yearEndKeys(integrationId).summerReport(start));
}

/**
 * After a run applied `planKey`: when it ran inside the integration's window, or is the closing run
 * the closed window waits for, its counts per school go into the window's document (replacing the
 * same run's, so a retry never counts twice); the closing run then signals the window.
 */
export async function recordSummerRun(
  store: SnapshotStore,
  client: Client,
  input: { integrationId: string; runId: string; planKey: string; runWorkflowId: string },
): Promise<'inside-window' | 'closing-run' | null> {
  const window = await runningWindow(client, input.integrationId);
  if (!window) return null;
  const plan = (await store.getJson(input.planKey)) as SyncPlan;
  const syncDate = plan.asOf;
  if (!syncDate) return null;
  const closing = window.phase === 'closed' && window.report?.state === 'waiting-for-closing-run';
  if (!closing && (window.phase === 'closed' || !delayDeleteActive(window, syncDate))) return null;

  const keys = rosterSyncKeys(input.runId);
  const source = (await store.getJson(keys.source)) as Roster;
  const target = (await store.getJson(keys.target)) as TargetState;
  // A partial approval applied a restricted plan; the run's full plan says what stays held.
  const full = input.planKey === keys.plan ? plan : ((await store.getJson(keys.plan)) as SyncPlan);
  const stillHeld = closing ? stillHeldOperations(full, plan) : undefined;
  const attribution = schoolAttribution([source, target], [...plan.operations, ...(stillHeld ?? [])]);
  const run = summerRun({
    runWorkflowId: input.runWorkflowId,
    syncDate,
    closing,
    applied: plan.operations,
    ...(stillHeld ? { stillHeld } : {}),
    attribution,
  });
  const key = yearEndKeys(input.integrationId).summerReport(window.start);
  const doc = await storedReport(store, key, input.integrationId, { start: window.start, end: window.end });
  await store.putJson(key, withRun(doc, input.runId, run, attribution.names));
  if (!closing) return 'inside-window';
  const applied: ClosingRunApplied = { runWorkflowId: input.runWorkflowId, syncDate };
  try {
    await client.workflow
      .getHandle(delayDeleteWorkflowId(input.integrationId))
      .signal(CLOSING_RUN_APPLIED, applied);
  } catch (err) {
    // The window stopped waiting meanwhile (its report went out without this run): the run stands.
    if (!isNotFound(err)) throw err;
  }
  return 'closing-run';
}

/** The window's activity: builds the report from the document and e-mails it to the status recipients. */
export async function sendSummerReport(
  deps: YearEndDeps,
  input: { status: DelayDeleteStatus; workflowId: string },
): Promise<{ totals: ReportFigures; schools: number; key: string }> {
  const { status } = input;
  const key = yearEndKeys(status.integrationId).summerReport(status.start);
  const doc = await storedReport(deps.store, key, status.integrationId, {
    start: status.start,
    end: status.end,
  });
  const report = buildSummerReport(doc);
  const mail = summerReportEmail(report, status, input.workflowId);
  await deps.mailer.send({ to: deps.statusRecipients, subject: mail.subject, text: mail.text });
  return { totals: reportFigures(report), schools: report.rows.length, key };
}
