import type { CoachviewClient } from '../../adapters/coachview';
import type { Mailer } from '../../adapters/mail';
import { ATTEMPT_HEARTBEAT_EVERY_MS, type CompletionSource } from '../../domain/grade-return';
import { budgeted } from '../../platform/rate-budget/activity';
import { heartbeatWhile } from '../roster-sync/heartbeat';
import { attemptGradeReturn, type AttemptInput, type AttemptResult } from './attempt';
import { notifyGradeReturnGaveUp, type GaveUpNotice } from './notify';

export interface GradeReturnActivityDeps {
  coachview: CoachviewClient;
  mailer: Mailer;
  operatorRecipients: string[];
  /** Each e-learning system's time zone (default Europe/Amsterdam): the approval date is the day there. */
  timeZones?: Partial<Record<CompletionSource, string>>;
}

export function createGradeReturnActivities(deps: GradeReturnActivityDeps) {
  /**
   * Heartbeats while it runs: the start-to-close timeout covers every call at its full timeout,
   * so the heartbeat timeout is what notices a worker that died mid-attempt.
   */
  const attempt = (input: AttemptInput): Promise<AttemptResult> =>
    heartbeatWhile(
      () => attemptGradeReturn(deps.coachview, input, deps.timeZones?.[input.source]),
      () => ({ attempting: input.courseId }),
      ATTEMPT_HEARTBEAT_EVERY_MS,
    );
  return {
    attemptGradeReturn: attempt,
    /**
     * The same attempt, with a spent `coachview-rest` budget as its answer instead of a failure
     * (PLAT-16, CV-6): the workflow waits for the budget and counts no attempt. A new name, since runs
     * on the path before patch `coachview-rate-budget` expect the plain result.
     */
    attemptGradeReturnWithinBudget: budgeted(attempt),
    notifyGradeReturnGaveUp: (notice: GaveUpNotice): Promise<void> =>
      notifyGradeReturnGaveUp(deps.mailer, deps.operatorRecipients, notice),
  };
}

export type GradeReturnActivities = ReturnType<typeof createGradeReturnActivities>;
export type { AttemptInput, AttemptResult, GaveUpNotice };
