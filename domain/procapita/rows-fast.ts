/**
 * A fast path for {@link procapitaRowsSchema}: a municipality reads ~500,000 rows a night, and the
 * zod object parse of each row costs more than the whole export. This normalizes rows exactly as the
 * schema's transforms do (same values, same keys in the same order), and gives up (returns null) at
 * the first value it does not recognise, so that the schema then parses the rows and reports the
 * problem in its own words. Valid rows therefore give the same result either way.
 */
import { procapitaRowsSchema, type ProcapitaRows } from './rows';

type FieldKind = 'id' | 'optionalId' | 'text' | 'rawText' | 'flag' | 'date';

const FAIL = Symbol('fail');
type Value = string | boolean | null | typeof FAIL;

const fields: { readonly [K in keyof ProcapitaRows]: ReadonlyArray<readonly [string, FieldKind]> } = {
  schools: [
    ['schoolId', 'id'],
    ['schoolForm', 'id'],
    ['schoolName', 'text'],
    ['startDate', 'date'],
    ['endDate', 'date'],
  ],
  students: [
    ['studentId', 'id'],
    ['nationalId', 'text'],
    ['firstName', 'text'],
    ['lastName', 'text'],
    ['email', 'text'],
    ['protectedIdentity', 'flag'],
    ['protectedAddress', 'flag'],
    ['deregistered', 'flag'],
    ['deceased', 'flag'],
  ],
  classPlacements: [
    ['studentId', 'id'],
    ['classId', 'id'],
    ['startDate', 'date'],
    ['endDate', 'date'],
  ],
  staff: [
    ['staffId', 'id'],
    ['nationalId', 'text'],
    ['firstName', 'text'],
    ['lastName', 'text'],
    ['email', 'text'],
    ['protectedIdentity', 'flag'],
    ['protectedAddress', 'flag'],
    ['deceased', 'flag'],
  ],
  employments: [
    ['staffId', 'id'],
    ['schoolId', 'id'],
    ['endDate', 'date'],
  ],
  classes: [
    ['classId', 'id'],
    ['schoolId', 'id'],
    ['className', 'text'],
    ['startDate', 'date'],
    ['endDate', 'date'],
  ],
  classTeachers: [
    ['classId', 'id'],
    ['staffId', 'id'],
  ],
  groups: [
    ['groupId', 'id'],
    ['schoolId', 'id'],
    ['groupName', 'text'],
    ['startDate', 'date'],
    ['endDate', 'date'],
  ],
  groupMembers: [
    ['groupId', 'id'],
    ['studentId', 'id'],
    ['startDate', 'date'],
    ['endDate', 'date'],
  ],
  activities: [
    ['activityId', 'id'],
    ['schoolId', 'id'],
    ['activityName', 'text'],
    ['otherText', 'rawText'],
    ['startDate', 'date'],
    ['endDate', 'date'],
  ],
  activityLinks: [
    ['activityId', 'id'],
    ['classId', 'optionalId'],
    ['groupId', 'optionalId'],
  ],
  activityStaff: [
    ['activityId', 'id'],
    ['staffId', 'id'],
  ],
};

/** The date and date-time strings the schema accepts, asked of the schema once per distinct string. */
function dateChecker(): (text: string) => boolean {
  const known = new Map<string, boolean>();
  const dateOrDateTime = procapitaRowsSchema.shape.schools.element.shape.startDate;
  return (text) => {
    let ok = known.get(text);
    if (ok === undefined) {
      ok = dateOrDateTime.safeParse(text).success;
      known.set(text, ok);
    }
    return ok;
  };
}

function idValue(v: unknown): Value {
  let text: string;
  if (typeof v === 'string') text = v.trim();
  else if (typeof v === 'number' && Number.isFinite(v)) text = String(v).trim();
  else return FAIL;
  return text === '' ? FAIL : text;
}

function convert(kind: FieldKind, v: unknown, isDate: (text: string) => boolean): Value {
  switch (kind) {
    case 'id':
      return idValue(v);
    case 'optionalId':
      return v == null ? null : idValue(v);
    case 'text': {
      if (v == null) return null;
      if (typeof v !== 'string') return FAIL;
      const text = v.trim();
      return text === '' ? null : text;
    }
    case 'rawText':
      if (v == null) return null;
      return typeof v === 'string' ? v : FAIL;
    case 'flag':
      if (v === true || v === 1) return true;
      if (v === false || v === 0 || v == null) return false;
      return FAIL;
    case 'date':
      if (v == null) return null;
      if (typeof v === 'string') return isDate(v) ? v.slice(0, 10) : FAIL;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? FAIL : v.toISOString().slice(0, 10);
      return FAIL;
  }
}

/** Whether the row's own fields are the spec's fields, in the spec's order. */
function hasExactly(row: Record<string, unknown>, spec: readonly (readonly [string, FieldKind])[]): boolean {
  let i = 0;
  for (const field in row) {
    if (spec[i]?.[0] !== field) return false;
    i++;
  }
  return i === spec.length;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rows as {@link procapitaRowsSchema} would give them, or null when anything is not plainly
 * valid (the caller then parses with the schema, which reports the problem).
 */
export function normalizeProcapitaRows(data: unknown): ProcapitaRows | null {
  if (!isRecord(data)) return null;
  const isDate = dateChecker();
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const key of Object.keys(fields) as (keyof ProcapitaRows)[]) {
    const rows = data[key];
    if (!Array.isArray(rows)) return null;
    const spec = fields[key];
    const normalized: Record<string, unknown>[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row: unknown = rows[i];
      if (!isRecord(row)) return null;
      // A row holding exactly the schema's fields in its order is normalized where it is (the rows
      // are the reader's own, just parsed): a municipality has ~240,000 of them. Others are copied,
      // which drops unknown fields and puts the fields in the schema's order.
      const record: Record<string, unknown> = hasExactly(row, spec) ? row : {};
      for (const [field, kind] of spec) {
        const value = convert(kind, row[field], isDate);
        if (value === FAIL) return null;
        if (record[field] !== value) record[field] = value;
      }
      normalized[i] = record;
    }
    if (key === 'activityLinks') {
      for (const link of normalized) if ((link.classId === null) === (link.groupId === null)) return null;
    }
    out[key] = normalized;
  }
  return out as unknown as ProcapitaRows;
}
