/**
 * The operator's view (PLAT-13) on the real Temporal dev server: every failing path (bad input, a
 * refused update, a failed activity, a given-up grade return) says why in clear text, in the raw
 * history read WITHOUT the codec, while no personal value from the input is in clear bytes; the
 * `temporal` CLI with the codec endpoint and the client CLI show the reasons; every run carries a
 * summary and keeps its current details. The client CLI runs from dist/ (built by scripts/setup.sh).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { gradeReturnStarter } from '../../../client/grade-return';
import { startMetadataFor } from '../../../client/start-metadata';
import { gradeReturnWorkflowId, workflowTypes } from '../../../platform/names';
import { repoRoot, temporalCliPath } from '../../../platform/tools';
import { startCodecServer, type CodecServer } from '../../../services/codec-server';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';
import { gradeReturnStatusQuery, retryNowSignal } from '../../../workflows/grade-return';
import { rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { testCodec, testCodecKeys } from '../../support/codec';
import { gradeReturnWorker } from '../../support/grade-return-harness';
import {
  ROSTER_SYNC_DATE,
  rosterSyncWorker,
  seedDeparted,
  waitForPhase,
} from '../../support/roster-sync-harness';
import { createDevServerEnv, uniqueTaskQueue } from '../../support/temporal';

const run = promisify(execFile);

/** Personal values put into inputs: none may appear in clear bytes of a history or in a reason. */
const PERSONNUMMER = '19121212-1212';
const NAME = 'Sanne Jansen';
const EMAIL = 'sanne.jansen@example.test';
const GRADE = 'Zeer goed';
const LEARNER = 'P-4711';

let env: TestWorkflowEnvironment;
let coachview: CoachviewSimulator;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let codecServer: CodecServer;
let storeDir: string;
let workers: Worker[];
let running: Promise<unknown>;
const gradeQueue = uniqueTaskQueue('operator-view-grade');
const rosterQueue = uniqueTaskQueue('operator-view-roster');

beforeAll(async () => {
  env = await createDevServerEnv();
  coachview = await startCoachviewSimulator();
  itslearning = await startItslearningSimulator({ syncKeySource: 'procapita' });
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  codecServer = await startCodecServer({ port: 0, codec: testCodec(), corsOrigins: [] });
  storeDir = mkdtempSync(path.join(tmpdir(), 'operator-view-'));
  workers = [
    await gradeReturnWorker({
      connection: env.nativeConnection,
      client: env.client,
      taskQueue: gradeQueue,
      coachview,
      smtp,
    }),
    await rosterSyncWorker({
      connection: env.nativeConnection,
      taskQueue: rosterQueue,
      itslearning,
      smtp,
      storeDir,
      thresholds: { perType: { person: { deletes: { max: 10 } } } },
    }),
  ];
  running = Promise.all(workers.map((w) => w.run()));
});

afterAll(async () => {
  for (const w of workers ?? []) w.shutdown();
  await running;
  await codecServer?.close();
  await coachview?.close();
  await itslearning?.close();
  await smtp?.close();
  await env?.teardown();
  if (storeDir) rmSync(storeDir, { recursive: true, force: true });
});

/** The real `temporal` CLI against the dev server; `codec` adds `--codec-endpoint`. */
async function temporalCli(args: string[], opts: { codec?: boolean } = {}) {
  const all = [
    ...args,
    '--address',
    env.address,
    ...(opts.codec ? ['--codec-endpoint', codecServer.url] : []),
  ];
  try {
    const { stdout, stderr } = await run(temporalCliPath(), all);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The raw history as an operator without the codec keys reads it: `temporal workflow show -o json`. */
async function rawHistory(workflowId: string): Promise<{ text: string; events: Record<string, unknown>[] }> {
  const { stdout, code, stderr } = await temporalCli([
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '-o',
    'json',
  ]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return { text: stdout, events: (JSON.parse(stdout) as { events: Record<string, unknown>[] }).events };
}

interface RawFailure {
  message?: string;
  stackTrace?: string;
  encodedAttributes?: unknown;
  cause?: RawFailure;
  applicationFailureInfo?: { type?: string; details?: unknown };
}

/** Every failure recorded in a history (with its causes), as proto JSON. */
function failuresIn(events: Record<string, unknown>[]): RawFailure[] {
  const found: RawFailure[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'failure' || key === 'cause') found.push(value as RawFailure);
      walk(value);
    }
  };
  walk(events);
  return found;
}

/** What a failure shows in clear text: its messages and stack traces, never encoded attributes. */
function clearTextOf(failure: RawFailure): string {
  expect(failure.encodedAttributes).toBeUndefined();
  return [failure.message, failure.stackTrace].join('\n');
}

function expectNoPersonalValue(text: string, values: string[] = [PERSONNUMMER, NAME, EMAIL, GRADE]): void {
  for (const value of values) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
}

async function currentDetailsOf(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

it('[PLAT-13] a workflow failed on bad input: the raw history, read without the codec, names each bad field and holds no personal value in clear bytes', async () => {
  const input = {
    source: 'blackboard',
    learnerId: PERSONNUMMER,
    courseId: '',
    grade: NAME,
    completedAt: EMAIL,
  };
  const handle = await env.client.workflow.start(workflowTypes.gradeReturn, {
    taskQueue: gradeQueue,
    workflowId: `operator-view-bad-input-${Date.now()}`,
    args: [input],
    ...startMetadataFor(workflowTypes.gradeReturn, input),
  });
  await expect(handle.result()).rejects.toThrow();

  const { text, events } = await rawHistory(handle.workflowId);
  const [failure] = failuresIn(events);
  expect(failure?.applicationFailureInfo?.type).toBe('InvalidInput');
  expect(failure?.message).toBe(
    'Invalid grade-return input: source: expected one of "moodle"|"ilias"|"anewspring"; ' +
      'courseId: must have at least 1 character(s); ' +
      'completedAt: must be an ISO 8601 date-time with seconds and offset, or a date',
  );
  expectNoPersonalValue(text);
  // The summary of a refused input repeats none of its fields either.
  expectNoPersonalValue(JSON.stringify(await (await handle.describe()).staticSummary()));
});

it('[PLAT-13] a failed activity and a grade return that gave up say why in clear text; learner and grade stay encrypted; the temporal CLI with the codec shows reason, details and summary', async () => {
  const completion = {
    source: 'moodle' as const,
    learnerId: LEARNER,
    courseId: 'c-77',
    grade: GRADE,
    completedAt: '2026-11-02T14:30:00Z',
  };
  // Coachview answers the person lookup with a body of the wrong shape: a non-retryable activity failure.
  coachview.faults({ malformedNext: { count: 1, on: 'api' } });
  await gradeReturnStarter(env.client, { maxDailyAttempts: 1, taskQueue: gradeQueue })(completion);
  const workflowId = gradeReturnWorkflowId('moodle', 'c-77', LEARNER);
  const handle = env.client.workflow.getHandle(workflowId);
  // A malformed answer uses no daily attempt (CV-6): the run waits for its next try; retryNow makes it
  // now, and the learner Coachview does not know is its one (counted) attempt.
  for (let i = 0; i < 200; i++) {
    const status = await handle.query(gradeReturnStatusQuery).catch(() => null);
    if ((status?.notCountedTotal ?? 0) >= 1 && status?.phase === 'waiting-for-retry') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.signal(retryNowSignal);
  const err = await handle.result().catch((e: unknown) => e);
  expect((err as { cause?: unknown }).cause).toBeInstanceOf(ApplicationFailure);

  const { text, events } = await rawHistory(workflowId);
  const failures = failuresIn(events);
  const activityFailure = failures.find(
    (f) => f.applicationFailureInfo?.type === 'Coachview.UnexpectedResponse',
  );
  expect(activityFailure?.message).toBe(
    'Coachview: unexpected person list: (body): Invalid input: expected object, received string',
  );
  const gaveUp = failures.find((f) => f.applicationFailureInfo?.type === 'GradeReturnGaveUp');
  expect(gaveUp?.message).toBe(
    'Coachview did not register the result for course c-77 after 1 daily attempt; last answer: not-recognized: ' +
      'the learner id is not a Coachview person id or external id',
  );
  // The learner id is in the workflow id and SourceId (docs/failure-messages.md), never in a failure.
  expectNoPersonalValue(failures.map(clearTextOf).join('\n'), [LEARNER, GRADE]);
  expectNoPersonalValue(text, [GRADE, NAME, EMAIL]);

  // The give-up's details carry the learner id, encrypted: decoded by the CLI through the codec server.
  const described = await temporalCli(['workflow', 'describe', '--workflow-id', workflowId], { codec: true });
  expect(described.stdout).toContain('StaticSummary  "Grade return: moodle course c-77 → Coachview"');
  expect(described.stdout).toContain(`Message: ${gaveUp?.message}`);
  const describedJson = await temporalCli(
    ['workflow', 'describe', '--workflow-id', workflowId, '-o', 'json'],
    {
      codec: true,
    },
  );
  expect(describedJson.stdout).toContain(`"learnerId": "${LEARNER}"`);
  const shown = await temporalCli(['workflow', 'show', '--workflow-id', workflowId], { codec: true });
  expect(shown.stdout).toContain('ActivityTaskFailed');
  expect(shown.stdout).toContain(`Message: ${gaveUp?.message}`);

  expect(await currentDetailsOf(handle)).toBe(
    'Gave up after 1 daily attempt: not-recognized (the learner id is not a Coachview person id or external id).\n' +
      'The operators were e-mailed; start the grade return again once Coachview knows the learner and course.',
  );
});

describe('a roster sync stopped by the safety filter', () => {
  let handle: WorkflowHandle<typeof rosterSyncWorkflow>;
  const plainClient = (): Client => new Client({ connection: env.connection });

  beforeAll(async () => {
    seedDeparted(itslearning, 30);
    const input = { syncDate: ROSTER_SYNC_DATE };
    handle = await env.client.workflow.start(rosterSyncWorkflow, {
      taskQueue: rosterQueue,
      workflowId: `roster-sync:operator-view-${Date.now()}`,
      args: [input],
      ...startMetadataFor(workflowTypes.rosterSync, input),
    });
    await waitForPhase(handle, 'awaiting-approval');
  });

  it('[PLAT-13] shows its summary and where it stands (describe, the metadata query, temporal workflow metadata)', async () => {
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(
      `Roster sync procapita-itslearning: ${ROSTER_SYNC_DATE} ProCapita roster → itslearning`,
    );
    expect(await description.staticDetails()).toContain('`approve` or `reject`');
    const details = await currentDetailsOf(handle);
    expect(details).toMatch(
      new RegExp(
        '^Waiting for approval until \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: deletes of persons 30 > 10; ' +
          'deletes of persons 100\\.0% of the previous import > 10\\.0%\\.\\n' +
          'Plan: \\d+ creates, 0 updates, 30 deletes\\.\\n' +
          'Send the update approve or reject; nothing has been written to itslearning\\.$',
      ),
    );
    const metadata = await temporalCli(['workflow', 'metadata', '--workflow-id', handle.workflowId], {
      codec: true,
    });
    expect(metadata.stdout).toContain('Waiting for approval until');
    expect(metadata.stdout).toContain('deletes of persons 30 > 10');
  });

  it('[PLAT-13] temporal workflow query with --codec-endpoint shows the decoded status', async () => {
    const queried = await temporalCli(
      ['workflow', 'query', '--workflow-id', handle.workflowId, '--type', 'status'],
      {
        codec: true,
      },
    );
    expect(queried).toMatchObject({ code: 0, stderr: '' });
    expect(queried.stdout).toContain('"phase":"awaiting-approval"');
  });

  it('[PLAT-13] a refused approve says why to a client without the codec, without repeating the values it refused', async () => {
    const refused = await plainClient()
      .workflow.getHandle(handle.workflowId)
      .executeUpdate('approve', { args: [{}] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const reason = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect({ type: reason.type, message: reason.message }).toEqual({
      type: 'InvalidDecision',
      message: 'Invalid decision: operator: Invalid input: expected string, received undefined',
    });

    const withPersonalValues = await handle
      .executeUpdate('approve', { args: [{ operator: ' ', comment: `${NAME} ${PERSONNUMMER}`.repeat(100) }] })
      .catch((e: unknown) => e);
    const message = ((withPersonalValues as WorkflowUpdateFailedError).cause as ApplicationFailure).message;
    expect(message).toBe(
      'Invalid decision: operator: Too small: expected string to have >=1 characters; ' +
        'comment: Too big: expected string to have <=2000 characters',
    );
    expectNoPersonalValue(message);
  });

  it('[PLAT-13] the temporal CLI with the codec endpoint and the client CLI print the reason of a refused approve', async () => {
    const viaTemporal = await temporalCli(
      [
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        handle.workflowId,
        '--name',
        'approve',
        '--input',
        '{}',
      ],
      { codec: true },
    );
    expect(viaTemporal.code).not.toBe(0);
    expect(viaTemporal.stderr).toContain(
      'Invalid decision: operator: Invalid input: expected string, received undefined',
    );

    const dir = mkdtempSync(path.join(tmpdir(), 'operator-view-cli-'));
    try {
      const empty = path.join(dir, 'approval.json');
      writeFileSync(empty, '{}');
      const viaClient = await run(
        process.execPath,
        [path.join(repoRoot, 'dist/client/cli.js'), 'update', handle.workflowId, 'approve', '--input', empty],
        {
          env: {
            PATH: process.env.PATH,
            TEMPORAL_ADDRESS: env.address,
            CODEC_KEYS: JSON.stringify(testCodecKeys),
            CODEC_ACTIVE_KEY_ID: 'test-2026-a',
          },
        },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code?: number; stderr?: string }) => ({ code: e.code, stderr: e.stderr ?? '' }),
      );
      expect(viaClient.code).toBe(1);
      expect(viaClient.stderr).toContain(
        'Update approve refused: Invalid decision: operator: Invalid input: expected string, received undefined',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('[PLAT-13] an approve sent by the temporal CLI without the codec endpoint is applied, but its encrypted answer cannot be shown', async () => {
    const approved = await temporalCli([
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      handle.workflowId,
      '--name',
      'approve',
      '--input',
      '{"operator": "ops", "comment": "leavers checked"}',
    ]);
    // Why the CLI reports an error: the workflow's answer is encrypted and this CLI has no codec.
    expect(approved).toMatchObject({ code: 1 });
    expect(approved.stderr).toContain('encoding binary/encrypted: payload encoding is not supported');
    const status = await waitForPhase(handle, 'applied');
    expect(status.approval).toMatchObject({ decision: 'approved', operator: 'ops' });
    // And what it costs: the approval was stored as sent, unencrypted (README: use --codec-endpoint).
    const { events } = await rawHistory(handle.workflowId);
    const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes) as
      | { workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { input: { args: unknown } } } }
      | undefined;
    const [arg] = (
      accepted?.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args as {
        payloads: { metadata: { encoding: string } }[];
      }
    ).payloads;
    expect(Buffer.from(arg?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
  });
});
