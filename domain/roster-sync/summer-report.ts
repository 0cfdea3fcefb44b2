/**
 * The summer report of a delay-delete window (IMSE-6): what the roster runs applied over the summer
 * (created, updated, archived, deleted), counted per school, and what the closing run left held.
 * Each applying run adds its counts to one small stored document; the window e-mails the report
 * built from it once the closing run has applied. Pure and workflow-safe.
 */
import {
  entityTypes,
  operationKey,
  type EntityType,
  type Membership,
  type Operation,
  type OperationKind,
  type SyncPlan,
} from '../roster';
import type { DelayDeleteStatus, RecordedAct } from './year-end';

/** Where an entity with no school in the roster's hierarchy is counted. */
export const UNKNOWN_SCHOOL = 'unknown school';

/** Counts of one school or of all: entity type -> operation kind -> count. */
export type TypeCounts = Partial<Record<EntityType, Partial<Record<OperationKind, number>>>>;

/** What one applying run of the summer did, per school id (or {@link UNKNOWN_SCHOOL}). */
export interface SummerRun {
  runWorkflowId: string;
  syncDate: string;
  /** The first run after the window closed: it carries out the held deletes. */
  closing: boolean;
  applied: Record<string, TypeCounts>;
  /** Each entity once, however many schools it is counted under. */
  appliedTotals: TypeCounts;
  /** Closing run: the removals it did not carry out (held by a partial approval or a policy). */
  stillHeld?: Record<string, TypeCounts>;
  stillHeldTotals?: TypeCounts;
}

/** The stored document (store key `yearEndKeys(integrationId).summerReport(start)`). */
export interface SummerReportDocument {
  integrationId: string;
  window: { start: string; end: string };
  /** School id -> name, as the latest run's hierarchy named it. */
  schools: Record<string, string>;
  /** Keyed by the run's plan id (its run id): a retried activity replaces, never adds. */
  runs: Record<string, SummerRun>;
}

/** What the window's status keeps about its report. */
export interface SummerReportState {
  state: 'waiting-for-closing-run' | 'sent' | 'sent-without-closing-run';
  /** Store key of the counts (once sent). */
  key?: string;
  /** Sent anyway at this time when no closing run has applied by then. */
  waitUntil: string;
  closingRun: ClosingRunApplied | null;
  sentAt?: string;
  /** Headline figures of the sent report. */
  totals?: ReportFigures;
  schools?: number;
}

/** The signal the closed window waits for. */
export const CLOSING_RUN_APPLIED = 'closingRunApplied';

/** Sent by the apply activity of the closing run (signal `closingRunApplied`). */
export interface ClosingRunApplied {
  runWorkflowId: string;
  syncDate: string;
}

/** The roster's hierarchy a school is read from: units, groups and their parents, memberships. */
export interface Hierarchy {
  units: readonly { sourcedId: string; name: string }[];
  groups: readonly { sourcedId: string; parentId?: string | undefined }[];
  memberships: readonly Pick<Membership, 'groupId' | 'personId'>[];
}

export interface SchoolAttribution {
  /** The school ids an operation counts under: one, several for a person, or {@link UNKNOWN_SCHOOL}. */
  schoolsOf(operation: Operation): string[];
  /** School id -> name for every school met. */
  names: Record<string, string>;
}

/**
 * Where each entity belongs: a unit is its own school; a group hangs under a unit (a course under
 * its hierarchy group, which hangs under a unit); a membership belongs to its group's school; a
 * person to the schools of all their memberships. The first hierarchy that knows an entity wins
 * (pass the source first, then the target, which still knows what left the source). Memberships
 * are read only for the persons the operations name.
 */
export function schoolAttribution(
  hierarchies: readonly Hierarchy[],
  operations: readonly Operation[],
): SchoolAttribution {
  const names: Record<string, string> = {};
  const parentOf = new Map<string, string | undefined>();
  for (const h of hierarchies) {
    for (const u of h.units) if (!(u.sourcedId in names)) names[u.sourcedId] = u.name;
    for (const g of h.groups) if (!parentOf.has(g.sourcedId)) parentOf.set(g.sourcedId, g.parentId);
  }
  const schoolOfGroup = (id: string): string | null => {
    let current: string | undefined = id;
    // A course's parent is a group, whose parent is a unit; a cycle in bad data ends unknown.
    for (let depth = 0; current !== undefined && depth < 10; depth++) {
      if (current in names) return current;
      current = parentOf.get(current);
    }
    return null;
  };
  const persons = new Set(operations.filter((o) => o.entityType === 'person').map((o) => o.record.sourcedId));
  const personSchools = new Map<string, Set<string>>();
  for (const h of hierarchies) {
    for (const m of h.memberships) {
      if (!persons.has(m.personId)) continue;
      const school = schoolOfGroup(m.groupId);
      if (!school) continue;
      const set = personSchools.get(m.personId) ?? new Set<string>();
      set.add(school);
      personSchools.set(m.personId, set);
    }
  }
  const one = (school: string | null): string[] => [school ?? UNKNOWN_SCHOOL];
  return {
    names,
    schoolsOf(operation) {
      switch (operation.entityType) {
        case 'person': {
          const schools = personSchools.get(operation.record.sourcedId);
          return schools?.size ? [...schools].sort() : [UNKNOWN_SCHOOL];
        }
        case 'membership':
          return one(schoolOfGroup(operation.record.groupId));
        case 'unit':
          return [operation.record.sourcedId];
        default:
          return one(operation.record.parentId ? schoolOfGroup(operation.record.parentId) : null);
      }
    },
  };
}

function add(counts: TypeCounts, operation: Pick<Operation, 'entityType' | 'op'>): void {
  const byOp = (counts[operation.entityType] ??= {});
  byOp[operation.op] = (byOp[operation.op] ?? 0) + 1;
}

/** Operations counted per school, and each once in the totals. */
export function countBySchool(
  operations: readonly Operation[],
  attribution: SchoolAttribution,
): { bySchool: Record<string, TypeCounts>; totals: TypeCounts } {
  const bySchool: Record<string, TypeCounts> = {};
  const totals: TypeCounts = {};
  for (const operation of operations) {
    add(totals, operation);
    for (const school of attribution.schoolsOf(operation)) add((bySchool[school] ??= {}), operation);
  }
  return { bySchool, totals };
}

const removes = (o: Operation): boolean => o.op === 'delete' || o.op === 'archive';
const identity = (o: Operation): string => `${o.op}:${o.entityType}:${operationKey(o)}`;

/**
 * What a closing run left held: the removals its full plan holds (a policy) or has that the applied
 * plan (restricted by a partial approval) does not.
 */
export function stillHeldOperations(full: SyncPlan, applied: SyncPlan): Operation[] {
  const done = new Set(applied.operations.filter(removes).map(identity));
  return [
    ...full.operations.filter((o) => removes(o) && !done.has(identity(o))),
    ...full.held.map((h) => h.operation).filter(removes),
  ];
}

/** One run's record in the document. */
export function summerRun(input: {
  runWorkflowId: string;
  syncDate: string;
  closing: boolean;
  applied: readonly Operation[];
  stillHeld?: readonly Operation[];
  attribution: SchoolAttribution;
}): SummerRun {
  const applied = countBySchool(input.applied, input.attribution);
  const run: SummerRun = {
    runWorkflowId: input.runWorkflowId,
    syncDate: input.syncDate,
    closing: input.closing,
    applied: applied.bySchool,
    appliedTotals: applied.totals,
  };
  if (input.stillHeld) {
    const held = countBySchool(input.stillHeld, input.attribution);
    run.stillHeld = held.bySchool;
    run.stillHeldTotals = held.totals;
  }
  return run;
}

/** Adds (or replaces, for the same run id) a run's record. */
export function withRun(
  doc: SummerReportDocument,
  runId: string,
  run: SummerRun,
  names: Record<string, string>,
): SummerReportDocument {
  return { ...doc, schools: { ...doc.schools, ...names }, runs: { ...doc.runs, [runId]: run } };
}

export interface ReportFigures {
  created: number;
  updated: number;
  archived: number;
  deleted: number;
  stillHeld: number;
}

export interface SummerReportRow extends ReportFigures {
  schoolId: string;
  school: string;
  /** Entity type -> created, updated, archived, deleted, still held. */
  byType: Partial<Record<EntityType, ReportFigures>>;
}

export interface SummerReport {
  integrationId: string;
  window: { start: string; end: string };
  runs: number;
  closingRun: { runWorkflowId: string; syncDate: string } | null;
  rows: SummerReportRow[];
  totals: SummerReportRow;
}

const zero = (): ReportFigures => ({ created: 0, updated: 0, archived: 0, deleted: 0, stillHeld: 0 });
const column: Record<OperationKind, keyof ReportFigures> = {
  create: 'created',
  update: 'updated',
  archive: 'archived',
  delete: 'deleted',
};

function addCounts(
  row: SummerReportRow,
  counts: TypeCounts | undefined,
  to: (op: OperationKind) => keyof ReportFigures,
) {
  for (const type of entityTypes) {
    for (const [op, n] of Object.entries(counts?.[type] ?? {}) as [OperationKind, number][]) {
      const figures = (row.byType[type] ??= zero());
      figures[to(op)] += n;
      row[to(op)] += n;
    }
  }
}

/** The report: every run's applied counts summed per school; still held from the closing run. */
export function buildSummerReport(doc: SummerReportDocument): SummerReport {
  const rows = new Map<string, SummerReportRow>();
  const row = (schoolId: string): SummerReportRow => {
    let r = rows.get(schoolId);
    if (!r) {
      r = { schoolId, school: doc.schools[schoolId] ?? schoolId, byType: {}, ...zero() };
      rows.set(schoolId, r);
    }
    return r;
  };
  const totals: SummerReportRow = { schoolId: '', school: 'Total', byType: {}, ...zero() };
  const runs = Object.values(doc.runs).sort((a, b) => a.syncDate.localeCompare(b.syncDate));
  for (const run of runs) {
    for (const [school, counts] of Object.entries(run.applied))
      addCounts(row(school), counts, (op) => column[op]);
    addCounts(totals, run.appliedTotals, (op) => column[op]);
  }
  const closing = runs.filter((r) => r.closing).at(-1) ?? null;
  if (closing) {
    for (const [school, counts] of Object.entries(closing.stillHeld ?? {}))
      addCounts(row(school), counts, () => 'stillHeld');
    addCounts(totals, closing.stillHeldTotals, () => 'stillHeld');
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.schoolId === UNKNOWN_SCHOOL ? 1 : b.schoolId === UNKNOWN_SCHOOL ? -1 : a.school.localeCompare(b.school),
  );
  return {
    integrationId: doc.integrationId,
    window: doc.window,
    runs: runs.length,
    closingRun: closing ? { runWorkflowId: closing.runWorkflowId, syncDate: closing.syncDate } : null,
    rows: sorted,
    totals,
  };
}

const act = (a: RecordedAct): string =>
  `${a.operator} (Temporal identity: ${a.identity ?? 'none sent'}) at ${a.at}`;

function table(rows: readonly SummerReportRow[], totals: SummerReportRow): string[] {
  const width = Math.max(16, ...rows.map((r) => r.school.length)) + 2;
  const num = (n: number) => String(n).padStart(10);
  const line = (r: Pick<SummerReportRow, 'school'> & ReportFigures) =>
    `${r.school.padEnd(width)}${num(r.created)}${num(r.archived)}${num(r.deleted)}${num(r.stillHeld)}`;
  return [
    `${'School'.padEnd(width)}${'Created'.padStart(10)}${'Archived'.padStart(10)}${'Deleted'.padStart(10)}${'Still held'.padStart(12)}`,
    ...rows.map(line),
    line(totals),
  ];
}

/** The e-mail sent when the window's closing run has applied, or when waiting for it ran out. */
export function summerReportEmail(
  report: SummerReport,
  status: DelayDeleteStatus,
  workflowId: string,
): { subject: string; text: string } {
  const lines = [
    `Roster sync ${report.integrationId}: summer report of the delay-delete window ${status.start} to ${status.end}.`,
    `Workflow: ${workflowId}`,
    '',
    `Window ${status.start} to ${status.end}, started by ${status.startedBy ?? 'an unknown caller'}${status.reason ? `: ${status.reason}` : ''}${status.closedAt ? `; closed at ${status.closedAt}` : ''}.`,
    ...status.endChanges.map(
      (c) => `End date changed from ${c.from} to ${c.to} by ${act(c)}${c.comment ? `: ${c.comment}` : ''}.`,
    ),
  ];
  if (report.closingRun) {
    lines.push(
      `The closing run ${report.closingRun.runWorkflowId} (${report.closingRun.syncDate}) has applied: the deletes below are done.`,
    );
  } else if (status.phase !== 'closed') {
    lines.push(
      `The window is ${status.phase === 'open' ? 'open' : 'not open yet'}: what it holds is deleted by the closing run after ${status.end}, not counted below yet.`,
      `Held as of the last run: ${status.held ? `${status.held.total}` : 'none listed'}. List them: ${status.howToList}`,
    );
  } else {
    lines.push(
      'NO closing run has applied yet: the deletes held over the summer are not carried out and are not counted below.',
      `Held as of the last run: ${status.held ? `${status.held.total}` : 'none listed'}. List them: ${status.howToList}`,
    );
  }
  lines.push(
    '',
    `What ${report.runs === 1 ? '1 run' : `${report.runs} runs`} applied over the summer, per school:`,
    ...table(report.rows, report.totals),
    '',
    'A person in several schools counts under each; the total counts each once. "Still held": removals the',
    'closing run did not carry out (held by a partial approval): the next run plans them again.',
  );
  for (const r of [...report.rows, report.totals]) {
    const types = entityTypes.filter((t) => r.byType[t]);
    if (types.length === 0) continue;
    lines.push('', `${r.school} (created / updated / archived / deleted / still held):`);
    for (const t of types) {
      const f = r.byType[t]!;
      lines.push(
        `  ${t.padEnd(15)} ${f.created} / ${f.updated} / ${f.archived} / ${f.deleted} / ${f.stillHeld}`,
      );
    }
  }
  const subject = report.closingRun
    ? `[roster sync] ${report.integrationId}: summer report ${status.start} to ${status.end}`
    : `[roster sync] ${report.integrationId}: summer report ${status.start} to ${status.end} (closing run NOT applied)`;
  return { subject, text: lines.join('\n') };
}

export const reportFigures = (r: SummerReport): ReportFigures => ({
  created: r.totals.created,
  updated: r.totals.updated,
  archived: r.totals.archived,
  deleted: r.totals.deleted,
  stillHeld: r.totals.stillHeld,
});
