/**
 * The bare diff of source against target: creates, updates (only when a compared field differs)
 * and deletes. Only target entities under the integration's sync key source take part (IMSE-2).
 */
import {
  membershipKey,
  type EntityType,
  type Group,
  type Membership,
  type Person,
  type Roster,
  type Unit,
} from './model';
import type { Operation, SkippedEntity } from './plan';
import type { TargetState } from './target';

/** Raised when the source names one sync key twice; the planner cannot tell which one is meant. */
export class RosterIntegrityError extends Error {
  constructor(readonly duplicates: string[]) {
    super(
      `the source names these sync keys more than once: ${duplicates.slice(0, 10).join(', ')}${duplicates.length > 10 ? ', …' : ''}`,
    );
    this.name = 'RosterIntegrityError';
  }
}

const personFields = [
  'sourcedId',
  'givenName',
  'familyName',
  'userName',
  'email',
  'nationalId',
  'roles',
] as const;
const unitFields = ['sourcedId', 'name', 'parentId'] as const;
const groupFieldNames = [
  'sourcedId',
  'kind',
  'name',
  'description',
  'parentId',
  'termId',
  'start',
  'end',
] as const;
const membershipFields = ['groupId', 'personId', 'role'] as const;

/** The fields that make an update; keys and `kind` (compared through the entity type) are left out. */
const comparedFields: Record<EntityType, readonly string[]> = {
  person: personFields.slice(1),
  unit: unitFields.slice(1),
  class: groupFieldNames.slice(2),
  'teaching-group': groupFieldNames.slice(2),
  course: groupFieldNames.slice(2),
  term: groupFieldNames.slice(2),
  membership: ['role'],
};

interface Entry {
  entityType: EntityType;
  key: string;
  record: Record<string, unknown>;
}
interface TargetEntry extends Entry {
  syncSource: string | null;
}

/** Copies the canonical fields only, leaving out undefined ones, so records compare and hash stably. */
function pick(entity: object, fields: readonly string[]): Record<string, unknown> {
  const source = entity as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

const personEntry = (p: Person): Entry => ({
  entityType: 'person',
  key: p.sourcedId,
  record: pick(p, personFields),
});
const unitEntry = (u: Unit): Entry => ({ entityType: 'unit', key: u.sourcedId, record: pick(u, unitFields) });
const groupEntry = (g: Group): Entry => ({
  entityType: g.kind,
  key: g.sourcedId,
  record: pick(g, groupFieldNames),
});

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function changedFields(source: Entry, target: Entry): string[] {
  const changed = source.entityType === target.entityType ? [] : ['kind'];
  for (const field of comparedFields[source.entityType]) {
    if (!same(source.record[field], target.record[field])) changed.push(field);
  }
  return changed;
}

function toOperation(op: Operation['op'], entry: Entry, changed?: string[]): Operation {
  return {
    entityType: entry.entityType,
    op,
    record: entry.record,
    ...(changed ? { changed } : {}),
  } as Operation;
}

interface DiffResult {
  operations: Operation[];
  skipped: SkippedEntity[];
}

function diffNamespace(source: Entry[], target: TargetEntry[], syncKeySource: string, out: DiffResult): void {
  const ours = new Map<string, TargetEntry>();
  const others = new Map<string, TargetEntry>();
  for (const entry of target) (entry.syncSource === syncKeySource ? ours : others).set(entry.key, entry);

  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const entry of source) {
    if (seen.has(entry.key)) {
      duplicates.push(entry.key);
      continue;
    }
    seen.add(entry.key);
    const existing = ours.get(entry.key);
    if (existing) {
      const changed = changedFields(entry, existing);
      if (changed.length > 0) out.operations.push(toOperation('update', entry, changed));
      continue;
    }
    const foreign = others.get(entry.key);
    if (foreign) {
      out.skipped.push({
        entityType: entry.entityType,
        key: entry.key,
        reason: foreign.syncSource === null ? 'manual-in-target' : 'other-sync-source',
      });
      continue;
    }
    out.operations.push(toOperation('create', entry));
  }
  if (duplicates.length > 0) throw new RosterIntegrityError(duplicates);
  for (const [key, entry] of ours) if (!seen.has(key)) out.operations.push(toOperation('delete', entry));
}

function withSource<T>(toEntry: (t: T) => Entry): (t: T & { syncSource: string | null }) => TargetEntry {
  return (t) => ({ ...toEntry(t), syncSource: t.syncSource });
}

type SyncedMembership = Membership & { syncSource: string | null };

/** The membership itself when it holds exactly the canonical fields (no copy of ~420,000 records), else a copy. */
function membershipRecord(m: Membership): Membership {
  let fields = 0;
  for (const field in m) {
    if ((m as unknown as Record<string, unknown>)[field] === undefined)
      return pick(m, membershipFields) as Membership;
    fields++;
  }
  return fields === membershipFields.length ? m : (pick(m, membershipFields) as Membership);
}

/** Adds to a two-level map: group id, then person id. */
function put<T>(map: Map<string, Map<string, T>>, m: Membership, value: T): void {
  const persons = map.get(m.groupId);
  if (persons) persons.set(m.personId, value);
  else map.set(m.groupId, new Map([[m.personId, value]]));
}

/**
 * The membership namespace, as {@link diffNamespace} does, keyed by group and then person: a
 * municipality's plan has ~420,000 memberships, and a joined key string and a copied record for each
 * were a third of the planning's time.
 */
function diffMemberships(
  source: readonly Membership[],
  target: readonly SyncedMembership[],
  syncKeySource: string,
  out: DiffResult,
): void {
  const ours = new Map<string, Map<string, SyncedMembership>>();
  const others = new Map<string, Map<string, SyncedMembership>>();
  for (const m of target) put(m.syncSource === syncKeySource ? ours : others, m, m);

  const seen = new Map<string, Set<string>>();
  const duplicates: string[] = [];
  // The source lists memberships group by group: the group's maps are looked up once per group.
  let groupId: string | undefined;
  let persons = new Set<string>();
  let oursInGroup: Map<string, SyncedMembership> | undefined;
  let othersInGroup: Map<string, SyncedMembership> | undefined;
  for (const m of source) {
    if (m.groupId !== groupId) {
      groupId = m.groupId;
      const known = seen.get(groupId);
      if (known) persons = known;
      else seen.set(groupId, (persons = new Set()));
      oursInGroup = ours.get(groupId);
      othersInGroup = others.get(groupId);
    }
    if (persons.has(m.personId)) {
      duplicates.push(membershipKey(m));
      continue;
    }
    persons.add(m.personId);
    const existing = oursInGroup?.get(m.personId);
    if (existing) {
      if (m.role !== existing.role)
        out.operations.push({
          entityType: 'membership',
          op: 'update',
          record: membershipRecord(m),
          changed: ['role'],
        });
      continue;
    }
    const foreign = othersInGroup?.get(m.personId);
    if (foreign) {
      out.skipped.push({
        entityType: 'membership',
        key: membershipKey(m),
        reason: foreign.syncSource === null ? 'manual-in-target' : 'other-sync-source',
      });
      continue;
    }
    out.operations.push({ entityType: 'membership', op: 'create', record: membershipRecord(m) });
  }
  if (duplicates.length > 0) throw new RosterIntegrityError(duplicates);
  for (const [groupId, persons] of ours) {
    const kept = seen.get(groupId);
    for (const [personId, m] of persons) {
      if (!kept?.has(personId))
        out.operations.push({
          entityType: 'membership',
          op: 'delete',
          record: pick(m, membershipFields) as Membership,
        });
    }
  }
}

/** Diffs each namespace: persons, the hierarchy (units and groups share one, as in IMS Enterprise), memberships. */
export function diffRoster(source: Roster, target: TargetState, syncKeySource: string): DiffResult {
  const out: DiffResult = { operations: [], skipped: [] };
  diffNamespace(
    source.persons.map(personEntry),
    target.persons.map(withSource(personEntry)),
    syncKeySource,
    out,
  );
  diffNamespace(
    [...source.units.map(unitEntry), ...source.groups.map(groupEntry)],
    [...target.units.map(withSource(unitEntry)), ...target.groups.map(withSource(groupEntry))],
    syncKeySource,
    out,
  );
  diffMemberships(source.memberships, target.memberships, syncKeySource, out);
  return out;
}
