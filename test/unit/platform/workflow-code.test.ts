import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { taskQueues } from '../../../platform/names';
import { workflowCodeFor, workflowModules } from '../../../workers/workflow-modules';

let root: string;
const write = (file: string, secondsAgo: number): void => {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, '// compiled');
  const at = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(full, at, at);
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'workflow-code-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the workflow code a worker loads', () => {
  it('is the prebuilt bundle when the build made one after the compiled workflow code', () => {
    write('workflows/grade-return.js', 60);
    write('domain/grade-return/attempts.js', 60);
    write('workflow-bundles/grade-return.js', 10);
    expect(workflowCodeFor(taskQueues.gradeReturn, root)).toEqual({
      bundle: { codePath: path.join(root, 'workflow-bundles/grade-return.js') },
    });
  });

  it('is bundled at start when compiled workflow or domain code is newer than the bundle', () => {
    write('workflow-bundles/grade-return.js', 60);
    write('domain/grade-return/attempts.js', 10);
    expect(workflowCodeFor(taskQueues.gradeReturn, root)).toEqual({
      path: workflowModules[taskQueues.gradeReturn],
    });
  });

  it('is bundled at start when there is no prebuilt bundle', () => {
    write('workflows/roster-sync.js', 60);
    expect(workflowCodeFor(taskQueues.rosterSync, root)).toEqual({
      path: workflowModules[taskQueues.rosterSync],
    });
  });
});
