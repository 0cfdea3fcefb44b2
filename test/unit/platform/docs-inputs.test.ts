/**
 * docs/workflows.md is what an operator pastes into the Web UI's Start Workflow form: every JSON
 * input there must pass the input check of the workflow it documents.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkGradeReturnInput, checkMoodlePollInput } from '../../../domain/grade-return';
import { rosterSyncInputSchema } from '../../../domain/roster-sync';
import { checkFlowSyncInput } from '../../../domain/wiseflow';
import { gradeReturnWorkflowId } from '../../../platform/names';
import { repoRoot } from '../../../platform/tools';

const doc = readFileSync(path.join(repoRoot, 'docs/workflows.md'), 'utf8');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The first ```json block under a `## <type>` heading. */
function inputFor(workflowType: string): unknown {
  const section = doc.split(/^## /m).find((s) => s.startsWith(workflowType));
  const block = section?.match(/```json\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error(`docs/workflows.md has no JSON input for ${workflowType}`);
  return JSON.parse(block);
}

describe('the inputs docs/workflows.md gives operators', () => {
  it("[PLAT-5] the grade-return input passes the workflow's input check", () => {
    expect(checkGradeReturnInput(inputFor('gradeReturnWorkflow'))).toMatchObject({ ok: true });
  });

  it("[PLAT-5] the Moodle poll input passes the workflow's input check", () => {
    expect(checkMoodlePollInput(inputFor('pollMoodleCompletionsWorkflow'))).toMatchObject({ ok: true });
  });

  it("[PLAT-5] the roster-sync input passes the workflow's schema", () => {
    expect(rosterSyncInputSchema.safeParse(inputFor('rosterSyncWorkflow')).success).toBe(true);
  });

  it("[WF-3] the flow-sync input passes the workflow's input check", () => {
    expect(checkFlowSyncInput(inputFor('wiseflowFlowSyncWorkflow'))).toMatchObject({ ok: true });
  });

  it("[PLAT-13] the workflow id README's Start Workflow step names is the one the pasted input gets", () => {
    const checked = checkGradeReturnInput(inputFor('gradeReturnWorkflow'));
    if (!checked.ok) throw new Error(checked.problems.join('; '));
    const { source, courseId, learnerId } = checked.value;
    const step = readme.split(/^\d\. /m).find((s) => s.startsWith('Start one from the Web UI'));
    const id = gradeReturnWorkflowId(source, courseId, learnerId);
    expect(step).toContain(`workflow id \`${id}\``);
    expect(doc).toContain(`\`${id}\``);
  });
});
