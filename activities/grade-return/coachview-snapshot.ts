/**
 * The shared snapshot of what Coachview knows (CV-6): every person's ids and, per course, the e-learning
 * components carrying that course id. One worker reads it page by page within the `coachview-rest`
 * budget and keeps it (in memory and in the snapshot store, for the other worker processes); every
 * waiting learner's daily attempt consults it instead of spending two or three REST requests of its own.
 *
 * Stale answers are made safe by the attempt (docs/coachview.md, "The shared snapshot"): a snapshot is
 * used only when it is younger than `maxAgeMs` and was taken after the run's previous try (so it shows
 * a push that try made), an ambiguous id is decided on live data, and a registration is confirmed by
 * Coachview's answer to the push.
 */
import { z } from 'zod';
import {
  registrationOf,
  type CoachviewClient,
  type ElearningComponentAnswer,
  type RegistrationLookup,
} from '../../adapters/coachview';
import type { SnapshotStore } from '../../platform/store';

export interface CoachviewSnapshotOptions {
  coachview: CoachviewClient;
  /** Where the snapshot is shared with other worker processes; without it, each process reads its own. */
  store?: SnapshotStore;
  /** A snapshot older than this is read again before it is used (default 1 hour). */
  maxAgeMs?: number;
  /** Items per REST request (default 1,000). */
  pageSize?: number;
  /** The time snapshots are stamped and judged by. */
  clock?: () => number;
}

export const DEFAULT_SNAPSHOT_MAX_AGE_MS = 60 * 60 * 1000;
export const DEFAULT_SNAPSHOT_PAGE_SIZE = 1000;
const STORE_PREFIX = 'coachview-snapshot';

interface PersonsSnapshot {
  takenAt: number;
  ids: Set<string>;
  /** External id -> the person ids carrying it. */
  byExternalId: Map<string, string[]>;
}

interface CourseSnapshot {
  takenAt: number;
  /** Person id -> that person's components for the course, oldest first. */
  byPerson: Map<string, ElearningComponentAnswer[]>;
}

export interface SnapshotLookup {
  lookup: RegistrationLookup;
  /** When the older of the two parts (persons, course) was read, ISO. */
  takenAt: string;
}

const storedPersonsSchema = z.object({
  takenAt: z.number(),
  items: z.array(z.tuple([z.string(), z.string().nullable()])),
});
const storedCourseSchema = z.object({
  takenAt: z.number(),
  courseId: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      personId: z.string(),
      elearningCourseId: z.string(),
      result: z.string().nullable(),
      trainingRequestComponent: z.object({ id: z.string(), approvalDate: z.string().nullable() }),
    }),
  ),
});

/** Store keys allow letters, digits, `.`, `_`, `-`: a course id is stored by its hex form. */
export function courseSnapshotKey(courseId: string): string {
  return `${STORE_PREFIX}/course-${Buffer.from(courseId, 'utf8').toString('hex')}.json`;
}
export const PERSONS_SNAPSHOT_KEY = `${STORE_PREFIX}/persons.json`;

export class CoachviewSnapshots {
  readonly #opts: Required<Omit<CoachviewSnapshotOptions, 'store'>> & { store?: SnapshotStore };
  #persons: PersonsSnapshot | undefined;
  readonly #courses = new Map<string, CourseSnapshot>();
  /** One read at a time per part: concurrent attempts share it (single flight). */
  readonly #reading = new Map<string, Promise<unknown>>();
  /** REST requests this process spent on snapshots, for the benchmark and the logs. */
  requests = 0;

  constructor(opts: CoachviewSnapshotOptions) {
    this.#opts = {
      maxAgeMs: DEFAULT_SNAPSHOT_MAX_AGE_MS,
      pageSize: DEFAULT_SNAPSHOT_PAGE_SIZE,
      clock: Date.now,
      ...opts,
    };
  }

  /**
   * The registration as the snapshot shows it, from parts taken no earlier than `notBefore` and no
   * older than the maximum age; stale or missing parts are read again first.
   */
  async lookup(
    input: { learnerId: string; courseId: string; own: { result: string; approvalDates: string[] }[] },
    notBefore: number,
  ): Promise<SnapshotLookup> {
    const persons = await this.#fresh(
      'persons',
      notBefore,
      () => this.#persons,
      () => this.#readPersons(),
    );
    const personIds = [
      ...new Set([
        ...(persons.ids.has(input.learnerId) ? [input.learnerId] : []),
        ...(persons.byExternalId.get(input.learnerId) ?? []),
      ]),
    ];
    const personId = personIds[0];
    if (personId === undefined)
      return { lookup: { kind: 'person-not-found' }, takenAt: new Date(persons.takenAt).toISOString() };
    if (personIds.length > 1)
      return {
        lookup: { kind: 'person-ambiguous', matches: personIds.length },
        takenAt: new Date(persons.takenAt).toISOString(),
      };
    const course = await this.#fresh(
      `course:${input.courseId}`,
      notBefore,
      () => this.#courses.get(input.courseId),
      () => this.#readCourse(input.courseId),
    );
    return {
      lookup: registrationOf(personId, course.byPerson.get(personId) ?? [], input.own),
      takenAt: new Date(Math.min(persons.takenAt, course.takenAt)).toISOString(),
    };
  }

  #isFresh(part: { takenAt: number } | undefined, notBefore: number): boolean {
    return (
      part !== undefined &&
      part.takenAt >= notBefore &&
      this.#opts.clock() - part.takenAt <= this.#opts.maxAgeMs
    );
  }

  async #fresh<T extends { takenAt: number }>(
    name: string,
    notBefore: number,
    current: () => T | undefined,
    read: () => Promise<T>,
  ): Promise<T> {
    for (;;) {
      const part = current();
      if (this.#isFresh(part, notBefore)) return part!;
      const pending = this.#reading.get(name);
      if (pending) {
        await pending.catch(() => undefined);
        const after = current();
        if (this.#isFresh(after, notBefore)) return after!;
        if (this.#reading.get(name) === pending) this.#reading.delete(name);
        continue;
      }
      const reading = read();
      this.#reading.set(name, reading);
      try {
        return await reading;
      } finally {
        if (this.#reading.get(name) === reading) this.#reading.delete(name);
      }
    }
  }

  async #readPersons(): Promise<PersonsSnapshot> {
    const stored = await this.#fromStore(PERSONS_SNAPSHOT_KEY, storedPersonsSchema);
    const notBefore = this.#opts.clock() - this.#opts.maxAgeMs;
    const source =
      stored && stored.takenAt >= notBefore
        ? stored
        : await (async () => {
            const takenAt = this.#opts.clock();
            const items = await this.#allPages((page) => this.#opts.coachview.listPersons(page));
            const fresh = {
              takenAt,
              items: items.map((p) => [p.id, p.externalId ?? null] as [string, string | null]),
            };
            await this.#share(PERSONS_SNAPSHOT_KEY, fresh);
            return fresh;
          })();
    const snapshot: PersonsSnapshot = { takenAt: source.takenAt, ids: new Set(), byExternalId: new Map() };
    for (const [id, externalId] of source.items) {
      snapshot.ids.add(id);
      if (externalId !== null) {
        const ids = snapshot.byExternalId.get(externalId);
        if (ids) ids.push(id);
        else snapshot.byExternalId.set(externalId, [id]);
      }
    }
    if (!this.#persons || this.#persons.takenAt <= snapshot.takenAt) this.#persons = snapshot;
    return snapshot;
  }

  async #readCourse(courseId: string): Promise<CourseSnapshot> {
    const key = courseSnapshotKey(courseId);
    const stored = await this.#fromStore(key, storedCourseSchema);
    const notBefore = this.#opts.clock() - this.#opts.maxAgeMs;
    const source =
      stored && stored.courseId === courseId && stored.takenAt >= notBefore
        ? stored
        : await (async () => {
            const takenAt = this.#opts.clock();
            const items = await this.#allPages((page) =>
              this.#opts.coachview.listCourseComponents({ courseId, ...page }),
            );
            const fresh = { takenAt, courseId, items };
            await this.#share(key, fresh);
            return fresh;
          })();
    const snapshot: CourseSnapshot = { takenAt: source.takenAt, byPerson: new Map() };
    for (const c of source.items) {
      const list = snapshot.byPerson.get(c.personId);
      if (list) list.push(c);
      else snapshot.byPerson.set(c.personId, [c]);
    }
    const before = this.#courses.get(courseId);
    if (!before || before.takenAt <= snapshot.takenAt) this.#courses.set(courseId, snapshot);
    return snapshot;
  }

  /** Shares a fresh read with the other processes; a store that refuses it costs them a read, not this attempt. */
  async #share(key: string, value: unknown): Promise<void> {
    try {
      await this.#opts.store?.putJson(key, value);
    } catch {
      // The snapshot is used from memory all the same.
    }
  }

  async #fromStore<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined> {
    const store = this.#opts.store;
    if (!store || !(await store.exists(key))) return undefined;
    try {
      return await store.getJson(key, schema);
    } catch {
      return undefined; // A damaged copy is read again from Coachview.
    }
  }

  async #allPages<T>(
    read: (page: { page: number; pageSize: number }) => Promise<{ items: T[]; total: number }>,
  ): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      this.requests += 1;
      const answer = await read({ page, pageSize: this.#opts.pageSize });
      all.push(...answer.items);
      if (answer.items.length < this.#opts.pageSize || page * this.#opts.pageSize >= answer.total) return all;
    }
  }
}
