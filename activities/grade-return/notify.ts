import type { Mailer } from '../../adapters/mail';
import type { AttemptRecord, GradeReturnInput } from '../../domain/grade-return';

export interface GaveUpNotice {
  workflowId: string;
  input: GradeReturnInput;
  attempts: AttemptRecord[];
}

/** Tells operators that a grade return stopped after its last daily attempt (CV-4). */
export async function notifyGradeReturnGaveUp(
  mailer: Mailer,
  recipients: string[],
  notice: GaveUpNotice,
): Promise<void> {
  const { input, attempts, workflowId } = notice;
  const last = attempts[attempts.length - 1];
  const lines = [
    `The grade return ${workflowId} stopped after ${attempts.length} daily attempts without Coachview registering the result.`,
    '',
    `Source:        ${input.source}`,
    `Learner id:    ${input.learnerId}`,
    `Course id:     ${input.courseId}`,
    `Grade:         ${input.grade}`,
    `Completed at:  ${input.completedAt}`,
    `Last answer:   ${last ? `${last.outcome} (${last.detail}) at ${last.at}` : 'none'}`,
    '',
    'Check that the learner exists in Coachview with this person id or external id and is enrolled on a training',
    'whose e-learning component has this course id. Then start the grade return again (same JSON input) from the',
    'Temporal Web UI or with the client CLI.',
  ];
  await mailer.send({
    to: recipients,
    subject: `Grade return gave up: ${input.source} course ${input.courseId}, learner ${input.learnerId}`,
    text: lines.join('\n'),
  });
}
