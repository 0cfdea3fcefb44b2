import type {
  ImseDocument,
  ImseGroup,
  ImseMember,
  ImsePerson,
  ImseSourcedId,
} from '../../adapters/itslearning/imse-document';
import {
  seedSchema,
  type ImportCounts,
  type SiteSettings,
  type SeedInput,
  type SimGroup,
  type SimMembership,
  type SimPerson,
  type SyncKey,
} from './model';

const MAX_WARNINGS = 200;
const zero = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0, deleted: 0 });
const indexKey = (k: ImseSourcedId | SyncKey): string => `${k.source}\u001f${k.id}`;
const pairKey = (groupId: number, personId: number): string => `${groupId}:${personId}`;

function sameRecord(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface AppliedImport {
  persons: ImportCounts;
  groups: ImportCounts;
  memberships: ImportCounts;
  warnings: string[];
  warningCount: number;
}

/**
 * itslearning's site data. Imports find entities only by sync key (source and id), so entities
 * made by hand, which have none, can never be changed or deleted by an import (IMSE-2).
 */
export class ItslearningState {
  persons = new Map<number, SimPerson>();
  groups = new Map<number, SimGroup>();
  memberships = new Map<string, SimMembership>();
  #personIndex = new Map<string, number>();
  #groupIndex = new Map<string, number>();
  #byPerson = new Map<number, Set<string>>();
  #byGroup = new Map<number, Set<string>>();
  #nextId = 1;
  /** Bumped on every write; readers cache sorted pages per version. */
  version = 0;
  settings: SiteSettings = { courseArchiving: true };

  reset(): void {
    this.settings = { courseArchiving: true };
    this.persons.clear();
    this.groups.clear();
    this.memberships.clear();
    this.#personIndex.clear();
    this.#groupIndex.clear();
    this.#byPerson.clear();
    this.#byGroup.clear();
    this.#nextId = 1;
    this.version++;
  }

  /** Seeds entities directly (manual ones without `syncKey`); returns the id given to each ref. */
  seed(input: SeedInput): Record<string, number> {
    const seed = seedSchema.parse(input);
    const refs: Record<string, number> = {};
    const refOf = (ref: string | undefined, syncKey: SyncKey | null): string | undefined =>
      ref ?? syncKey?.id;
    const lookup = (ref: string | undefined): number | null => {
      if (ref === undefined) return null;
      const id = refs[ref];
      if (id === undefined) throw Object.assign(new Error(`seed: unknown ref ${ref}`), { statusCode: 400 });
      return id;
    };
    for (const { ref, ...p } of seed.persons) {
      const person: SimPerson = { id: this.#nextId++, ...p, fullName: `${p.firstName} ${p.lastName}` };
      this.#putPerson(person);
      const name = refOf(ref, p.syncKey);
      if (name) refs[name] = person.id;
    }
    for (const { ref, parentRef, termRef, ...g } of seed.groups) {
      const group: SimGroup = {
        id: this.#nextId++,
        ...g,
        parentId: lookup(parentRef),
        termId: lookup(termRef),
      };
      this.#putGroup(group);
      const name = refOf(ref, g.syncKey);
      if (name) refs[name] = group.id;
    }
    for (const { groupRef, personRef, ...m } of seed.memberships) {
      const groupId = lookup(groupRef) as number;
      const personId = lookup(personRef) as number;
      this.#putMembership({ groupId, personId, ...m });
    }
    this.version++;
    return refs;
  }

  /** Applies one IMS Enterprise document: persons, then groups, then memberships, in document order. */
  apply(doc: ImseDocument): AppliedImport {
    const result: AppliedImport = {
      persons: zero(),
      groups: zero(),
      memberships: zero(),
      warnings: [],
      warningCount: 0,
    };
    const warn = (message: string): void => {
      result.warningCount++;
      if (result.warnings.length < MAX_WARNINGS) result.warnings.push(message);
    };
    for (const p of doc.persons) this.#applyPerson(p, result.persons, warn);
    for (const g of doc.groups) this.#applyGroup(g, result.groups, warn);
    for (const m of doc.memberships) this.#applyMember(m, result.memberships, warn);
    this.version++;
    return result;
  }

  findPerson(key: SyncKey): SimPerson | undefined {
    const id = this.#personIndex.get(indexKey(key));
    return id === undefined ? undefined : this.persons.get(id);
  }

  findGroup(key: SyncKey): SimGroup | undefined {
    const id = this.#groupIndex.get(indexKey(key));
    return id === undefined ? undefined : this.groups.get(id);
  }

  #putPerson(person: SimPerson): void {
    this.persons.set(person.id, person);
    if (person.syncKey) this.#personIndex.set(indexKey(person.syncKey), person.id);
  }

  #putGroup(group: SimGroup): void {
    this.groups.set(group.id, group);
    if (group.syncKey) this.#groupIndex.set(indexKey(group.syncKey), group.id);
  }

  #applyPerson(p: ImsePerson, counts: ImportCounts, warn: (m: string) => void): void {
    const existing = this.findPerson(p.sourcedId);
    if (p.recstatus === 3) {
      if (!existing) return warn(`person ${p.sourcedId.id}: delete of an unknown person ignored`);
      this.persons.delete(existing.id);
      this.#personIndex.delete(indexKey(p.sourcedId));
      for (const key of [...(this.#byPerson.get(existing.id) ?? [])]) this.#deleteMembership(key);
      counts.deleted++;
      return;
    }
    const next: SimPerson = {
      id: existing?.id ?? this.#nextId++,
      syncKey: { source: p.sourcedId.source, id: p.sourcedId.id },
      userName: p.userId ?? null,
      firstName: p.name.given ?? p.name.full,
      lastName: p.name.family ?? '',
      fullName: p.name.full,
      email: p.email ?? null,
      nationalId: p.nationalId ?? null,
      institutionRoles: [...p.institutionRoles]
        .sort((a, b) => Number(b.primary) - Number(a.primary))
        .map((r) => r.type),
    };
    this.#upsert(existing, next, counts, () => this.#putPerson(next));
  }

  #putMembership(m: SimMembership): void {
    const key = pairKey(m.groupId, m.personId);
    this.memberships.set(key, m);
    const add = (index: Map<number, Set<string>>, id: number): void => {
      const keys = index.get(id) ?? new Set<string>();
      keys.add(key);
      index.set(id, keys);
    };
    add(this.#byPerson, m.personId);
    add(this.#byGroup, m.groupId);
  }

  #deleteMembership(key: string): void {
    const m = this.memberships.get(key);
    if (!m) return;
    this.memberships.delete(key);
    this.#byPerson.get(m.personId)?.delete(key);
    this.#byGroup.get(m.groupId)?.delete(key);
  }

  #resolveGroup(ref: ImseSourcedId | undefined, what: string, warn: (m: string) => void): number | null {
    if (!ref) return null;
    const id = this.#groupIndex.get(indexKey(ref));
    if (id === undefined) warn(`${what}: ${ref.id} is unknown; left empty`);
    return id ?? null;
  }

  /**
   * Un-archives a course by hand, as an administrator does in the course archive (IMSE-8): it leaves
   * the archive without its hierarchy synchronisation, so it stays detached. False when not archived.
   */
  unarchive(groupId: number): boolean {
    const group = this.groups.get(groupId);
    if (!group?.archived) return false;
    group.archived = false;
    this.version++;
    return true;
  }

  /**
   * A delete of a course the integration created, with course archiving on, or of such a term
   * archives it (IMSE-8/9): a course is detached from its hierarchy group and its synced
   * participants become manual ones. Already archived (and for a course detached): unchanged, so a
   * re-sent delete changes nothing.
   */
  #archive(existing: SimGroup, counts: ImportCounts): void {
    const isCourse = existing.type === 'Course';
    if (existing.archived && (!isCourse || existing.detachedFromHierarchy)) {
      counts.unchanged++;
      return;
    }
    existing.archived = true;
    if (isCourse) {
      existing.detachedFromHierarchy = true;
      existing.parentId = null;
      for (const key of this.#byGroup.get(existing.id) ?? []) {
        const m = this.memberships.get(key);
        if (m) m.syncSource = null;
      }
    }
    counts.archived = (counts.archived ?? 0) + 1;
  }

  #applyGroup(g: ImseGroup, counts: ImportCounts, warn: (m: string) => void): void {
    const existing = this.findGroup(g.sourcedId);
    if (g.recstatus === 3) {
      if (!existing) return warn(`group ${g.sourcedId.id}: delete of an unknown group ignored`);
      const archives =
        (existing.type === 'Course' && this.settings.courseArchiving) || existing.type === 'Term';
      if (archives) return this.#archive(existing, counts);
      this.groups.delete(existing.id);
      this.#groupIndex.delete(indexKey(g.sourcedId));
      for (const key of [...(this.#byGroup.get(existing.id) ?? [])]) this.#deleteMembership(key);
      for (const other of this.groups.values()) {
        if (other.parentId === existing.id) {
          other.parentId = null;
          warn(`group ${other.syncKey?.id ?? other.id}: its parent ${g.sourcedId.id} was deleted`);
        }
        if (other.termId === existing.id) other.termId = null;
      }
      counts.deleted++;
      return;
    }
    const next: SimGroup = {
      id: existing?.id ?? this.#nextId++,
      syncKey: { source: g.sourcedId.source, id: g.sourcedId.id },
      type: g.type.value,
      title: g.short,
      description: g.long ?? null,
      parentId: this.#resolveGroup(g.parent, `group ${g.sourcedId.id}: parent`, warn),
      termId: this.#resolveGroup(
        g.timeframe?.adminPeriod === undefined
          ? undefined
          : { source: g.sourcedId.source, id: g.timeframe.adminPeriod },
        `group ${g.sourcedId.id}: term (adminperiod)`,
        warn,
      ),
      start: g.timeframe?.begin ?? null,
      end: g.timeframe?.end ?? null,
      archived: existing?.archived ?? false,
      // A course attached to a hierarchy group again (its group returned) is no longer detached; it
      // stays archived: the import never un-archives (IMSE-8).
      detachedFromHierarchy: (existing?.detachedFromHierarchy ?? false) && !g.parent,
    };
    this.#upsert(existing, next, counts, () => this.#putGroup(next));
  }

  #applyMember(m: ImseMember, counts: ImportCounts, warn: (m: string) => void): void {
    const what = `membership ${m.group.id}/${m.person.id}`;
    const group = this.findGroup(m.group);
    const person = this.findPerson(m.person);
    if (!group || !person) return warn(`${what}: ${group ? 'person' : 'group'} is unknown; ignored`);
    const key = pairKey(group.id, person.id);
    const existing = this.memberships.get(key);
    if (existing && existing.syncSource === null) return warn(`${what}: added by hand; left as it is`);
    if (m.recstatus === 3) {
      if (!existing) return warn(`${what}: delete of an unknown membership ignored`);
      this.#deleteMembership(key);
      counts.deleted++;
      return;
    }
    const next: SimMembership = {
      groupId: group.id,
      personId: person.id,
      role: m.role,
      active: m.active,
      syncSource: m.group.source,
    };
    this.#upsert(existing, next, counts, () => this.#putMembership(next));
  }

  #upsert<T extends object>(existing: T | undefined, next: T, counts: ImportCounts, put: () => void): void {
    if (existing && sameRecord(existing, next)) {
      counts.unchanged++;
      return;
    }
    put();
    if (existing) counts.updated++;
    else counts.created++;
  }
}
