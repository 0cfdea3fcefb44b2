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
): (input: CoachviewIncidentInput) => Promise<void> {
  return async (input) => {
    try {
      await client.workflow.start(coachviewIncidentWorkflow, {
        taskQueue,
        workflowId: COACHVIEW_INCIDENT_WORKFLOW_ID,
        args: [input],
        staticSummary: `Coachview incident since ${input.since}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
