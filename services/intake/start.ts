import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { Completion } from '../../domain/grade-return/completion';
import { gradeReturnWorkflowId } from '../../platform/names';
import type { IntakeAnswer, StartGradeReturn } from './types';

/** Seconds a sender should wait before retrying after we could not start a workflow. */
export const RETRY_AFTER_SECONDS = 30;

/** Starts the grade return and answers 202, or 503 so that the sender delivers again later. */
export async function startAndAnswer(
  reply: FastifyReply,
  log: FastifyBaseLogger,
  startGradeReturn: StartGradeReturn,
  completion: Completion,
): Promise<FastifyReply> {
  const workflowId = gradeReturnWorkflowId(completion.source, completion.courseId, completion.learnerId);
  try {
    const outcome = await startGradeReturn(completion);
    log.info({ workflowId, outcome }, 'grade return requested');
    return reply.code(202).send({ workflowId, outcome } satisfies IntakeAnswer);
  } catch (err) {
    log.error(
      { workflowId, err: err instanceof Error ? err.message : String(err) },
      'could not start grade return',
    );
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send({ error: 'could not start the grade return; deliver again later' });
  }
}
