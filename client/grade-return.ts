import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { completionDate, schoolYearOf, type Completion } from '../domain/grade-return';
import {
  gradeReturnWorkflowId,
  integrations,
  searchAttributes,
  taskQueues,
  workflowTypes,
} from '../platform/names';
import { gradeReturnWorkflow } from '../workflows/grade-return';
import { startMetadataFor } from './start-metadata';

export type StartOutcome = 'started' | 'duplicate';

export interface GradeReturnStarter {
  (completion: Completion): Promise<StartOutcome>;
}

/**
 * Starts the grade return for a completion under its deterministic id (CV-1): while one runs or has
 * succeeded for the same learner and course, a repeated completion is a no-op ('duplicate'). After a
 * run that gave up, a new completion may start a fresh one.
 */
export function gradeReturnStarter(
  client: Client,
  opts: { maxDailyAttempts: number; taskQueue?: string },
): GradeReturnStarter {
  return async (completion) => {
    const workflowId = gradeReturnWorkflowId(completion.source, completion.courseId, completion.learnerId);
    const input = { ...completion, maxDailyAttempts: opts.maxDailyAttempts };
    try {
      await client.workflow.start(gradeReturnWorkflow, {
        taskQueue: opts.taskQueue ?? taskQueues.gradeReturn,
        workflowId,
        args: [input],
        ...startMetadataFor(workflowTypes.gradeReturn, input),
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: searchAttributes.integration, value: integrations.gradeReturn },
          {
            key: searchAttributes.sourceId,
            value: `${completion.source}:${completion.courseId}:${completion.learnerId}`,
          },
          { key: searchAttributes.schoolYear, value: schoolYearOf(completionDate(completion)) },
        ],
      });
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
      throw err;
    }
  };
}
