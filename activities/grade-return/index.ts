import type { CoachviewClient } from '../../adapters/coachview';
import type { Mailer } from '../../adapters/mail';
import { ATTEMPT_HEARTBEAT_EVERY_MS, type CompletionSource } from '../../domain/grade-return';
import { budgeted } from '../../platform/rate-budget/activity';
import { heartbeatWhile } from '../roster-sync/heartbeat';
import { Context } from '@temporalio/activity';
import type { SnapshotStore } from '../../platform/store';
import {
  attemptGradeReturn,
  attemptGradeReturnFromSnapshot,
  type AttemptInput,
  type AttemptResult,
  type SnapshotAttemptInput,
} from './attempt';
import { CoachviewSnapshots } from './coachview-snapshot';
import { createIncidentActivities } from './incident';
import type { CoachviewIncidentInput } from '../../domain/grade-return/incident';
import { nextAttemptInWindow, type ZonedAttemptWindow } from '../../domain/grade-return/spread';
import { localParts, startOfLocalDay } from '../../platform/rate-budget/policy';
import { notifyGradeReturnGaveUp, type GaveUpNotice } from './notify';

export interface GradeReturnActivityDeps {
  coachview: CoachviewClient;
  mailer: Mailer;
  operatorRecipients: string[];
  /** Each e-learning system's time zone (default Europe/Amsterdam): the approval date is the day there. */
  timeZones?: Partial<Record<CompletionSource, string>>;
  /** The shared snapshot of what Coachview knows (CV-6): where it is shared, how old it may be. */
  coachviewSnapshot?: { store?: SnapshotStore; maxAgeMs?: number; pageSize?: number; clock?: () => number };
  /** When the daily attempts run (GRADE_RETURN_ATTEMPT_WINDOW in COACHVIEW_TIME_ZONE); default the whole UTC day. */
  attemptWindow?: ZonedAttemptWindow;
  /** Opens the one Coachview incident workflow (client/coachview-incident.ts); none: incidents are not reported. */
  startCoachviewIncident?: (input: CoachviewIncidentInput) => Promise<string>;
}

const WHOLE_UTC_DAY: ZonedAttemptWindow = { startMinute: 0, endMinute: 24 * 60, timeZone: 'UTC' };

/**
 * The time of the activity: when its current attempt was scheduled (the server's clock, which the
 * time-skipping test server moves), outside an activity the process clock.
 */
export function activityClock(): number {
  try {
    return Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    return Date.now();
  }
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
  const snapshots = new CoachviewSnapshots({
    coachview: deps.coachview,
    clock: activityClock,
    ...deps.coachviewSnapshot,
  });
  const attemptFromSnapshot = (input: SnapshotAttemptInput): Promise<AttemptResult> => {
    const info = Context.current().info;
    return heartbeatWhile(
      () =>
        attemptGradeReturnFromSnapshot(
          deps.coachview,
          snapshots,
          input,
          deps.timeZones?.[input.source],
          info.attempt > 1 ? info.currentAttemptScheduledTimestampMs : undefined,
        ),
      () => ({ attempting: input.courseId }),
      ATTEMPT_HEARTBEAT_EVERY_MS,
    );
  };
  return {
    ...createIncidentActivities(deps),
    attemptGradeReturn: attempt,
    /**
     * The attempt from the shared snapshot (CV-6), within the `coachview-rest` budget: waiting learners
     * share one read of Coachview instead of two or three requests each. For runs past patch
     * `grade-return-shared-snapshot`.
     */
    attemptGradeReturnFromSnapshot: budgeted(attemptFromSnapshot),
    /**
     * The same attempt, with a spent `coachview-rest` budget as its answer instead of a failure
     * (PLAT-16, CV-6): the workflow waits for the budget and counts no attempt. A new name, since runs
     * on the path before patch `coachview-rate-budget` expect the plain result.
     */
    attemptGradeReturnWithinBudget: budgeted(attempt),
    /**
     * When a run's next daily attempt is (a local activity: the workflow records the answer): its slot
     * in the configured window, the first day at least 12 hours after `afterMs` (CV-6).
     */
    nextGradeReturnAttemptAt: async (input: { afterMs: number; workflowId: string }): Promise<number> =>
      nextAttemptInWindow(
        input.afterMs,
        input.workflowId,
        deps.attemptWindow ?? WHOLE_UTC_DAY,
        startOfLocalDay,
        localParts,
      ),
    notifyGradeReturnGaveUp: (notice: GaveUpNotice): Promise<void> =>
      notifyGradeReturnGaveUp(deps.mailer, deps.operatorRecipients, notice),
  };
}

export type GradeReturnActivities = ReturnType<typeof createGradeReturnActivities>;
export type { AttemptInput, AttemptResult, GaveUpNotice, SnapshotAttemptInput };
export { CoachviewSnapshots };
