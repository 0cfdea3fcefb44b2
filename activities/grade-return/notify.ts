import type { Mailer } from '../../adapters/mail';
import type { AttemptRecord, GradeReturnInput } from '../../domain/grade-return';

export interface GaveUpNotice {
  workflowId: string;
  input: GradeReturnInput;
  attempts: AttemptRecord[];
  /** Stopped at once because another day cannot help (an ambiguous learner id, CV-5). */
  refused?: boolean;
}

const NOT_RECOGNIZED_ADVICE = [
  'Check that the learner exists in Coachview with this person id or external id and is enrolled on a training',
  'whose e-learning component has this course id.',
];
const AMBIGUOUS_ADVICE = [
  "The learner id is one Coachview person's id and another person's external id (or several persons' external",
  'id), so the grade could land on the wrong person. Correct the ids in Coachview so that exactly one person matches.',
];

/** Tells operators that a grade return stopped after its last daily attempt (CV-4) or was refused (CV-5). */
export async function notifyGradeReturnGaveUp(
  mailer: Mailer,
  recipients: string[],
  notice: GaveUpNotice,
): Promise<void> {
  const { input, attempts, workflowId, refused } = notice;
  const last = attempts[attempts.length - 1];
  const lines = [
    refused
      ? `The grade return ${workflowId} was refused at attempt ${attempts.length}: nothing was registered, and another day cannot change that.`
      : `The grade return ${workflowId} stopped after ${attempts.length} daily attempts without Coachview registering the result.`,
    '',
    `Source:        ${input.source}`,
    `Learner id:    ${input.learnerId}`,
    `Course id:     ${input.courseId}`,
    `Grade:         ${input.grade}`,
    `Completed at:  ${input.completedAt}`,
    `Last answer:   ${last ? `${last.outcome} (${last.detail}) at ${last.at}` : 'none'}`,
    '',
    ...(refused ? AMBIGUOUS_ADVICE : NOT_RECOGNIZED_ADVICE),
    'Then start the grade return again (same JSON input) from the Temporal Web UI or with the client CLI.',
  ];
  await mailer.send({
    to: recipients,
    subject: `Grade return ${refused ? 'refused' : 'gave up'}: ${input.source} course ${input.courseId}, learner ${input.learnerId}`,
    text: lines.join('\n'),
  });
}
