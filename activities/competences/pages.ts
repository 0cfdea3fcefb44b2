/**
 * One page of a course's results turned into WinLas registrations (CW-2..CW-6): match each passing
 * participant by e-mail, read what the person holds, register what is missing with the person's key
 * for the competence. Calls run a few at a time within the rate budgets the clients spend.
 */
import type { CourseResult } from '../../adapters/infocaption/types';
import type { WinLasClient } from '../../adapters/winlas/types';
import {
  decideRegistrations,
  emailKey,
  noCounts,
  type CompetenceCounts,
  type LinkedCompetence,
  type UnmatchedParticipant,
} from '../../domain/competences';

/** Finds a person's WinLas id by e-mail: a directory loaded once (backfill) or one lookup each (sync). */
export type PersonLookup = (email: string) => Promise<string | undefined>;

export interface PageOutcome {
  counts: CompetenceCounts;
  unmatched: UnmatchedParticipant[];
  /** Results of participants who now have a person: no longer unmatched. */
  matchedResultIds: string[];
}

export async function registerPage(input: {
  results: readonly CourseResult[];
  guideId: number;
  course: string;
  competences: readonly LinkedCompetence[];
  winlas: WinLasClient;
  lookup: PersonLookup;
  timeZone: string;
  concurrency: number;
  /** Throws when the activity is cancelled (unlink, CW-7), so no further registration is made. */
  checkCancelled: () => void;
}): Promise<PageOutcome> {
  const outcome: PageOutcome = { counts: noCounts(), unmatched: [], matchedResultIds: [] };
  const { counts } = outcome;
  await forEachLimited(input.results, input.concurrency, async (result) => {
    input.checkCancelled();
    if (!result.passed) {
      counts.notPassed++;
      return;
    }
    counts.passed++;
    const personId = emailKey(result.email) ? await input.lookup(result.email) : undefined;
    if (!personId) {
      counts.unmatched++;
      outcome.unmatched.push({
        guideId: input.guideId,
        course: input.course,
        resultId: result.resultId,
        email: result.email,
        firstName: result.firstName,
        lastName: result.lastName,
        completedAt: result.completedAt,
      });
      return;
    }
    outcome.matchedResultIds.push(result.resultId);
    const held = await input.winlas.listRegistrations({ personId });
    const decisions = decideRegistrations({
      personId,
      result,
      competences: input.competences,
      held,
      timeZone: input.timeZone,
    });
    for (const decision of decisions) {
      if (decision.kind === 'already-held') {
        counts.alreadyHeld++;
        continue;
      }
      input.checkCancelled();
      // The key is the person's for this competence: a second course, or this page again after a
      // crash, answers the registration already made (created=false).
      const { created } = await input.winlas.registerCompetence(decision.registration);
      if (created) counts.registered++;
      else counts.alreadyHeld++;
    }
  });
  return outcome;
}

/** Runs `work` over `items`, at most `limit` at a time; the first error stops the rest. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}
