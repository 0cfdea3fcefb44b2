import { taskQueues, type TaskQueue } from '../platform/names';

/**
 * The module each task queue's worker bundles: only that queue's workflows. The grade-return queue
 * holds thousands of waiting workflows, so its bundle must stay small and free of zod.
 */
export const workflowModules: Record<TaskQueue, string> = {
  [taskQueues.gradeReturn]: require.resolve('../workflows/grade-return-queue'),
  [taskQueues.rosterSync]: require.resolve('../workflows/roster-sync-queue'),
};
