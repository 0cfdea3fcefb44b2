/**
 * Builds each task queue's workflow bundle ahead of time (part of `npm run build`), so the worker
 * process never loads webpack: bundling at start costs it about 80 MB of memory for good.
 *
 *   node dist/workers/bundle-workflows.js
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { taskQueues } from '../platform/names';
import { repoRoot } from '../platform/tools';
import { prebuiltBundlePath, workflowModules } from './workflow-modules';

export async function bundleWorkflows(): Promise<string[]> {
  const written: string[] = [];
  for (const queue of Object.values(taskQueues)) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: workflowModules[queue],
      logger: quietLogger,
    });
    const file = prebuiltBundlePath(queue);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, code);
    written.push(file);
  }
  return written;
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

if (require.main === module) {
  bundleWorkflows()
    .then((files) =>
      console.log(`workflow bundles: ${files.map((f) => path.relative(repoRoot, f)).join(', ')}`),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
