import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { COACHVIEW_INCIDENT_WORKFLOW_ID, type CoachviewIncidentInput } from '../domain/grade-return/incident';
import { taskQueues } from '../platform/names';
import { coachviewIncidentWorkflow } from '../workflows/coachview-incident';

/**
 * Opens the Coachview incident (CV-6) unless one is open: the first report starts the one incident
 * workflow, every later one finds it running and adds nothing to its history.
 */
export function coachviewIncidentStarter(
  client: Client,
  taskQueue: string = taskQueues.gradeReturn,
  /** One id per deployment; tests that share a server give each worker its own. */
  workflowId: string = COACHVIEW_INCIDENT_WORKFLOW_ID,
): (input: CoachviewIncidentInput) => Promise<string> {
  return async (input) => {
    try {
      await client.workflow.start(coachviewIncidentWorkflow, {
        taskQueue,
        workflowId,
        args: [input],
        staticSummary: `Coachview incident since ${input.since}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return workflowId;
  };
}
