import type { CoachviewClient, RegistrationLookup, RegistrationLookupInput } from '../../adapters/coachview';
import {
  DEFAULT_ELEARNING_TIME_ZONE,
  completionDate,
  completionDateIn,
  type AttemptOutcome,
  type GradeReturnInput,
} from '../../domain/grade-return';
import { RejectedError } from '../../platform/errors';
import type { CoachviewSnapshots } from './coachview-snapshot';

/**
 * The input of one attempt: the pending completion, and the completions this grade return attempted
 * before a newer one replaced them (CV-7).
 */
export type AttemptInput = GradeReturnInput & { earlier?: { grade: string; completedAt: string }[] };

export interface AttemptResult {
  outcome: Exclude<AttemptOutcome, 'rejected' | 'unavailable'>;
  detail: string;
  /** Whether the answer came from the shared snapshot (CV-6) or from Coachview directly. */
  answeredFrom?: 'snapshot' | 'live';
  /** The snapshot's time, when the answer came from it. */
  snapshotTakenAt?: string;
}

/**
 * One daily attempt at returning a grade to Coachview. Reads the registration first so that
 * "already registered" (CV-3) and "not recognized" (CV-4) are told apart, which the push's 404 cannot.
 * Transient failures are thrown and retried by the activity's retry policy within the attempt.
 * A "not recognized" detail is quoted in the give-up failure message and the current details, so it
 * names no learner or person id (docs/failure-messages.md).
 *
 * `timeZone` is the e-learning system's: the approval date is the day of completion there (CV-2).
 */
export async function attemptGradeReturn(
  coachview: CoachviewClient,
  input: AttemptInput,
  timeZone: string = DEFAULT_ELEARNING_TIME_ZONE,
): Promise<AttemptResult> {
  const prepared = prepare(input, timeZone);
  return answer(coachview, prepared, await coachview.findElearningRegistration(prepared.lookup));
}

/**
 * The input of an attempt that consults the shared snapshot (CV-6): `live` (an operator's retryNow)
 * reads Coachview directly; `snapshotNotBefore` is the run's previous try, so the snapshot used shows
 * whatever that try pushed (a lost answer is never pushed again, CV-7).
 */
export type SnapshotAttemptInput = AttemptInput & { live?: boolean; snapshotNotBefore?: string };

/**
 * One daily attempt from the shared snapshot (CV-6): "not recognized", "already registered" and the
 * person to push for come from the snapshot without a REST request of this learner's own; the push is
 * confirmed by Coachview's answer, and a 404 is looked up live. An id the snapshot shows as ambiguous
 * is decided live, so a refusal (CV-5) rests on current data. `retriedAfter`: when this is a retry of
 * the activity, the time it was scheduled, so the snapshot is newer than the failed try's push.
 */
export async function attemptGradeReturnFromSnapshot(
  coachview: CoachviewClient,
  snapshots: CoachviewSnapshots,
  input: SnapshotAttemptInput,
  timeZone: string = DEFAULT_ELEARNING_TIME_ZONE,
  retriedAfter?: number,
): Promise<AttemptResult> {
  if (input.live) return { ...(await attemptGradeReturn(coachview, input, timeZone)), answeredFrom: 'live' };
  const prepared = prepare(input, timeZone);
  const notBefore = Math.max(
    input.snapshotNotBefore ? Date.parse(input.snapshotNotBefore) : 0,
    retriedAfter ?? 0,
  );
  const own = [
    ...(prepared.lookup.ownResult ? [prepared.lookup.ownResult] : []),
    ...(prepared.lookup.earlierOwnResults ?? []),
  ];
  const seen = await snapshots.lookup(
    { learnerId: input.learnerId, courseId: input.courseId, own },
    notBefore,
  );
  if (seen.lookup.kind === 'person-ambiguous')
    return { ...(await attemptGradeReturn(coachview, input, timeZone)), answeredFrom: 'live' };
  return {
    ...(await answer(coachview, prepared, seen.lookup)),
    answeredFrom: 'snapshot',
    snapshotTakenAt: seen.takenAt,
  };
}

interface Prepared {
  input: AttemptInput;
  date: string;
  dates: string[];
  lookup: RegistrationLookupInput & {
    ownResult: { result: string; approvalDates: string[] };
    earlierOwnResults?: { result: string; approvalDates: string[] }[];
  };
}

function prepare(input: AttemptInput, timeZone: string): Prepared {
  const date = completionDateIn(input, timeZone);
  // A result pushed before the time zone was applied carries the date as written (UTC for Moodle).
  const datesOf = (c: { completedAt: string }) => [
    ...new Set([completionDateIn(c, timeZone), completionDate(c)]),
  ];
  const dates = datesOf(input);
  // A component already holding this result is this grade return's own registration (CV-7); so is one
  // holding a result it attempted before a newer completion replaced it.
  const earlier = (input.earlier ?? []).map((c) => ({ result: c.grade, approvalDates: datesOf(c) }));
  return {
    input,
    date,
    dates,
    lookup: {
      learnerId: input.learnerId,
      courseId: input.courseId,
      ownResult: { result: input.grade, approvalDates: dates },
      ...(earlier.length > 0 ? { earlierOwnResults: earlier } : {}),
    },
  };
}

async function answer(
  coachview: CoachviewClient,
  { input, date, dates, lookup }: Prepared,
  before: RegistrationLookup,
): Promise<AttemptResult> {
  const { courseId, grade } = input;
  switch (before.kind) {
    case 'person-ambiguous':
      // Never guess (CV-5): either person may be the wrong one. Not retried within the attempt.
      throw new RejectedError(
        'Coachview',
        `the learner id matches ${before.matches} persons (one's person id and another's external id, ` +
          `or several external ids); nothing is registered until the ids in Coachview are corrected`,
        undefined,
        'AmbiguousLearner',
      );
    case 'person-not-found':
      return {
        outcome: 'not-recognized',
        detail: 'the learner id is not a Coachview person id or external id',
      };
    case 'component-not-found':
      return {
        outcome: 'not-recognized',
        detail: `the Coachview person has no e-learning component for course ${courseId}`,
      };
    case 'registered':
      return sameResult(before, grade, dates)
        ? {
            outcome: 'registered',
            detail: `result ${grade} was already registered by an earlier try of this attempt`,
          }
        : {
            outcome: 'already-registered',
            detail: `Coachview already holds result ${before.result}; ${grade} is not registered again`,
          };
    case 'open':
      break;
  }
  const pushed = await coachview.pushResult({
    personId: before.personId,
    courseId,
    grade,
    completionDate: date,
    passed: true,
  });
  if (pushed.kind === 'processed') {
    return {
      outcome: 'registered',
      detail: `result ${grade} registered on component ${before.componentId}, approved ${date}`,
    };
  }
  // 404 means "not recognized" or "already completed": look again to know which.
  const after = await coachview.findElearningRegistration(lookup);
  if (after.kind === 'registered') {
    return sameResult(after, grade, dates)
      ? { outcome: 'registered', detail: `result ${grade} registered on component ${after.componentId}` }
      : {
          outcome: 'already-registered',
          detail: `Coachview already holds result ${after.result}; ${grade} is not registered again`,
        };
  }
  return {
    outcome: 'not-recognized',
    detail: `Coachview answered 404 to the result push (component ${before.componentId})`,
  };
}

function sameResult(
  found: { result: string; approvalDate?: string | null },
  grade: string,
  dates: string[],
): boolean {
  return (
    found.result === grade && (found.approvalDate == null || dates.includes(found.approvalDate.slice(0, 10)))
  );
}
