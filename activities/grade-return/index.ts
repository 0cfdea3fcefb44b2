import type { CoachviewClient } from '../../adapters/coachview';
import type { Mailer } from '../../adapters/mail';
import type { GradeReturnInput } from '../../domain/grade-return';
import { attemptGradeReturn, type AttemptResult } from './attempt';
import { notifyGradeReturnGaveUp, type GaveUpNotice } from './notify';

export interface GradeReturnActivityDeps {
  coachview: CoachviewClient;
  mailer: Mailer;
  operatorRecipients: string[];
}

export function createGradeReturnActivities(deps: GradeReturnActivityDeps) {
  return {
    attemptGradeReturn: (input: GradeReturnInput): Promise<AttemptResult> =>
      attemptGradeReturn(deps.coachview, input),
    notifyGradeReturnGaveUp: (notice: GaveUpNotice): Promise<void> =>
      notifyGradeReturnGaveUp(deps.mailer, deps.operatorRecipients, notice),
  };
}

export type GradeReturnActivities = ReturnType<typeof createGradeReturnActivities>;
export type { AttemptResult, GaveUpNotice };
