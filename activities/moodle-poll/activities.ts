import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { listCompletionCourses, scanCourseCompletions, type MoodleClient } from '../../adapters/moodle';
import type { Completion } from '../../domain/grade-return/completion';
import { lookbackDaysRange } from '../../domain/grade-return/input-check';
import {
  MOODLE_ACTIVITY_OVERLAP_MS,
  MOODLE_FULL_SCAN_EVERY_MS,
  type MoodlePollResult,
  type MoodleCourseFailure,
} from '../../domain/grade-return/moodle-poll';
import { ExternalSystemError, RejectedError, TransientError } from '../../platform/errors';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Errorcodes that concern the whole site (the token, the web service), not one course: the poll fails. */
const SITE_WIDE_ERRORS = new Set(['invalidtoken', 'accessexception', 'servicerequireslogin']);

const isoTime = z.iso.datetime({ offset: true });
const courseFailureSchema = z.object({
  courseId: z.number().int(),
  reason: z.string(),
  /** The activity filter the failed course had; null = a full scan. Kept so the next poll misses nothing. */
  activeSince: isoTime.nullable(),
});

export const moodlePollCursorSchema = z.object({
  /** The next poll asks learners active at or after this moment (this poll's start minus an overlap). */
  activeSince: isoTime,
  /** When the last full scan (every enrolled learner) started. */
  fullScanAt: isoTime,
  /** Courses whose scan failed: the next poll asks them again with their own, older filter. */
  retry: z.array(courseFailureSchema).default([]),
});

export const pollMoodleCompletionsInputSchema = z.object({
  /** How far back to look; overlapping windows are harmless because a grade return starts once per learner and course. */
  lookbackDays: z.number().int().min(lookbackDaysRange.min).max(lookbackDaysRange.max),
  /** Where the previous poll stopped (its result's `cursor`); absent: a full scan. */
  cursor: moodlePollCursorSchema.optional(),
});

/** What a retried attempt resumes from: the heartbeat of the attempt before it. */
const progressSchema = z.object({
  phase: z.literal('scanning'),
  startedAt: isoTime,
  fullScan: z.boolean(),
  coursesDone: z.number().int(),
  coursesTotal: z.number().int(),
  /** Courses are scanned in id order; a retry continues after this one. */
  lastCourseId: z.number().int(),
  found: z.number().int(),
  started: z.number().int(),
  duplicates: z.number().int(),
  failed: z.array(courseFailureSchema),
});
type Progress = z.output<typeof progressSchema>;

export type PollMoodleCompletionsInput = z.input<typeof pollMoodleCompletionsInputSchema>;
export type PollMoodleCompletionsResult = MoodlePollResult;

export interface MoodlePollDeps {
  moodle: MoodleClient;
  /** Starts the grade-return workflow for one completion; 'duplicate' when it already ran (CV-1). */
  startGradeReturn: (completion: Completion) => Promise<'started' | 'duplicate'>;
}

export interface MoodlePollActivities {
  pollMoodleCompletions(input: PollMoodleCompletionsInput): Promise<PollMoodleCompletionsResult>;
}

class StartFailed extends Error {
  constructor(readonly original: unknown) {
    super('starting a grade return failed');
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof ExternalSystemError) return err.message;
  return `unexpected error (${err instanceof Error ? err.name : typeof err})`;
}

export function createMoodlePollActivities(deps: MoodlePollDeps): MoodlePollActivities {
  return {
    /**
     * Walks Moodle course by course and starts a grade return for each completion as soon as it is
     * found. Incremental: with a cursor only learners active since the previous poll are asked, with
     * a full scan once a day. Heartbeats after each course; a retried attempt resumes after the last
     * course its predecessor finished. One course's error is reported and the others are scanned;
     * Moodle being unavailable or refusing the token fails the attempt (Temporal retries it).
     */
    async pollMoodleCompletions(input) {
      const parsed = pollMoodleCompletionsInputSchema.safeParse(input);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `invalid input: ${z.prettifyError(parsed.error)}`,
          'InvalidInput',
        );
      }
      const { lookbackDays, cursor } = parsed.data;
      const ctx = Context.current();
      const resumed = progressSchema.safeParse(ctx.info.heartbeatDetails);
      const startedAt = resumed.success ? new Date(resumed.data.startedAt) : new Date();
      const fullScan = resumed.success
        ? resumed.data.fullScan
        : !cursor || startedAt.getTime() - Date.parse(cursor.fullScanAt) >= MOODLE_FULL_SCAN_EVERY_MS;
      const completedSince = new Date(startedAt.getTime() - lookbackDays * DAY_MS);
      const retryFilter = new Map((cursor?.retry ?? []).map((r) => [r.courseId, r.activeSince]));
      const courses = await listCompletionCourses(deps.moodle);
      const progress: Progress = resumed.success
        ? { ...resumed.data, coursesTotal: courses.length }
        : {
            phase: 'scanning',
            startedAt: startedAt.toISOString(),
            fullScan,
            coursesDone: 0,
            coursesTotal: courses.length,
            lastCourseId: 0,
            found: 0,
            started: 0,
            duplicates: 0,
            failed: [],
          };
      if (resumed.success)
        log.info('Moodle poll resumes after a lost attempt', {
          coursesDone: progress.coursesDone,
          lastCourseId: progress.lastCourseId,
        });
      ctx.heartbeat(progress);

      for (const course of courses) {
        if (course.id <= progress.lastCourseId) continue;
        ctx.cancellationSignal.throwIfAborted();
        const since = retryFilter.has(course.id)
          ? (retryFilter.get(course.id) ?? null)
          : fullScan || !cursor
            ? null
            : cursor.activeSince;
        try {
          await scanCourseCompletions(deps.moodle, course, {
            completedSince,
            ...(since ? { activeSince: new Date(since) } : {}),
            signal: ctx.cancellationSignal,
            onSkip: (skipped) => log.warn('Moodle completion skipped', { ...skipped }),
            onCompletion: async (completion) => {
              progress.found++;
              let outcome: 'started' | 'duplicate';
              try {
                outcome = await deps.startGradeReturn(completion);
              } catch (err) {
                throw new StartFailed(err);
              }
              if (outcome === 'started') progress.started++;
              else progress.duplicates++;
              ctx.heartbeat(progress);
            },
          });
        } catch (err) {
          if (err instanceof StartFailed) throw err.original;
          if (ctx.cancellationSignal.aborted || err instanceof TransientError) throw err;
          if (err instanceof RejectedError && (SITE_WIDE_ERRORS.has(err.reason) || err.status !== undefined))
            throw err;
          const failure: MoodleCourseFailure = {
            courseId: course.id,
            reason: reasonOf(err),
            activeSince: since,
          };
          progress.failed.push(failure);
          log.warn('Moodle course not scanned; the next poll tries it again', {
            courseId: course.id,
            reason: failure.reason,
          });
        }
        progress.coursesDone++;
        progress.lastCourseId = course.id;
        ctx.heartbeat(progress);
      }

      const result: PollMoodleCompletionsResult = {
        found: progress.found,
        started: progress.started,
        duplicates: progress.duplicates,
        fullScan: progress.fullScan,
        coursesScanned: progress.coursesDone - progress.failed.length,
        coursesFailed: progress.failed,
        cursor: {
          activeSince: new Date(startedAt.getTime() - MOODLE_ACTIVITY_OVERLAP_MS).toISOString(),
          fullScanAt: progress.fullScan ? progress.startedAt : (cursor?.fullScanAt ?? progress.startedAt),
          retry: progress.failed,
        },
      };
      log.info('Moodle completions polled', {
        fullScan: result.fullScan,
        found: result.found,
        started: result.started,
        duplicates: result.duplicates,
        coursesScanned: result.coursesScanned,
        coursesFailed: progress.failed.length,
      });
      return result;
    },
  };
}
