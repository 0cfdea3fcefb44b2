/**
 * The year-end lifecycle of the roster sync as data operators see in the Web UI: the inputs of the
 * freeze (IMSE-5) and the delay-delete window (IMSE-6), their statuses, e-mails and current details.
 * Pure and workflow-safe.
 */
import { z } from 'zod';
import { addDays } from '../procapita/dates';
import { entityTypes, type EntityType, type PlanSummary, type SafetyViolation } from '../roster';
import { currentDetails, plural, startMetadata, type StartMetadata } from '../user-metadata';
import { describeViolation } from './describe';
import type { SummerReportState } from './summer-report';

/** Integration ids end up in store keys and workflow ids: letters, digits, `.`, `_` and `-`. */
const integrationIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-"')
  .default('procapita-itslearning');

export const freezeInputSchema = z
  .object({
    integrationId: integrationIdSchema,
    /** From this day (Europe/Stockholm) no roster run writes. */
    lastTeachingDay: z.iso.date(),
    /** The day the schedule runs again by itself; without it, only `resume` ends the freeze. */
    resumeDate: z.iso.date().optional(),
    reason: z.string().trim().min(3).max(500),
  })
  .strict()
  .refine((i) => !i.resumeDate || i.resumeDate > i.lastTeachingDay, {
    message: 'resumeDate must be after lastTeachingDay',
    path: ['resumeDate'],
  });
export type FreezeInput = z.output<typeof freezeInputSchema>;

export const delayDeleteInputSchema = z
  .object({
    integrationId: integrationIdSchema,
    /** First day deletes are held. */
    startDate: z.iso.date(),
    /** The window closes by itself on this day; the next run carries out the held deletes. */
    endDate: z.iso.date(),
    reason: z.string().trim().max(500).optional(),
    /** The window continues as new past this many history events (a daily signal stays far below it). */
    continueAsNewAfterEvents: z.number().int().min(50).max(10_000).default(2000),
    /** After closing, how long the window waits for the closing run to apply before it sends the summer report anyway. */
    reportWaitDays: z.number().int().min(1).max(90).default(30),
  })
  .strict()
  .refine((i) => i.endDate > i.startDate, { message: 'endDate must be after startDate', path: ['endDate'] });
export type DelayDeleteInput = z.output<typeof delayDeleteInputSchema>;

/** `resume` (freeze), `endNow` (window): who does it. */
export const operatorActSchema = z.object({
  operator: z.string().trim().min(1).max(200),
  comment: z.string().trim().max(2000).optional(),
});
export type OperatorAct = z.infer<typeof operatorActSchema>;

/** `setEndDate` on a window: extend it or end it early. */
export const setEndDateSchema = operatorActSchema.extend({ endDate: z.iso.date() });
export type SetEndDate = z.infer<typeof setEndDateSchema>;

export interface RecordedAct {
  operator: string;
  /** The identity Temporal recorded for the caller (PLAT-15). */
  identity: string | null;
  comment?: string;
  at: string;
}

export type FreezePhase = 'scheduled' | 'waiting-for-run' | 'frozen' | 'resumed' | 'cancelled';

export interface FreezeStatus {
  phase: FreezePhase;
  integrationId: string;
  /** The day the freeze starts (the last teaching day). */
  since: string;
  /** The resume date, or null: until an operator resumes it. */
  until: string | null;
  reason: string;
  /** The identity Temporal recorded for whoever started the freeze. */
  startedBy: string | null;
  /** When the daily schedule was paused and resumed, or null when there is none to pause. */
  schedule: { id: string; paused: boolean; found: boolean } | null;
  /** A run that held the run lock when the freeze began: the freeze waits for it. */
  waitingFor: string | null;
  frozenAt: string | null;
  resumed: (RecordedAct & { how: 'operator' | 'resume-date' }) | null;
}

export type DelayDeletePhase = 'scheduled' | 'open' | 'closed';

export interface HeldDeletes {
  /** The day of the run that listed them. */
  asOf: string;
  runWorkflowId: string;
  /** Store key of the list. */
  key: string;
  total: number;
  byType: Partial<Record<EntityType, number>>;
}

export interface ClosingPreview {
  at: string;
  /** The day it was planned for: the window's end date. */
  syncDate: string;
  planKey: string | null;
  summary: PlanSummary | null;
  violations: SafetyViolation[];
  /** True when the filter will stop the closing run: an operator approves it then. */
  stopsAtFilter: boolean;
  howToList: string;
}

export interface DelayDeleteStatus {
  phase: DelayDeletePhase;
  integrationId: string;
  start: string;
  end: string;
  reason: string | null;
  startedBy: string | null;
  /** Extensions and early ends, oldest first. */
  endChanges: (RecordedAct & { from: string; to: string })[];
  /** What the last daily run held back. */
  held: HeldDeletes | null;
  lastPreview: ClosingPreview | null;
  closedAt: string | null;
  howToList: string;
  /** The summer report, once closed (absent in windows that closed before the report existed). */
  report?: SummerReportState;
}

/** The CLI line an operator runs to list what a window holds. */
export const heldDeletesHint = (integrationId: string): string =>
  `npm run client -- year-end held ${integrationId}`;

const stockholmClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The instant a Stockholm calendar day begins (00:00 local time, CET or CEST). */
export function startOfStockholmDay(date: string): Date {
  for (const offsetHours of [1, 2, 0, 3]) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) - offsetHours * 3600_000);
    const parts = Object.fromEntries(stockholmClock.formatToParts(candidate).map((p) => [p.type, p.value]));
    if (
      `${parts.year}-${parts.month}-${parts.day}` === date &&
      parts.hour === '00' &&
      parts.minute === '00'
    ) {
      return candidate;
    }
  }
  return new Date(`${date}T00:00:00Z`);
}

export const dayBefore = (date: string): string => addDays(date, -1);

const heldText = (held: HeldDeletes | null): string =>
  held
    ? `${plural(held.total, 'delete')} held as of ${held.asOf}` +
      (held.total > 0
        ? ` (${entityTypes
            .filter((t) => held.byType[t])
            .map((t) => `${t} ${held.byType[t]}`)
            .join(', ')})`
        : '')
    : 'no run has planned inside the window yet';

export function freezeCurrentDetails(s: FreezeStatus): string {
  const until = s.until ? `until ${s.until}` : 'until an operator sends the update resume';
  const who = `started by ${s.startedBy ?? 'an unknown caller'}: ${s.reason}`;
  switch (s.phase) {
    case 'scheduled':
      return currentDetails([
        `Year-end freeze of ${s.integrationId} from ${s.since} ${until}; ${who}.`,
        'Not frozen yet: an e-mail goes out the day before. The update resume cancels it.',
      ]);
    case 'waiting-for-run':
      return currentDetails([
        `Year-end freeze of ${s.integrationId}: the schedule is paused; waiting for run ${s.waitingFor} to finish before freezing.`,
      ]);
    case 'frozen':
      return currentDetails([
        `FROZEN: no roster run of ${s.integrationId} writes, since ${s.since} ${until}; ${who}.`,
        s.schedule?.found ? `The daily schedule ${s.schedule.id} is paused.` : 'No daily schedule to pause.',
        'End it: send the update resume with {"operator": "you@school.se"}.',
      ]);
    case 'resumed':
    case 'cancelled':
      return currentDetails([
        `Year-end freeze of ${s.integrationId} ${s.phase === 'resumed' ? 'ended' : 'cancelled'} at ${s.resumed?.at ?? '?'}` +
          (s.resumed?.how === 'operator'
            ? ` by ${s.resumed.operator} (Temporal identity: ${s.resumed.identity ?? 'none sent'})`
            : ' (resume date)') +
          '; the daily schedule runs again.',
      ]);
  }
}

export function delayDeleteCurrentDetails(s: DelayDeleteStatus): string {
  const window = `Delay-delete window of ${s.integrationId} ${s.start} to ${s.end}`;
  const preview = s.lastPreview
    ? `Closing run preview (${s.lastPreview.at}): ${s.lastPreview.summary?.totals.delete ?? 0} deletes` +
      (s.lastPreview.stopsAtFilter ? ', the safety filter will stop it for approval.' : '.')
    : '';
  switch (s.phase) {
    case 'scheduled':
      return currentDetails([`${window}: opens ${s.start}; started by ${s.startedBy ?? 'unknown'}.`]);
    case 'open':
      return currentDetails(
        [
          `${window}: OPEN. Daily runs create and update; deletes are held.`,
          `${heldText(s.held)}. List them: ${s.howToList}.`,
          preview,
          'Preview the closing run: update previewClose. End early or extend: update setEndDate.',
        ].filter(Boolean),
      );
    case 'closed':
      return currentDetails(
        [
          `${window}: closed at ${s.closedAt ?? '?'}. The next run carries out the held deletes through the safety filter.`,
          preview,
          s.report ? reportText(s.report) : '',
        ].filter(Boolean),
      );
  }
}

function reportText(r: SummerReportState): string {
  const figures = r.totals
    ? `: ${r.totals.created} created, ${r.totals.archived} archived, ${r.totals.deleted} deleted, ${r.totals.stillHeld} still held, over ${plural(r.schools ?? 0, 'school')}`
    : '';
  switch (r.state) {
    case 'waiting-for-closing-run':
      return `Summer report: e-mailed when the closing run has applied (at the latest ${r.waitUntil}).`;
    case 'sent':
      return `Summer report e-mailed at ${r.sentAt ?? '?'} after the closing run ${r.closingRun?.runWorkflowId ?? '?'} applied${figures}.`;
    case 'sent-without-closing-run':
      return `Summer report e-mailed at ${r.sentAt ?? '?'} WITHOUT a closing run: none applied by ${r.waitUntil}${figures}.`;
  }
}

export interface YearEndEmail {
  subject: string;
  text: string;
}

export type FreezeEmailKind = 'starts-tomorrow' | 'started' | 'ended' | 'cancelled';

export function freezeEmail(kind: FreezeEmailKind, s: FreezeStatus, workflowId: string): YearEndEmail {
  const until = s.until ? `until ${s.until}` : 'until an operator resumes it';
  const headline: Record<FreezeEmailKind, string> = {
    'starts-tomorrow': `year-end freeze starts ${s.since}`,
    started: `year-end freeze started (${s.since})`,
    ended: 'year-end freeze ended: the daily roster sync runs again',
    cancelled: 'year-end freeze cancelled before it started',
  };
  const lines = [
    `Roster sync ${s.integrationId}: ${headline[kind]}.`,
    `Workflow: ${workflowId}`,
    '',
    `Freeze from ${s.since} ${until}, started by ${s.startedBy ?? 'an unknown caller'}: ${s.reason}`,
  ];
  if (kind === 'starts-tomorrow' || kind === 'started') {
    lines.push(
      'While frozen the daily schedule is paused and a run started by hand refuses: users, courses and content in itslearning stay as they are.',
      `End it: Web UI -> workflow ${workflowId} -> Updates -> "resume" with {"operator": "you@school"}`,
    );
  }
  if (s.resumed) {
    lines.push(
      s.resumed.how === 'operator'
        ? `Ended by ${s.resumed.operator} (Temporal identity: ${s.resumed.identity ?? 'none sent'}) at ${s.resumed.at}${s.resumed.comment ? ` (${s.resumed.comment})` : ''}.`
        : `Ended at the resume date, ${s.resumed.at}.`,
    );
  }
  return { subject: `[roster sync] ${s.integrationId}: ${headline[kind]}`, text: lines.join('\n') };
}

export type DelayDeleteEmailKind = 'opened' | 'end-changed' | 'closed';

export function delayDeleteEmail(
  kind: DelayDeleteEmailKind,
  s: DelayDeleteStatus,
  workflowId: string,
): YearEndEmail {
  const headline: Record<DelayDeleteEmailKind, string> = {
    opened: `delay-delete window open until ${s.end}`,
    'end-changed': `delay-delete window now ends ${s.end}`,
    closed: 'delay-delete window closed: the next run carries out the held deletes',
  };
  const lines = [
    `Roster sync ${s.integrationId}: ${headline[kind]}.`,
    `Workflow: ${workflowId}`,
    '',
    `Window ${s.start} to ${s.end}, started by ${s.startedBy ?? 'an unknown caller'}${s.reason ? `: ${s.reason}` : ''}.`,
    `Held deletes: ${heldText(s.held)}. List them: ${s.howToList}`,
  ];
  const last = s.endChanges.at(-1);
  if (kind === 'end-changed' && last) {
    lines.push(
      `End date changed from ${last.from} to ${last.to} by ${last.operator} (Temporal identity: ${last.identity ?? 'none sent'})${last.comment ? `: ${last.comment}` : ''}.`,
    );
  }
  if (kind === 'closed') {
    lines.push(
      'The next run plans the held deletes again (whatever returned to the source is no longer a delete) and',
      'they go through the safety filter: when it stops the run, approve it from the Web UI (update "approve"),',
      'or approve part of it, e.g. {"operator": "you@school", "apply": [{"entityType": "membership"}, {"entityType": "person", "op": "delete"}]}.',
    );
  }
  if (s.lastPreview) lines.push('', ...previewLines(s.lastPreview));
  if (kind !== 'closed') {
    lines.push(
      '',
      `Preview the closing run: Web UI -> workflow ${workflowId} -> Updates -> "previewClose" with {}`,
      `End early or extend: update "setEndDate" with {"operator": "you@school", "endDate": "YYYY-MM-DD"}`,
    );
  }
  return { subject: `[roster sync] ${s.integrationId}: ${headline[kind]}`, text: lines.join('\n') };
}

function previewLines(p: ClosingPreview): string[] {
  const lines = [`Closing run preview for ${p.syncDate} (planned ${p.at}):`];
  for (const t of entityTypes) {
    const c = p.summary?.byType[t];
    if (c?.delete) lines.push(`  ${t.padEnd(15)} ${c.delete} delete(s)`);
  }
  if (p.stopsAtFilter) {
    lines.push(`  The safety filter will stop it: ${p.violations.map(describeViolation).join('; ')}.`);
  }
  return lines;
}

export function freezeStartMetadata(input: Partial<FreezeInput>): StartMetadata {
  const id = input.integrationId ?? 'procapita-itslearning';
  return startMetadata(
    `Year-end freeze ${id}: from ${input.lastTeachingDay ?? '?'} ${input.resumeDate ? `until ${input.resumeDate}` : 'until resumed'}`,
    [
      'Pauses the daily roster sync from the last teaching day and refuses any run started by hand (IMSE-5);',
      'e-mails the day before it starts and when it ends.',
      '',
      '- Where it stands: the current details here, or the `status` query.',
      '- End it: send the update `resume` with `{"operator": "you@school.se"}`.',
    ],
  );
}

export function delayDeleteStartMetadata(input: Partial<DelayDeleteInput>): StartMetadata {
  const id = input.integrationId ?? 'procapita-itslearning';
  return startMetadata(`Delay-delete window ${id}: ${input.startDate ?? '?'} to ${input.endDate ?? '?'}`, [
    'While open, every daily roster run creates and updates and holds every delete (IMSE-6).',
    'After its end date and the closing run, it e-mails the summer report: created, archived, deleted per school.',
    '',
    `- Held deletes: the \`status\` query, or \`${heldDeletesHint(id)}\`.`,
    '- Preview the closing run: update `previewClose` with `{}`.',
    '- End early or extend: update `setEndDate` with `{"operator": "you@school.se", "endDate": "YYYY-MM-DD"}`.',
  ]);
}

/** What a roster run started while the integration is frozen fails with (IMSE-5). */
export function frozenRefusal(
  s: FreezeStatus | null,
  freezeWorkflowId: string,
  integrationId: string,
): string {
  if (!s) {
    return (
      `${integrationId} is frozen for the year-end (workflow ${freezeWorkflowId}). This run wrote nothing; ` +
      'it runs again when the freeze ends (update resume on that workflow).'
    );
  }
  const until = s.until ? `until ${s.until}` : 'until an operator resumes it';
  return (
    `${integrationId} is frozen for the year-end since ${s.since} ${until} (workflow ${freezeWorkflowId}, ` +
    `started by ${s.startedBy ?? 'an unknown caller'}: ${s.reason}). This run wrote nothing; ` +
    'to run again, end the freeze with the update resume on that workflow.'
  );
}
