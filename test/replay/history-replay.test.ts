/**
 * Committed histories replay against the current workflow code (PLAT-7): a change that alters the
 * commands a past execution produced fails here, in CI, before it reaches a running workflow.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import {
  decodeOptionalFailureToOptionalError,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode } from '@temporalio/worker';
import { replayHistoryFiles } from '../../client/history';
import { dataConverter } from '../../platform/codec';
import { taskQueues } from '../../platform/names';
import {
  fromJsonPayload,
  startCodecServer,
  toJsonPayload,
  type PayloadsBody,
} from '../../services/codec-server';
import { testCodec } from '../support/codec';
import { workflowBundle } from '../support/temporal';

const historyFiles = (lifecycle: string): string[] => {
  const dir = path.join(__dirname, '../histories', lifecycle);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f));
};
const files = historyFiles('grade-return');
const rosterFiles = historyFiles('roster-sync');
const yearEndFiles = historyFiles('year-end');
const competenceFiles = historyFiles('competences');
const wiseflowFiles = historyFiles('wiseflow');

it('[PLAT-7] there are committed grade-return histories to replay', () => {
  expect(files.map((f) => path.basename(f)).sort()).toEqual([
    'already-registered.json',
    'gave-up-after-30-days.json',
    'incident-then-snapshot.json',
    'incident-then-snapshot.platform-incident-coachview.json',
    'known-after-retry-now.json',
    'newer-completion-replaces.json',
    'not-counted-then-within-budget.json',
    'registered-first-day.json',
    'retry-now-during-attempt.json',
  ]);
  // Recorded after issue 9's patches: the attempt's derived timeout and a retryNow kept from an attempt.
  const patched = readFileSync(
    files.find((f) => f.includes('retry-now-during-attempt'))!,
    'utf8',
  );
  for (const id of ['grade-return-attempt-timeout-from-calls', 'grade-return-keep-retry-now'])
    expect(patched).toContain(Buffer.from(JSON.stringify({ id, deprecated: false })).toString('base64'));
  // Recorded after a newer completion began to replace a waiting run's pending grade (CV-7).
  const replaced = readFileSync(
    files.find((f) => f.includes('newer-completion-replaces'))!,
    'utf8',
  );
  expect(replaced).toContain(
    Buffer.from(JSON.stringify({ id: 'grade-return-newer-completion-replaces', deprecated: false })).toString(
      'base64',
    ),
  );
});

it('[PLAT-7][CV-6] a committed grade-return history took the paths of tries not counted, the rate budget and the spread', () => {
  const recorded = readFileSync(
    files.find((f) => f.includes('not-counted-then-within-budget'))!,
    'utf8',
  );
  for (const id of [
    'grade-return-days-not-attempts',
    'coachview-rate-budget',
    'grade-return-spread-attempts',
  ])
    expect(recorded).toContain(Buffer.from(JSON.stringify({ id, deprecated: false })).toString('base64'));
});

it('[PLAT-7][CV-6] a committed grade-return history took the shared snapshot, the attempt window and the incident report; the incident workflow has one too', () => {
  const recorded = readFileSync(
    files.find((f) => f.endsWith('incident-then-snapshot.json'))!,
    'utf8',
  );
  for (const id of [
    'grade-return-shared-snapshot',
    'grade-return-attempt-window',
    'grade-return-report-incident-once',
  ])
    expect(recorded).toContain(Buffer.from(JSON.stringify({ id, deprecated: false })).toString('base64'));
  expect(files.some((f) => f.endsWith('incident-then-snapshot.platform-incident-coachview.json'))).toBe(true);
});

it.each([
  ['grade-return', files, taskQueues.gradeReturn],
  ['roster-sync', rosterFiles, taskQueues.rosterSync],
  ['year-end', yearEndFiles, taskQueues.rosterSync],
  ['competences', competenceFiles, taskQueues.competences],
  ['wiseflow', wiseflowFiles, taskQueues.wiseflow],
] as const)(
  '[PLAT-7] every committed %s history replays against the code its task queue runs',
  async (_lifecycle, histories, queue) => {
    expect(histories.length).toBeGreaterThan(0);
    const outcomes = await replayHistoryFiles(histories, {
      codec: testCodec(),
      workflowBundle: await workflowBundle(queue),
    });
    expect(outcomes).toHaveLength(histories.length);
    for (const outcome of outcomes)
      expect({ file: path.basename(outcome.file), error: outcome.error?.message }).toEqual({
        file: path.basename(outcome.file),
        error: undefined,
      });
  },
);

it('[PLAT-7][IMSE-11] the committed roster-sync histories cover a plain run, one approved past the safety filter and one planned again after its approval', () => {
  expect(rosterFiles.map((f) => path.basename(f)).sort()).toEqual([
    'applied.json',
    'approved-with-caller-identity.json',
    'filter-off-with-caller-identity.json',
    'replanned-after-approval-with-run-lock.json',
    'stopped-by-filter-then-approved.json',
  ]);
  // IMSE-11: a run that held the run lock, planned again after an approval, stopped and was approved again.
  const replanned = readFileSync(
    rosterFiles.find((f) => f.includes('replanned-after-approval'))!,
    'utf8',
  );
  for (const id of ['roster-sync-run-lock', 'roster-sync-replan-after-approval'])
    expect(replanned).toContain(Buffer.from(JSON.stringify({ id, deprecated: false })).toString('base64'));
  expect(replanned).toContain('startChildWorkflowExecutionInitiatedEventAttributes');
  expect(replanned).toContain('"checkRosterPlanAgainstApproval"');
  // Decisions recorded before and after they kept the caller's identity (PLAT-15) both replay.
  for (const name of ['approved-with-caller-identity', 'filter-off-with-caller-identity']) {
    const history = readFileSync(
      rosterFiles.find((f) => f.includes(name))!,
      'utf8',
    );
    const patch = { id: 'roster-sync-caller-identity', deprecated: false };
    expect(history).toContain(Buffer.from(JSON.stringify(patch)).toString('base64'));
    expect(history).toContain('"callerIdentity"');
  }
  const approved = readFileSync(
    rosterFiles.find((f) => f.includes('stopped-by-filter-then-approved'))!,
    'utf8',
  );
  expect(approved).toContain('workflowExecutionUpdateAcceptedEventAttributes');
});

it('[PLAT-7][WF-3] the committed wiseflow histories cover a whole internship, a run that continued as new and a refused licence', () => {
  expect(wiseflowFiles.map((f) => path.basename(f)).sort()).toEqual([
    'continued-as-new.json',
    'internship-concluded.json',
    'licence-refused.json',
  ]);
  const read = (name: string) =>
    readFileSync(
      wiseflowFiles.find((f) => f.includes(name))!,
      'utf8',
    );
  expect(read('continued-as-new')).toContain('workflowExecutionContinuedAsNewEventAttributes');
  const internship = read('internship-concluded');
  expect(internship).toContain('"answerSyncRequest"');
  expect(internship).toContain('"notifyKeptAfterMarking"');
  expect(internship).toContain('workflowExecutionCompletedEventAttributes');
  expect(read('licence-refused')).toContain('workflowExecutionFailedEventAttributes');
});

it('[PLAT-7] a non-deterministic change to the workflow fails the replay', async () => {
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../fixtures/nondeterministic-workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  // The fixture edits the grade-return workflow; the Coachview incident's history is another type.
  const gradeReturns = files.filter((f) => !f.includes('platform-incident'));
  const outcomes = await replayHistoryFiles(gradeReturns, { codec: testCodec(), workflowBundle: bundle });
  expect(outcomes).toHaveLength(gradeReturns.length);
  for (const outcome of outcomes) expect(outcome.error).toBeInstanceOf(DeterminismViolationError);
});

it('[PLAT-9] committed histories hold inputs and results only encrypted (and, recorded before docs/failure-messages.md, failure messages too)', () => {
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  expect(text).toContain(Buffer.from('binary/encrypted').toString('base64'));
  expect(text).toContain('Encoded failure');
  // The learner ids of the recorded scenarios appear nowhere in clear text: not in inputs, not in errors.
  for (const id of ['rec-1', 'rec-2', 'rec-3', 'rec-4']) expect(text).not.toContain(id);
  expect(text).not.toContain('did not register');
});

it('[PLAT-13] a failure recorded while failure messages were encoded still decodes: the SDK and the codec server read its message', async () => {
  const file = files.find((f) => f.endsWith('gave-up-after-30-days.json'))!;
  const history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
  const failure = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)
    ?.workflowExecutionFailedEventAttributes?.failure;
  expect(failure?.message).toBe('Encoded failure');

  // What the client CLI's `status` does: the SDK decodes encoded attributes whatever the converter's setting.
  const error = await decodeOptionalFailureToOptionalError(
    loadDataConverter(dataConverter(testCodec())),
    failure,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error?.message).toMatch(/^Coachview did not register the result after 30 daily attempts/);

  // What the Web UI and the temporal CLI would ask the codec server for.
  const server = await startCodecServer({ port: 0, codec: testCodec(), corsOrigins: [] });
  try {
    const res = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [toJsonPayload(failure!.encodedAttributes!)] }),
    });
    const [decoded] = ((await res.json()) as PayloadsBody).payloads;
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(decoded!))).toMatchObject({
      message: expect.stringMatching(/^Coachview did not register the result after 30 daily attempts/),
    });
  } finally {
    await server.close();
  }
});

it('[PLAT-7][CW-4][CW-7][CW-8] the committed competence histories cover a backfill, a sync, the daily report, a refusal, a stale course and an unlink', () => {
  expect(competenceFiles.map((f) => path.basename(f)).sort()).toEqual([
    'backfill-sync-report-unlink.json',
    'continued-as-new-resumed.json',
    'continued-as-new-sample-from-store.json',
    'continued-as-new.json',
    'refused.json',
    'schedule-report-unmatched.json',
    'stale-course.json',
  ]);
  const linked = readFileSync(
    competenceFiles.find((f) => f.includes('backfill-sync-report-unlink'))!,
    'utf8',
  );
  for (const activity of [
    '"processCoursePages"',
    '"loadPersonDirectory"',
    '"retryUnmatched"',
    '"sendUnmatchedReport"',
  ])
    expect(linked).toContain(activity);
  expect(linked).toContain('workflowExecutionUpdateAcceptedEventAttributes');
});

it('[PLAT-7][CW-9] the committed competence histories cover a link that continued as new and the run it continued in', () => {
  const read = (name: string) =>
    readFileSync(
      competenceFiles.find((f) => f.endsWith(name))!,
      'utf8',
    );
  const first = read('continued-as-new.json');
  expect(first).toContain('"loadPersonDirectory"');
  expect(first).toContain('"retryUnmatched"');
  expect(first).toContain('workflowExecutionContinuedAsNewEventAttributes');
  // The resumed run starts from the carried state: no check, no directory, straight to syncs and the unlink.
  const resumed = read('continued-as-new-resumed.json');
  expect(resumed).toContain('CONTINUE_AS_NEW_INITIATOR_WORKFLOW');
  expect(resumed).not.toContain('"checkCompetenceLink"');
  expect(resumed).not.toContain('"loadPersonDirectory"');
  for (const activity of ['"processCoursePages"', '"retryUnmatched"', '"sendUnmatchedReport"'])
    expect(resumed).toContain(activity);
  expect(resumed).toContain('workflowExecutionUpdateAcceptedEventAttributes');
  expect(resumed).toContain('workflowExecutionCompletedEventAttributes');
  // Before the patch the resumed run carried the unmatched sample in its input; after it, it reads it back.
  const marker = Buffer.from(
    JSON.stringify({ id: 'competence-link-unmatched-sample-from-store', deprecated: false }),
  ).toString('base64');
  expect(resumed).not.toContain('"readUnmatchedSummary"');
  const fromStore = read('continued-as-new-sample-from-store.json');
  expect(fromStore).toContain(marker);
  expect(fromStore).toContain('"readUnmatchedSummary"');
  expect(fromStore).toContain('CONTINUE_AS_NEW_INITIATOR_WORKFLOW');
});

it('[PLAT-7][IMSE-5][IMSE-6] the committed year-end histories cover the freeze, the window and the patched roster-run paths', () => {
  expect(yearEndFiles.map((f) => path.basename(f)).sort()).toEqual([
    'delay-delete-closed.json',
    'delay-delete-summer-report.json',
    'freeze-resumed.json',
    'partial-approval.json',
    'refused-by-freeze.json',
  ]);
  const marker = (id: string) => Buffer.from(JSON.stringify({ id, deprecated: false })).toString('base64');
  const read = (name: string) =>
    readFileSync(
      yearEndFiles.find((f) => f.endsWith(name))!,
      'utf8',
    );
  expect(read('refused-by-freeze.json')).toContain(marker('roster-sync-year-end-freeze'));
  expect(read('partial-approval.json')).toContain(marker('roster-sync-partial-approval'));
  // Recorded before the summer report: the window ended at its 'closed' e-mail; this one waits and reports.
  expect(read('delay-delete-closed.json')).not.toContain(marker('delay-delete-summer-report'));
  expect(read('delay-delete-summer-report.json')).toContain(marker('delay-delete-summer-report'));
});
