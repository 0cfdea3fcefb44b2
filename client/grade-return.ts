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
import { gradeReturnWorkflow, newCompletionSignal } from '../workflows/grade-return';
import { startMetadataFor } from './start-metadata';

export type StartOutcome = 'started' | 'duplicate';

export interface GradeReturnStarter {
  (completion: Completion): Promise<StartOutcome>;
}

/**
 * Starts the grade return for a completion under its deterministic id (CV-1): while one runs or has
 * succeeded for the same learner and course, a repeated completion starts nothing ('duplicate'). After
 * a run that gave up, a new completion may start a fresh one.
 *
 * While one runs, the completion is handed to it (CV-7): signal-with-start with the same id reuse
 * policy, so the running grade return keeps it if it is newer than its pending one (the workflow
 * decides: domain/grade-return/replacement.ts). A run that registered the grade is not restarted.
 */
export function gradeReturnStarter(
  client: Client,
  opts: { maxDailyAttempts: number; taskQueue?: string },
): GradeReturnStarter {
  return async (completion) => {
    const workflowId = gradeReturnWorkflowId(completion.source, completion.courseId, completion.learnerId);
    const input = { ...completion, maxDailyAttempts: opts.maxDailyAttempts };
    const options = {
      taskQueue: opts.taskQueue ?? taskQueues.gradeReturn,
      workflowId,
      args: [input] as [unknown],
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
    };
    try {
      await client.workflow.start(gradeReturnWorkflow, options);
      return 'started';
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    // One runs or succeeded. Signal-with-start reaches the running one; if it ended meanwhile, the same
    // reuse policy refuses a restart after success and starts afresh after a failure (with this input).
    try {
      await client.workflow.signalWithStart<typeof gradeReturnWorkflow, [unknown]>(gradeReturnWorkflow, {
        ...options,
        signal: newCompletionSignal,
        signalArgs: [completion],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return 'duplicate';
  };
}
