import { existsSync } from 'node:fs';
import path from 'node:path';
import { taskQueues, type TaskQueue } from '../platform/names';
import { repoRoot } from '../platform/tools';

/**
 * The module each task queue's worker bundles: only that queue's workflows. The grade-return queue
 * holds thousands of waiting workflows, so its bundle must stay small and free of zod.
 */
export const workflowModules: Record<TaskQueue, string> = {
  [taskQueues.gradeReturn]: require.resolve('../workflows/grade-return-queue'),
  [taskQueues.rosterSync]: require.resolve('../workflows/roster-sync-queue'),
};

/** Where `npm run build` puts the bundles (workers/bundle-workflows.ts). */
export const prebuiltBundleDir = path.join(repoRoot, 'dist', 'workflow-bundles');

export function prebuiltBundlePath(queue: TaskQueue, dir = prebuiltBundleDir): string {
  return path.join(dir, `${queue}.js`);
}

/**
 * A queue's workflow code for its worker: the prebuilt bundle when the build made one (the worker
 * then never loads webpack, about 80 MB less), else its module, bundled at start.
 */
export function workflowCodeFor(queue: TaskQueue): { bundle: { codePath: string } } | { path: string } {
  const codePath = prebuiltBundlePath(queue);
  return existsSync(codePath) ? { bundle: { codePath } } : { path: workflowModules[queue] };
}
