/**
 * Each task queue's worker bundles only its own workflows, and the grade-return bundle, whose
 * workflows wait by the thousand in the worker's cache, must not carry zod (domain/input-check.ts).
 */
import { taskQueues } from '../../../platform/names';
import { workflowBundle } from '../../support/temporal';

/** The repository's workflow modules a bundle holds, from webpack's module ids. */
function workflowFilesIn(code: string): Set<string> {
  return new Set([...code.matchAll(/"\.\/workflows\/([\w-]+)\.[jt]s"/g)].map((m) => m[1] ?? ''));
}

/** The npm packages a bundle evaluates, from webpack's module ids. */
function packagesIn(code: string): Set<string> {
  const ids = code.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g);
  return new Set([...ids].map((m) => m[1] ?? ''));
}

describe('workflow bundles per task queue', () => {
  it('[PLAT-1] the grade-return bundle has its workflows and no zod', async () => {
    const { code } = await workflowBundle(taskQueues.gradeReturn);
    expect([...workflowFilesIn(code)].sort()).toEqual([
      'coachview-incident',
      'grade-return',
      'grade-return-queue',
      'moodle-poll',
    ]);
    const packages = packagesIn(code);
    expect(packages).toContain('@temporalio/workflow');
    expect(packages).not.toContain('zod');
  }, 60_000);

  it('[PLAT-1][WF-3] the wiseflow bundle has only the flow sync, and no zod', async () => {
    const { code } = await workflowBundle(taskQueues.wiseflow);
    expect([...workflowFilesIn(code)].sort()).toEqual(['wiseflow-flow-sync', 'wiseflow-queue']);
    expect(packagesIn(code)).not.toContain('zod');
  }, 60_000);

  it('[PLAT-1] the roster-sync bundle has only the roster sync and its year-end lifecycle', async () => {
    const { code } = await workflowBundle(taskQueues.rosterSync);
    expect([...workflowFilesIn(code)].sort()).toEqual([
      'delay-delete-window',
      'roster-sync',
      'roster-sync-queue',
      'store-retention',
      'year-end-freeze',
    ]);
  }, 60_000);
});
