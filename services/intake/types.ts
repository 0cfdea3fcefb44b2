import type { Completion } from '../../domain/grade-return/completion';

/** Starts the grade-return workflow for a completion; 'duplicate' when one already exists for the learner and course (CV-1). */
export type StartGradeReturn = (completion: Completion) => Promise<'started' | 'duplicate'>;

export interface IntakeAnswer {
  outcome: 'started' | 'duplicate' | 'ignored';
  workflowId?: string;
  /** Set when the delivery itself was a replay of one already received. */
  deliveryId?: string;
}
