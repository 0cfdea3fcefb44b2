/**
 * What an operator reads about a grade return or a Moodle poll in the Web UI (PLAT-13): the start's
 * summary and details, and the current state. Learner ids, grades and dates stay out: the learner is
 * named by the workflow id, the rest is in the encrypted input and the `status` query.
 * Loaded by workflow code: no zod (see input-check.ts).
 */
import { currentDetails, plural, startMetadata, type StartMetadata } from '../user-metadata';
import {
  NOT_COUNTED_LABELS,
  type AttemptRecord,
  type GradeReturnBudgetWait,
  type GradeReturnPhase,
} from './attempts';
import { describeReplacement, type ReplacementRecord } from './replacement';

export function gradeReturnStartMetadata(input: {
  source: string;
  courseId: string;
  maxDailyAttempts: number;
}): StartMetadata {
  return startMetadata(`Grade return: ${input.source} course ${input.courseId} → Coachview`, [
    `Returns a learner's final grade for **${input.source}** course **${input.courseId}** to Coachview: ` +
      `one attempt a day, at most ${plural(input.maxDailyAttempts, 'day')}; then the operators are e-mailed ` +
      'and the run fails with `GradeReturnGaveUp`.',
    '',
    '- Learner, grade and completion date: the input (encrypted; decoded by the codec server).',
    '- Where it stands: the current details here, or the `status` query.',
    '- After fixing the learner or the course in Coachview: send the signal `retryNow`.',
  ]);
}

export interface GradeReturnProgress {
  phase: GradeReturnPhase;
  maxDailyAttempts: number;
  attempts: readonly AttemptRecord[];
  nextAttemptAt: Date | null;
  /** Completions received while running (CV-7); the last one is described. */
  replacements?: readonly ReplacementRecord[];
  /** The latest try, when it did not count (CV-6), and since when such tries last. */
  notCounted?: { last: AttemptRecord; since: string; total: number } | null;
  /** While waiting for the `coachview-rest` budget. */
  rateBudgetWait?: GradeReturnBudgetWait | null;
}

/** The grade return's current details, e.g. "Attempt 3 of 30: not-recognized (...). Next attempt at ...". */
export function gradeReturnCurrentDetails(p: GradeReturnProgress): string {
  const details = phaseDetails(p);
  const last = p.replacements?.[p.replacements.length - 1];
  if (!last) return details;
  const replaced = p.replacements?.filter((r) => r.decision === 'replace').length ?? 0;
  const times = replaced > 1 ? ` The pending grade was replaced ${replaced} times.` : '';
  return currentDetails([details, '', `${describeReplacement(last)}${times}`]);
}

function phaseDetails(p: GradeReturnProgress): string {
  const made = p.attempts.length;
  const last = p.attempts[made - 1];
  const answer = last ? `${last.outcome} (${last.detail})` : '';
  switch (p.phase) {
    case 'attempting':
      return currentDetails([`Attempt ${made + 1} of ${p.maxDailyAttempts}: asking Coachview.`]);
    case 'waiting-for-retry':
      if (p.notCounted?.last.notCounted)
        return currentDetails([
          `${NOT_COUNTED_LABELS[p.notCounted.last.notCounted]} since ${p.notCounted.since}, not counted ` +
            `(${plural(p.notCounted.total, 'try', 'tries')} not counted in all): ${p.notCounted.last.detail}.`,
          `Daily attempts used: ${made} of ${p.maxDailyAttempts}.`,
          `Next try at ${p.nextAttemptAt?.toISOString() ?? 'tomorrow'}, or at once on the signal retryNow.`,
        ]);
      return currentDetails([
        `Attempt ${made} of ${p.maxDailyAttempts}: ${answer}.`,
        `Next attempt at ${p.nextAttemptAt?.toISOString() ?? 'tomorrow'}, or at once on the signal retryNow.`,
      ]);
    case 'waiting-for-rate-budget':
      return currentDetails([
        `**Waiting for rate budget \`${p.rateBudgetWait?.budget ?? 'coachview-rest'}\`** ` +
          `(${p.rateBudgetWait?.reason ?? 'its limit is reached'}).`,
        `Available again at ${p.rateBudgetWait?.availableAt ?? 'its next window'}; attempt ${made + 1} of ` +
          `${p.maxDailyAttempts} runs at ${p.rateBudgetWait?.resumeAt ?? 'then'} ` +
          `(wait ${p.rateBudgetWait?.waits ?? 1}).`,
        'Nothing has failed and no attempt is used: the work continues by itself.',
      ]);
    case 'registered':
      return currentDetails([`Registered in Coachview at attempt ${made} of ${p.maxDailyAttempts}.`]);
    case 'already-registered':
      return currentDetails([
        `Coachview already held a result at attempt ${made}; this grade was not registered again.`,
      ]);
    case 'refused':
      return currentDetails([
        `Refused at attempt ${made}: ${answer}.`,
        'Nothing was registered. The operators were e-mailed; correct the ids in Coachview, then start the grade return again.',
      ]);
    case 'gave-up':
      return currentDetails([
        `Gave up after ${plural(made, 'daily attempt')}: ${answer}.`,
        'The operators were e-mailed; start the grade return again once Coachview knows the learner and course.',
      ]);
  }
}

export function moodlePollStartMetadata(lookbackDays: number): StartMetadata {
  return startMetadata(`Moodle completion poll: last ${plural(lookbackDays, 'day')} → grade returns`, [
    `Lists the Moodle course completions of the last ${plural(lookbackDays, 'day')} and starts one ` +
      'grade return per completion as it finds it; a completion whose grade return runs is handed to it ' +
      '(a newer one replaces the pending grade), one whose grade return succeeded is skipped.',
    '',
    'Incremental: it asks only learners active in a course since the previous poll (a full scan once a day). ' +
      'A course Moodle refuses is reported and asked again by the next poll.',
    '',
    'Progress: the pending activity (heartbeat: courses done of total, completions found); ' +
      'result: counts found, started and skipped, the courses not scanned.',
  ]);
}

export function moodlePollCurrentDetails(
  lookbackDays: number,
  result?: {
    found: number;
    started: number;
    duplicates: number;
    fullScan?: boolean;
    coursesScanned?: number;
    coursesFailed?: { courseId: number; reason: string }[];
  },
  cursor?: { activeSince: string },
): string {
  if (!result)
    return currentDetails([
      `Polling Moodle for completions of the last ${plural(lookbackDays, 'day')}` +
        (cursor ? `, asking learners active since ${cursor.activeSince}.` : '.'),
    ]);
  const lines = [
    `Found ${plural(result.found, 'completion')}: ${result.started} grade return(s) started, ` +
      `${result.duplicates} already running or done.`,
  ];
  if (result.coursesScanned !== undefined)
    lines.push(
      `${result.fullScan ? 'Full scan' : 'Incremental scan'}: ${plural(result.coursesScanned, 'course')} scanned.`,
    );
  for (const failed of result.coursesFailed ?? [])
    lines.push(`Course ${failed.courseId} not scanned, the next poll tries it again: ${failed.reason}`);
  return currentDetails(lines);
}
