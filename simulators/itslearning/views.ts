/** The JSON the simulator's read API answers with, and its paging. */
import { z } from 'zod';
import type { SimGroup, SimMembership, SimPerson, SyncKey } from './model';
import type { ItslearningState } from './state';

export const MAX_PAGE_SIZE = 10_000;
const DEFAULT_PAGE_SIZE = 1000;

export const pageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** Only entities under this sync key source (for memberships: whose group and person are). */
  source: z.string().min(1).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  total: number;
  nextOffset: number | null;
}

export type GroupView = SimGroup & { parentSyncKey: SyncKey | null; termSyncKey: SyncKey | null };
export type MembershipView = SimMembership & { groupSyncKey: SyncKey | null; personSyncKey: SyncKey | null };

const bySource = (source: string | undefined) => (key: SyncKey | null) =>
  source === undefined || key?.source === source;

/** Filtered lists cached per state version and source, so paging a large site stays linear. */
export class StateViews {
  #cache = new Map<string, { version: number; items: unknown[] }>();

  constructor(private readonly state: ItslearningState) {}

  persons(query: PageQuery): Page<SimPerson> {
    return this.#page('persons', query, () =>
      [...this.state.persons.values()].filter((p) => bySource(query.source)(p.syncKey)),
    );
  }

  groups(query: PageQuery): Page<GroupView> {
    return this.#page('groups', query, () =>
      [...this.state.groups.values()]
        .filter((g) => bySource(query.source)(g.syncKey))
        .map((g) => this.groupView(g)),
    );
  }

  memberships(query: PageQuery): Page<MembershipView> {
    return this.#page('memberships', query, () => {
      const matches = bySource(query.source);
      const out: MembershipView[] = [];
      for (const m of this.state.memberships.values()) {
        const groupSyncKey = this.state.groups.get(m.groupId)?.syncKey ?? null;
        const personSyncKey = this.state.persons.get(m.personId)?.syncKey ?? null;
        if (matches(groupSyncKey) && matches(personSyncKey)) out.push({ ...m, groupSyncKey, personSyncKey });
      }
      return out;
    });
  }

  groupView(g: SimGroup): GroupView {
    const keyOf = (id: number | null): SyncKey | null =>
      id === null ? null : (this.state.groups.get(id)?.syncKey ?? null);
    return { ...g, parentSyncKey: keyOf(g.parentId), termSyncKey: keyOf(g.termId) };
  }

  #page<T>(kind: string, query: PageQuery, build: () => T[]): Page<T> {
    const cacheKey = `${kind}\u001f${query.source ?? ''}`;
    let cached = this.#cache.get(cacheKey);
    if (!cached || cached.version !== this.state.version) {
      cached = { version: this.state.version, items: build() };
      this.#cache.set(cacheKey, cached);
    }
    const items = cached.items.slice(query.offset, query.offset + query.limit) as T[];
    const end = query.offset + items.length;
    return {
      items,
      offset: query.offset,
      limit: query.limit,
      total: cached.items.length,
      nextOffset: end < cached.items.length ? end : null,
    };
  }
}
