/** InfoCaption's guides, users and course results, with the listings the API answers. */
import { generatedEmail, SeedError } from '../competence-common';
import {
  generateSpecSchema,
  guideSeedSchema,
  resultSeedSchema,
  seedSchema,
  userSeedSchema,
  type GenerateSpec,
  type Guide,
  type Result,
  type Seed,
  type User,
} from './model';

export interface Page<T> {
  results: T[];
  totalHits: number;
  totalPages: number;
  currentPage: number;
}

export class InfoCaptionState {
  readonly guides = new Map<number, Guide>();
  readonly users = new Map<number, User>();
  /** Per guide, in the listing's stable order: completedAt, then resultId. */
  readonly results = new Map<number, Result[]>();
  #nextGuideId = 1001;
  #nextUserId = 1;
  #nextResult = 1;

  constructor(private readonly now: () => number = Date.now) {}

  seed(input: Seed): { guideIds: number[]; userIds: number[]; resultIds: string[] } {
    const seed = seedSchema.parse(input);
    return {
      guideIds: seed.guides.map((g) => this.addGuide(g).id),
      userIds: seed.users.map((u) => this.addUser(u).userId),
      resultIds: seed.results.map((r) => this.addResult(r).resultId),
    };
  }

  addGuide(input: unknown): Guide {
    const g = guideSeedSchema.parse(input);
    const id = g.id ?? this.#nextGuideId;
    if (this.guides.has(id)) throw new SeedError(`guide ${id} exists`);
    this.#nextGuideId = Math.max(this.#nextGuideId, id + 1);
    const guide: Guide = { id, name: g.name, type: g.type, published: g.published, deleted: false };
    this.guides.set(id, guide);
    this.results.set(id, []);
    return guide;
  }

  /** Changes a guide's name, type or published flag. */
  updateGuide(id: number, patch: unknown): Guide | undefined {
    const guide = this.guides.get(id);
    if (!guide) return undefined;
    Object.assign(guide, guideSeedSchema.omit({ id: true }).partial().parse(patch));
    return guide;
  }

  deleteGuide(id: number): boolean {
    const guide = this.guides.get(id);
    if (!guide || guide.deleted) return false;
    guide.deleted = true;
    return true;
  }

  addUser(input: unknown): User {
    const u = userSeedSchema.parse(input);
    const userId = u.userId ?? this.#nextUserId;
    if (this.users.has(userId)) throw new SeedError(`user ${userId} exists`);
    this.#nextUserId = Math.max(this.#nextUserId, userId + 1);
    const user: User = {
      userId,
      userName: u.userName ?? u.email.trim().toLowerCase(),
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      ...(u.department !== undefined ? { department: u.department } : {}),
      ...(u.title !== undefined ? { title: u.title } : {}),
    };
    this.users.set(userId, user);
    return user;
  }

  updateUser(userId: number, patch: unknown): User | undefined {
    const user = this.users.get(userId);
    if (!user) return undefined;
    Object.assign(user, userSeedSchema.omit({ userId: true }).partial().parse(patch));
    return user;
  }

  /** A completion of a guide; appended in the listing's order (a past instant lands where it belongs). */
  addResult(input: unknown): Result {
    const r = resultSeedSchema.parse(input);
    const list = this.results.get(r.guideId);
    if (!list || this.guides.get(r.guideId)?.deleted)
      throw new SeedError(`guide ${r.guideId} does not exist`);
    if (!this.users.has(r.userId)) throw new SeedError(`user ${r.userId} does not exist`);
    const result: Result = {
      resultId: r.resultId ?? this.#resultId(),
      guideId: r.guideId,
      userId: r.userId,
      passed: r.passed,
      completedAt: r.completedAt ? Date.parse(r.completedAt) : this.now(),
    };
    list.splice(upperBound(list, result), 0, result);
    return result;
  }

  /** Fills guides with many participants in one call (see {@link generateSpecSchema}). */
  generate(input: GenerateSpec): { guideIds: number[]; participants: number; firstUserId: number } {
    const spec = generateSpecSchema.parse(input);
    const guideIds = [...(spec.guideIds ?? []), ...(spec.guides ?? []).map((g) => this.addGuide(g).id)];
    const lists = guideIds.map((id) => {
      const list = this.results.get(id);
      if (!list || this.guides.get(id)?.deleted) throw new SeedError(`guide ${id} does not exist`);
      return list;
    });
    const from = Date.parse(spec.from);
    const step = spec.participants > 1 ? (Date.parse(spec.to) - from) / (spec.participants - 1) : 0;
    const firstUserId = this.#nextUserId;
    const touched = new Set<Result[]>();
    for (let n = 1; n <= spec.participants; n++) {
      const number = spec.firstNumber + n - 1;
      const userId = this.#nextUserId++;
      this.users.set(userId, {
        userId,
        userName: `learner${number}`,
        email: generatedEmail(number, spec.emailDomain),
        firstName: 'Learner',
        lastName: String(number),
      });
      const index = (n - 1) % guideIds.length;
      const list = lists[index] as Result[];
      const result: Result = {
        resultId: this.#resultId(),
        guideId: guideIds[index] as number,
        userId,
        passed:
          spec.failEvery === undefined || (Math.floor((n - 1) / guideIds.length) + 1) % spec.failEvery !== 0,
        completedAt: Math.round(from + step * (n - 1)),
      };
      const last = list.at(-1);
      if (last && compare(last, result) > 0) touched.add(list);
      list.push(result);
    }
    for (const list of touched) list.sort(compare);
    return { guideIds, participants: spec.participants, firstUserId };
  }

  /** Guides not deleted, by id, filtered as the public listing filters them. */
  listGuides(q: {
    page: number;
    hitsPerPage: number;
    types: number[];
    searchQuery?: string;
    published?: boolean;
  }): Page<Guide> {
    const search = q.searchQuery?.trim().toLowerCase();
    const all = [...this.guides.values()]
      .filter((g) => !g.deleted)
      .filter((g) => q.types.length === 0 || q.types.includes(g.type))
      .filter((g) => q.published === undefined || g.published === q.published)
      .filter((g) => !search || g.name.toLowerCase().includes(search))
      .sort((a, b) => a.id - b.id);
    return paged(all, q.page, q.hitsPerPage);
  }

  guide(id: number): Guide | undefined {
    const guide = this.guides.get(id);
    return guide && !guide.deleted ? guide : undefined;
  }

  /** A guide's results completed at or after `completedSince`, in the stable order; undefined if no guide. */
  listResults(q: {
    guideId: number;
    page: number;
    hitsPerPage: number;
    completedSince?: number;
  }): Page<{ result: Result; user: User }> | undefined {
    if (!this.guide(q.guideId)) return undefined;
    const list = this.results.get(q.guideId) ?? [];
    const start = q.completedSince === undefined ? 0 : lowerBoundAt(list, q.completedSince);
    const totalHits = list.length - start;
    const from = start + (q.page - 1) * q.hitsPerPage;
    const slice = from < list.length ? list.slice(from, Math.min(list.length, from + q.hitsPerPage)) : [];
    return {
      results: slice.map((result) => ({ result, user: this.users.get(result.userId) as User })),
      totalHits,
      totalPages: Math.ceil(totalHits / q.hitsPerPage),
      currentPage: q.page,
    };
  }

  /** Counts, and the small parts whole (guides; users and results only when there are few). */
  summary(): Record<string, unknown> {
    const resultCount = [...this.results.values()].reduce((n, l) => n + l.length, 0);
    const small = this.users.size <= 1000 && resultCount <= 1000;
    return {
      guides: [...this.guides.values()],
      userCount: this.users.size,
      resultCounts: Object.fromEntries([...this.results.entries()].map(([id, l]) => [id, l.length])),
      ...(small
        ? {
            users: [...this.users.values()],
            results: [...this.results.values()].flat().map((r) => ({
              ...r,
              completedAt: new Date(r.completedAt).toISOString(),
            })),
          }
        : {}),
    };
  }

  reset(): void {
    this.guides.clear();
    this.users.clear();
    this.results.clear();
    this.#nextGuideId = 1001;
    this.#nextUserId = 1;
    this.#nextResult = 1;
  }

  #resultId(): string {
    return `R${String(this.#nextResult++).padStart(9, '0')}`;
  }
}

function compare(a: Result, b: Result): number {
  return a.completedAt - b.completedAt || (a.resultId < b.resultId ? -1 : a.resultId > b.resultId ? 1 : 0);
}

/** Index after every result that sorts before or equal to `r`. */
function upperBound(list: Result[], r: Result): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid] as Result, r) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first result completed at or after `at`. */
function lowerBoundAt(list: Result[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Result).completedAt < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function paged<T>(all: T[], page: number, hitsPerPage: number): Page<T> {
  return {
    results: all.slice((page - 1) * hitsPerPage, page * hitsPerPage),
    totalHits: all.length,
    totalPages: Math.ceil(all.length / hitsPerPage),
    currentPage: page,
  };
}
