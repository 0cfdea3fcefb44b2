/**
 * A link's state, as its workflow keeps it and the `status` query shows it (CW-4, CW-7, CW-8, CW-9),
 * and the pure transitions on it. Carried over continue-as-new, so it stays small: counts, cursors
 * and store keys; the short sample of unmatched participants is left out there (personal data) and
 * read back from the full list in the snapshot store.
 */
import { addCounts, noCounts, type CompetenceCounts } from './counts';
import { emptyCursor, type SyncCursor } from './cursor';
import type { LinkedCompetence } from './link';

export type LinkPhase = 'validating' | 'backfilling' | 'active' | 'stale' | 'unlinked';

export interface LinkedCourse {
  guideId: number;
  name: string;
  /** Deleted in InfoCaption (CW-8): the link stays visible, this course updates nothing any more. */
  stale: boolean;
  staleSince: string | null;
  backfill: { pagesDone: number; totalPages: number | null; done: boolean };
  cursor: SyncCursor;
}

/** A participant with a passing result and no WinLas person (CW-3); personal data, shown only in the query. */
export interface UnmatchedParticipant {
  guideId: number;
  course: string;
  resultId: string;
  email: string;
  firstName: string;
  lastName: string;
  completedAt: string;
}

export interface LinkStatus {
  linkId: string;
  phase: LinkPhase;
  /** Names the backfill's pages in the store: a re-link backfills again. */
  backfillId: string;
  linkedAt: string;
  courses: LinkedCourse[];
  competences: LinkedCompetence[];
  /** The backfill's counts (CW-9). */
  backfill: CompetenceCounts & { pagesDone: number; totalPages: number; done: boolean };
  /** Counts of every continuous sync since the backfill (CW-2). */
  sync: CompetenceCounts & { runs: number; lastAt: string | null };
  /** Participants still without a WinLas person: how many, a few of them, and where the whole list is. */
  unmatched: { count: number; sample: UnmatchedParticipant[]; storeKey: string };
  lastUnmatchedReport: string | null;
  unlinked: { at: string; operator: string | null } | null;
  /** Runs of this link's workflow (continue-as-new keeps history small). */
  runs: number;
}

export function newLinkStatus(input: {
  linkId: string;
  backfillId: string;
  linkedAt: string;
  guideIds: number[];
  unmatchedKey: string;
}): LinkStatus {
  return {
    linkId: input.linkId,
    phase: 'validating',
    backfillId: input.backfillId,
    linkedAt: input.linkedAt,
    courses: input.guideIds.map((guideId) => ({
      guideId,
      name: `guide ${guideId}`,
      stale: false,
      staleSince: null,
      backfill: { pagesDone: 0, totalPages: null, done: false },
      cursor: emptyCursor(),
    })),
    competences: [],
    backfill: { ...noCounts(), pagesDone: 0, totalPages: 0, done: false },
    sync: { ...noCounts(), runs: 0, lastAt: null },
    unmatched: { count: 0, sample: [], storeKey: input.unmatchedKey },
    lastUnmatchedReport: null,
    unlinked: null,
    runs: 1,
  };
}

/** A course InfoCaption answers 404 for is stale from now on (CW-8); the phase says so when all are. */
export function markCourseStale(status: LinkStatus, guideId: number, at: string): void {
  const course = status.courses.find((c) => c.guideId === guideId);
  if (course && !course.stale) {
    course.stale = true;
    course.staleSince = at;
  }
}

/** The courses that still update anything. */
export const liveCourses = (status: LinkStatus): LinkedCourse[] => status.courses.filter((c) => !c.stale);

/** The phase between syncs: stale when a linked course is deleted in InfoCaption (CW-8). */
export function restingPhase(status: LinkStatus): LinkPhase {
  if (status.unlinked) return 'unlinked';
  return status.courses.some((c) => c.stale) ? 'stale' : 'active';
}

/** The backfill's totals over its courses. */
export function recountBackfillPages(status: LinkStatus): void {
  status.backfill.pagesDone = status.courses.reduce((n, c) => n + c.backfill.pagesDone, 0);
  status.backfill.totalPages = status.courses.reduce(
    (n, c) => n + (c.backfill.totalPages ?? c.backfill.pagesDone),
    0,
  );
  status.backfill.done = status.courses.every((c) => c.backfill.done || c.stale);
}

export function addBackfillCounts(status: LinkStatus, counts: Partial<CompetenceCounts>): void {
  const { pagesDone, totalPages, done } = status.backfill;
  status.backfill = { ...addCounts(status.backfill, counts), pagesDone, totalPages, done };
}

export function addSyncCounts(status: LinkStatus, counts: Partial<CompetenceCounts>): void {
  const { runs, lastAt } = status.sync;
  status.sync = { ...addCounts(status.sync, counts), runs, lastAt };
}

/** Once a day at most, and only when someone is still unmatched (CW-3). */
export function unmatchedReportDue(status: LinkStatus, today: string): boolean {
  return status.unmatched.count > 0 && status.lastUnmatchedReport !== today && !status.unlinked;
}
