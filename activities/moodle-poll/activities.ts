import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { listRecentCompletions, type MoodleClient } from '../../adapters/moodle';
import type { Completion } from '../../domain/grade-return/completion';

const DAY_MS = 24 * 60 * 60 * 1000;

export const pollMoodleCompletionsInputSchema = z.object({
  /** How far back to look; overlapping windows are harmless because a grade return starts once per learner and course. */
  lookbackDays: z.number().int().min(1).max(365),
});

export type PollMoodleCompletionsInput = z.input<typeof pollMoodleCompletionsInputSchema>;

export interface PollMoodleCompletionsResult {
  found: number;
  started: number;
  duplicates: number;
}

export interface MoodlePollDeps {
  moodle: MoodleClient;
  /** Starts the grade-return workflow for one completion; 'duplicate' when it already ran (CV-1). */
  startGradeReturn: (completion: Completion) => Promise<'started' | 'duplicate'>;
}

export interface MoodlePollActivities {
  pollMoodleCompletions(input: PollMoodleCompletionsInput): Promise<PollMoodleCompletionsResult>;
}

export function createMoodlePollActivities(deps: MoodlePollDeps): MoodlePollActivities {
  return {
    /**
     * Finds the completions of the last `lookbackDays` and starts a grade return for each. The list
     * stays inside the activity; only counts go into the workflow history. A retry after a crash
     * starts from scratch, which is safe because starting a grade return twice is a no-op (PLAT-8).
     */
    async pollMoodleCompletions(input) {
      const parsed = pollMoodleCompletionsInputSchema.safeParse(input);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `invalid input: ${z.prettifyError(parsed.error)}`,
          'InvalidInput',
        );
      }
      const ctx = Context.current();
      const since = new Date(Date.now() - parsed.data.lookbackDays * DAY_MS);
      const completions = await listRecentCompletions(deps.moodle, {
        since,
        signal: ctx.cancellationSignal,
        onProgress: (done, total) => ctx.heartbeat({ phase: 'scanning', done, total }),
        onSkip: (skipped) => log.warn('Moodle completion skipped', { ...skipped }),
      });
      const result: PollMoodleCompletionsResult = { found: completions.length, started: 0, duplicates: 0 };
      for (const [index, completion] of completions.entries()) {
        ctx.cancellationSignal.throwIfAborted();
        const outcome = await deps.startGradeReturn(completion);
        if (outcome === 'started') result.started++;
        else result.duplicates++;
        ctx.heartbeat({ phase: 'starting', done: index + 1, total: completions.length });
      }
      log.info('Moodle completions polled', { since: since.toISOString(), ...result });
      return result;
    },
  };
}
