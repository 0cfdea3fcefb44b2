/**
 * The operator's work in the Temporal Web UI, in a real browser (Debian's Chromium driven by
 * playwright-core) against the running embedded stack: starting a workflow from the Start Workflow
 * form, reading decoded payloads, and answering a stopped roster sync from the update dialog.
 * Screenshots of every step are kept under test-artifacts/browser/web-ui/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { schoolYearOf } from '../../domain/grade-return/attempts';
import { stockholmDate } from '../../domain/procapita/dates';
import { ENCRYPTED_ENCODING } from '../../platform/codec';
import { gradeReturnWorkflowId, taskQueues, type CompletionSource } from '../../platform/names';
import { repoRoot } from '../../platform/tools';
import { rosterSyncStatusQuery, type rosterSyncWorkflow } from '../../workflows/roster-sync';
import { openBrowser, textOnceMatching, type BrowserSession } from '../support/browser';
import { startEmbeddedStack, type RunningStack } from '../support/embedded-stack';

jest.setTimeout(300_000);

let stack: RunningStack;
let browser: BrowserSession;

beforeAll(async () => {
  stack = await startEmbeddedStack();
  // Only what the tests start should run: a schedule firing mid-test would race them for workflow ids.
  // The worker creates the schedules just after the stack reports ready.
  for (const id of ['moodle-completion-poll', 'roster-sync-daily:procapita-itslearning']) {
    await until(`schedule ${id} paused`, () =>
      stack.client.schedule
        .getHandle(id)
        .pause('browser test')
        .then(() => true),
    );
  }
  for (const queue of Object.values(taskQueues)) {
    await until(`a worker polling ${queue}`, async () => {
      const { pollers } = await stack.client.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: queue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return (pollers?.length ?? 0) > 0;
    });
  }
  browser = await openBrowser('web-ui');
  console.log(`[browser] screenshots in ${browser.artifactsDir}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (browser && stack) writeFileSync(path.join(browser.artifactsDir, 'stack.log'), stack.output());
  await stack?.stop();
  if (browser) console.log(`[browser] screenshots and the stack's log in ${browser.artifactsDir}`);
});

/** Polls `probe` until it answers true (a rejection counts as not yet). */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Fails with `what` instead of running into jest's timeout. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const workflowUrl = (workflowId: string, host: 'localhost' | '127.0.0.1' = 'localhost'): string =>
  `${stack.uiUrl(host)}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;

/** The first JSON block under a workflow's heading in docs/workflows.md, as an operator copies it. */
function docsJsonInput(workflowType: string): string {
  const docs = readFileSync(path.join(repoRoot, 'docs/workflows.md'), 'utf8');
  const section = docs.split(/^## /m).find((s) => s.startsWith(workflowType));
  const block = section?.match(/```json\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error(`docs/workflows.md has no JSON input under "## ${workflowType}"`);
  return block.trim();
}

/** Web UI → Start Workflow, filled in the way the README tells an operator to. */
async function startFromWebUi(
  name: string,
  form: { workflowId: string; taskQueue: string; workflowType: string; input: string },
): Promise<void> {
  const { page } = browser;
  await page.goto(`${stack.uiUrl()}/namespaces/default/workflows`);
  await page.getByRole('link', { name: 'Start Workflow' }).click();
  await page.getByLabel('Workflow ID').fill(form.workflowId);
  await page.getByLabel('Task Queue').fill(form.taskQueue);
  await page.getByLabel('Workflow Type').fill(form.workflowType);
  await page.getByText('Task Queue is Active').waitFor();
  // Replaces the input the form pre-fills from the type's last run.
  await page.getByRole('textbox', { name: 'Data' }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(form.input);
  await browser.screenshot(`${name}-start-form`);
  await page.getByTestId('start-workflow-button').click();
  await page.getByRole('link', { name: 'Workflow started successfully' }).waitFor();
  await browser.screenshot(`${name}-started`);
}

/** The decoded input the workflow page shows, parsed (fails when the UI shows encrypted blobs). */
async function inputShownOnWorkflowPage(
  workflowId: string,
  expectedText: string,
  host: 'localhost' | '127.0.0.1' = 'localhost',
): Promise<unknown> {
  const { page } = browser;
  await page.goto(workflowUrl(workflowId, host));
  const text = await textOnceMatching(page.getByRole('textbox', { name: 'Input' }), new RegExp(expectedText));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The current details on the workflow page's User Metadata tab, once they show `expected` (decoded
 * through the codec server; the UI renders them as markdown in a frame of their own).
 */
async function userMetadataShowing(expected: RegExp): Promise<string> {
  const { page } = browser;
  await page.getByText('User Metadata', { exact: true }).click();
  const shown = page.frameLocator('#user-metadata-current-details').getByText(expected).first();
  await shown.waitFor();
  return shown.innerText();
}

/** More Actions → Send an Update → `name` with `data`; the dialog is left open for the caller. */
async function sendUpdateFromDialog(update: string, data: string) {
  const { page } = browser;
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send an Update' }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: 'Send an Update' });
  await dialog.getByTestId('update-select-button').click();
  await dialog.getByRole('option', { name: update, exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Data' }).click();
  await page.keyboard.insertText(data);
  await dialog.getByTestId('confirm-modal-button').click();
  return dialog;
}

const gradeReturnInput = (): string => docsJsonInput('gradeReturnWorkflow');
type GradeReturnInput = { source: CompletionSource; courseId: string; learnerId: string };
const workflowIdOf = (input: GradeReturnInput): string =>
  gradeReturnWorkflowId(input.source, input.courseId, input.learnerId);

it('[PLAT-5][PLAT-9] a grade return started from the Web UI form with the JSON from docs/workflows.md shows its input decoded', async () => {
  const inputText = gradeReturnInput();
  const input = JSON.parse(inputText) as GradeReturnInput;
  const workflowId = workflowIdOf(input);

  await browser.step('grade-return-start', () =>
    startFromWebUi('grade-return', {
      workflowId,
      taskQueue: 'grade-return',
      workflowType: 'gradeReturnWorkflow',
      input: inputText,
    }),
  );
  const handle = stack.client.workflow.getHandle(workflowId);
  expect(await within(60_000, 'the grade return', handle.result())).toMatchObject({
    outcome: 'registered',
  });

  const shown = await browser.step('grade-return-page', () =>
    inputShownOnWorkflowPage(workflowId, `"learnerId": "${input.learnerId}"`),
  );
  await browser.screenshot('grade-return-input-decoded');
  expect(shown).toEqual(input);

  // PLAT-13: the User Metadata tab says where the run stands (the workflow's current details).
  const current = await browser.step('grade-return-user-metadata', () =>
    userMetadataShowing(/Registered in Coachview at attempt 1 of \d+/),
  );
  await browser.screenshot('grade-return-user-metadata');
  expect(current).toMatch(/Registered in Coachview at attempt 1 of \d+/);

  // What the server holds is encrypted: the page shows it only through the codec server.
  const { history } = await stack.connection.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId },
  });
  const started = history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const encoding = started?.input?.payloads?.[0]?.metadata?.encoding;
  expect(Buffer.from(encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
});

/** The school year after today's, once this year's classes have ended (README "Try the roster sync" step 2). */
function nextSchoolYearDate(): string {
  const nextYearStart = Number(schoolYearOf(stockholmDate(new Date())).split('/')[1]);
  return `${nextYearStart}-08-25`;
}

let stoppedRun: Promise<WorkflowHandle<typeof rosterSyncWorkflow>> | undefined;

/**
 * A roster sync stopped by the safety filter, started once for the tests that answer it: today's sync
 * fills itslearning, then a run for the next school year would delete this year's classes.
 */
function rosterRunAwaitingApproval(): Promise<WorkflowHandle<typeof rosterSyncWorkflow>> {
  stoppedRun ??= (async () => {
    const today = await within(
      120_000,
      "today's roster sync",
      stack.client.workflow.execute('rosterSyncWorkflow', {
        taskQueue: 'roster-sync',
        workflowId: 'roster-sync:today',
        args: [{}],
      }),
    );
    expect(today).toMatchObject({ phase: 'applied' });

    const workflowId = 'roster-sync:next-year';
    await browser.step('roster-start', () =>
      startFromWebUi('roster-next-year', {
        workflowId,
        taskQueue: 'roster-sync',
        workflowType: 'rosterSyncWorkflow',
        input: JSON.stringify({ syncDate: nextSchoolYearDate() }, null, 2),
      }),
    );
    const handle = stack.client.workflow.getHandle<typeof rosterSyncWorkflow>(workflowId);
    await until('the next-year run to stop for approval', async () => {
      return (await handle.query(rosterSyncStatusQuery)).phase === 'awaiting-approval';
    });
    await browser.page.goto(workflowUrl(workflowId));
    await browser.page.getByRole('button', { name: 'More Actions' }).waitFor();
    await browser.screenshot('roster-awaiting-approval');
    return handle;
  })();
  return stoppedRun;
}

it('[PLAT-13][IMSE-3] an invalid approve from the update dialog shows the reason in the dialog', async () => {
  const handle = await rosterRunAwaitingApproval();
  const { page } = browser;
  await page.goto(workflowUrl(handle.workflowId));
  const dialog = await browser.step('invalid-approve', () => sendUpdateFromDialog('approve', '{}'));
  const reason = await textOnceMatching(dialog.getByRole('alert').filter({ hasText: /\S/ }).first(), /\S/);
  await browser.screenshot('invalid-approve-reason');
  await dialog.getByTestId('cancel-modal-button').click();

  expect(reason).toMatch(/invalid decision/i);
  expect(reason).toContain('operator');
  expect(reason).not.toContain('Encoded failure');
  expect((await handle.query(rosterSyncStatusQuery)).phase).toBe('awaiting-approval');
});

it('[IMSE-3] approve sent from the update dialog applies the stopped roster run', async () => {
  const handle = await rosterRunAwaitingApproval();
  const { page } = browser;
  await page.goto(workflowUrl(handle.workflowId));
  await browser.step('approve', async () => {
    await sendUpdateFromDialog(
      'approve',
      JSON.stringify({ operator: 'you@school.se', comment: 'new school year' }, null, 2),
    );
    await page.getByText('Update successful').first().waitFor();
  });
  await browser.screenshot('approve-sent');

  const result = await within(120_000, 'the approved run', handle.result());
  expect(result.phase).toBe('applied');
  // PLAT-15: beside the typed-in name, the identity the Web UI attached to the update. A Web UI with
  // sign-in (production compose) sends the user's e-mail; the local one has no sign-in and sends none,
  // which the record says rather than leaving it out.
  expect((await handle.query(rosterSyncStatusQuery)).approval).toMatchObject({
    decision: 'approved',
    operator: 'you@school.se',
    identity: null,
  });

  await page.goto(workflowUrl(handle.workflowId));
  const status = await textOnceMatching(page.getByTestId('execution-status').first(), /completed/i);
  const shownResult = await textOnceMatching(
    page.getByRole('textbox', { name: 'Result' }),
    /"phase": "applied"/,
  );
  await browser.screenshot('approve-applied');
  expect(status).toMatch(/completed/i);
  expect(shownResult).toContain('"phase": "applied"');

  const decided = await browser.step('approve-user-metadata', () =>
    userMetadataShowing(/Approved by you@school\.se/),
  );
  await browser.screenshot('approve-user-metadata');
  expect(decided).toContain('Temporal identity: none sent');
});

it('[PLAT-9] the Web UI shows decoded payloads when opened at localhost and at 127.0.0.1', async () => {
  // A learner Coachview does not know: the run stays open, waiting for its next daily attempt.
  const input = { ...(JSON.parse(gradeReturnInput()) as GradeReturnInput), learnerId: 'P-2999' };
  const workflowId = workflowIdOf(input);
  await stack.client.workflow.start('gradeReturnWorkflow', {
    taskQueue: 'grade-return',
    workflowId,
    args: [input],
  });

  const shown: Record<string, unknown> = {};
  for (const host of ['localhost', '127.0.0.1'] as const) {
    shown[host] = await inputShownOnWorkflowPage(workflowId, '"learnerId": "P-2999"', host);
    await browser.screenshot(`decoded-at-${host}`);
  }
  expect(shown).toEqual({ localhost: input, '127.0.0.1': input });
});
