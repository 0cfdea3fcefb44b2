/**
 * Delay-delete window (IMSE-6): between its start and end dates every daily roster run still
 * creates and updates, and holds every delete. The runs' planner reads the window from this
 * workflow's `status` query; each run tells it what it held (signal `heldDeletes`; the list itself is
 * in the store). On the end date the window closes by itself: from then on runs carry out the held
 * deletes through the safety filter. Before that an operator can preview the closing run
 * (`previewClose`), and end the window early or extend it (`setEndDate`). One window per
 * integration (its workflow id). It waits months, so it continues as new before its history grows.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { describeIssues } from '../domain/grade-return/input';
import { stockholmDate } from '../domain/procapita/dates';
import {
  delayDeleteCurrentDetails,
  delayDeleteInputSchema,
  heldDeletesHint,
  setEndDateSchema,
  startOfStockholmDay,
  type ClosingPreview,
  type DelayDeleteInput,
  type DelayDeletePhase,
  type DelayDeleteStatus,
  type HeldDeletes,
  type SetEndDate,
} from '../domain/roster-sync/year-end';
import { CLOSING_RUN_APPLIED, type ClosingRunApplied } from '../domain/roster-sync/summer-report';
import { integrations, searchAttributes } from '../platform/names';
import { callerOfCurrentUpdate, callerOfStart } from './support/caller-identity';
import {
  closingPreviewActivities as planning,
  yearEndActivities as io,
} from './support/roster-sync-activities';
import { parseWorkflowInput } from './support/workflow-input';

export const delayDeleteStatusQuery = defineQuery<DelayDeleteStatus>('status');
/** Sent by each roster run's planning activity: what it held (counts; the list is in the store). */
export const heldDeletesSignal = defineSignal<[HeldDeletes]>('heldDeletes');
/** Sent by the apply activity of the closing run, the first run to apply after the window closed. */
export const closingRunAppliedSignal = defineSignal<[ClosingRunApplied]>(CLOSING_RUN_APPLIED);
/** After closing, the window waits for the closing run and e-mails the summer report; older windows ended. */
const SUMMER_REPORT_PATCH = 'delay-delete-summer-report';
/** Operator update: extend the window or end it early (an end date of today closes it now). */
export const setEndDateUpdate = defineUpdate<DelayDeleteStatus, [SetEndDate]>('setEndDate');
/** Operator update: plan the closing run now, without writing, and say what it will delete. */
export const previewCloseUpdate = defineUpdate<ClosingPreview, [unknown]>('previewClose');

/** What a continued run carries over, beside the input. */
interface Carried {
  status: DelayDeleteStatus;
  previews: number;
}

export async function delayDeleteWindowWorkflow(
  rawInput: unknown,
  carried?: Carried,
): Promise<DelayDeleteStatus> {
  const input = parseInput(rawInput);
  const { integrationId } = input;
  const status: DelayDeleteStatus = carried?.status ?? {
    phase: 'scheduled',
    integrationId,
    start: input.startDate,
    end: input.endDate,
    reason: input.reason ?? null,
    startedBy: null,
    endChanges: [],
    held: null,
    lastPreview: null,
    closedAt: null,
    howToList: heldDeletesHint(integrationId),
  };
  let previews = carried?.previews ?? 0;
  let closingRun: ClosingRunApplied | null = null;
  let endChanged = false;
  const details = () => setCurrentDetails(delayDeleteCurrentDetails(status));
  const setPhase = (phase: DelayDeletePhase): void => {
    status.phase = phase;
    upsertSearchAttributes([{ key: searchAttributes.integrationStatus, value: `delay-delete-${phase}` }]);
    details();
  };
  setHandler(delayDeleteStatusQuery, () => status);
  setHandler(heldDeletesSignal, (held) => {
    if (status.phase === 'closed') return;
    if (!status.held || held.asOf >= status.held.asOf) status.held = held;
    details();
  });
  setHandler(closingRunAppliedSignal, (applied) => {
    closingRun ??= applied;
  });
  const refuse = (type: string, message: string): never => {
    throw ApplicationFailure.create({ type, nonRetryable: true, message });
  };
  let busy = false;
  setHandler(
    setEndDateUpdate,
    async (change) => {
      busy = true;
      try {
        const identity = await callerOfCurrentUpdate();
        const today = stockholmDate(new Date());
        const to = change.endDate < today ? today : change.endDate;
        status.endChanges.push({
          operator: change.operator,
          identity,
          ...(change.comment ? { comment: change.comment } : {}),
          at: new Date().toISOString(),
          from: status.end,
          to,
        });
        status.end = to;
        endChanged = true;
        details();
        await io.sendDelayDeleteEmail({ kind: 'end-changed', status });
        return status;
      } finally {
        busy = false;
      }
    },
    {
      validator: (change) => {
        if (status.phase === 'closed') refuse('WindowClosed', 'The delay-delete window is already closed');
        if (busy) refuse('WindowBusy', 'Another change of this window is being recorded; try again');
        const parsed = setEndDateSchema.safeParse(change);
        if (!parsed.success) refuse('InvalidInput', `Invalid setEndDate: ${describeIssues(parsed.error)}`);
        if (change.endDate < status.start)
          refuse('InvalidInput', `endDate must not be before the start date ${status.start}`);
      },
    },
  );
  setHandler(
    previewCloseUpdate,
    async (_options: unknown) => {
      busy = true;
      try {
        previews += 1;
        const preview = await planning.previewClosingRun({
          runId: `${workflowInfo().runId}-close-preview-${previews}`,
          integrationId,
          syncDate: status.end,
        });
        const last: ClosingPreview = {
          ...preview,
          at: new Date().toISOString(),
          howToList: `npm run client -- year-end preview ${integrationId} (or show-stored ${preview.planKey})`,
        };
        status.lastPreview = last;
        details();
        return last;
      } finally {
        busy = false;
      }
    },
    {
      validator: (_options: unknown) => {
        if (status.phase === 'closed')
          refuse('WindowClosed', 'The delay-delete window is closed: the next run is the closing run');
        if (busy) refuse('WindowBusy', 'Another change or preview of this window is running; try again');
      },
    },
  );

  upsertSearchAttributes([
    { key: searchAttributes.integration, value: integrations.rosterSync },
    { key: searchAttributes.sourceId, value: integrationId },
  ]);
  if (!carried) status.startedBy = await callerOfStart();
  details();

  const continueIfLong = async (): Promise<void> => {
    if (
      workflowInfo().historyLength < input.continueAsNewAfterEvents &&
      !workflowInfo().continueAsNewSuggested
    )
      return;
    await condition(() => !busy);
    await continueAsNew<typeof delayDeleteWindowWorkflow>(input, { status, previews });
  };
  // Waits until the start of `day` or until the end date changes; true when the day has come.
  const reached = async (day: () => string): Promise<boolean> => {
    const at = startOfStockholmDay(day()).getTime();
    if (at <= Date.now()) return true;
    endChanged = false;
    const changed = await condition(
      () => endChanged || workflowInfo().historyLength >= input.continueAsNewAfterEvents,
      at - Date.now(),
    );
    return !changed;
  };

  if (status.phase === 'scheduled') {
    while (!(await reached(() => (status.start < status.end ? status.start : status.end))))
      await continueIfLong();
    if (status.end > status.start) {
      setPhase('open');
      await io.sendDelayDeleteEmail({ kind: 'opened', status });
    }
  }
  while (!(await reached(() => status.end))) await continueIfLong();

  await condition(() => !busy);
  status.closedAt = new Date().toISOString();
  setPhase('closed');
  await io.sendDelayDeleteEmail({ kind: 'closed', status });

  // The summer report: sent once the closing run has applied, so its deletes are real; windows that
  // closed before the report existed ended here.
  if (patched(SUMMER_REPORT_PATCH)) {
    const waitMs = input.reportWaitDays * 86_400_000;
    status.report = {
      state: 'waiting-for-closing-run',
      waitUntil: new Date(Date.now() + waitMs).toISOString(),
      closingRun: null,
    };
    details();
    const applied = await condition(() => closingRun !== null, waitMs);
    status.report.closingRun = closingRun;
    const sent = await io.sendSummerReportEmail({ status });
    status.report = {
      ...status.report,
      ...sent,
      state: applied ? 'sent' : 'sent-without-closing-run',
      sentAt: new Date().toISOString(),
    };
    details();
  }
  return status;
}

function parseInput(rawInput: unknown): DelayDeleteInput {
  return parseWorkflowInput(delayDeleteInputSchema, rawInput, 'delay-delete window');
}
