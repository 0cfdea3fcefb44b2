import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { taskQueues, type TaskQueue } from '../platform/names';

/**
 * The module each task queue's worker bundles: only that queue's workflows. The grade-return queue
 * holds thousands of waiting workflows, so its bundle must stay small and free of zod.
 */
export const workflowModules: Record<TaskQueue, string> = {
  [taskQueues.gradeReturn]: require.resolve('../workflows/grade-return-queue'),
  [taskQueues.rosterSync]: require.resolve('../workflows/roster-sync-queue'),
  [taskQueues.wiseflow]: require.resolve('../workflows/wiseflow-queue'),
  [taskQueues.competences]: require.resolve('../workflows/competences-queue'),
};

/** The compiled tree this module runs from: `dist/` after the build. */
const defaultCompiledRoot = path.dirname(__dirname);

/** Where `npm run build` puts a queue's bundle (workers/bundle-workflows.ts): beside the code it was made from. */
export function prebuiltBundlePath(queue: TaskQueue, compiledRoot = defaultCompiledRoot): string {
  return path.join(compiledRoot, 'workflow-bundles', `${queue}.js`);
}

/** Compiled folders whose code can end up in a workflow bundle. */
const bundledSources = ['workflows', 'domain', 'platform'];

function newestMtimeMs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(full));
    else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export type WorkflowCode = { bundle: { codePath: string } } | { path: string };

/**
 * A queue's workflow code for its worker: the prebuilt bundle when the build made one and no compiled
 * workflow code is newer (the worker then never loads webpack, about 80 MB less); else its module,
 * bundled at start, so a `tsc` without `npm run build` never runs yesterday's workflow code.
 */
export function workflowCodeFor(queue: TaskQueue, compiledRoot = defaultCompiledRoot): WorkflowCode {
  const codePath = prebuiltBundlePath(queue, compiledRoot);
  if (!existsSync(codePath)) return { path: workflowModules[queue] };
  const built = statSync(codePath).mtimeMs;
  const stale = bundledSources.some((dir) => newestMtimeMs(path.join(compiledRoot, dir)) > built);
  return stale ? { path: workflowModules[queue] } : { bundle: { codePath } };
}
