/**
 * The README's start command, end to end: `node dist/stack/embedded.js` (what `npm start` runs after
 * setup) on free ports and a fresh data folder. Everything the stack promises must be up, and
 * Ctrl-C (SIGINT) must stop all of it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createEncryptionCodec, dataConverter } from '../../../platform/codec';
import { allSearchAttributes, taskQueues } from '../../../platform/names';
import { repoRoot } from '../../../platform/tools';
import { freePort } from '../../support/ports';

jest.setTimeout(240_000);

const ports = {
  STACK_TEMPORAL_PORT: 0,
  STACK_TEMPORAL_UI_PORT: 0,
  STACK_SMTP_HTTP_PORT: 0,
  STACK_COACHVIEW_PORT: 0,
  STACK_MOODLE_PORT: 0,
  STACK_ILIAS_PORT: 0,
  STACK_ANEWSPRING_PORT: 0,
  STACK_ITSLEARNING_PORT: 0,
  STACK_INFOCAPTION_PORT: 0,
  STACK_WINLAS_PORT: 0,
  STACK_WISEFLOW_PORT: 0,
  STACK_PRAKTIKPORTALEN_PORT: 0,
  CODEC_SERVER_PORT: 0,
  INTAKE_PORT: 0,
  SMTP_PORT: 0,
  WORKER_METRICS_PORT: 0,
};

let dataDir: string;
let stack: ChildProcess;
let output = '';
let client: Client;
let connection: Connection;
let codecKeyId = '';

function waitForOutput(text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = (): void => {
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve();
      } else if (stack.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`the stack exited (${stack.exitCode}):\n${output}`));
      } else {
        setTimeout(check, 200);
      }
    };
    check();
  });
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A log line as JSON, or nothing for the stack's own plain lines. */
function jsonLine(line: string): Array<Record<string, unknown>> {
  if (!line.startsWith('{')) return [];
  try {
    return [JSON.parse(line) as Record<string, unknown>];
  } catch {
    return [];
  }
}

beforeAll(async () => {
  for (const key of Object.keys(ports) as Array<keyof typeof ports>) ports[key] = await freePort();
  dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-stack-'));
  stack = spawn(process.execPath, [path.join(repoRoot, 'dist/stack/embedded.js')], {
    env: {
      PATH: process.env.PATH,
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      STACK_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  stack.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitForOutput('[stack] ready:', 180_000);

  const keys = JSON.parse(readFileSync(path.join(dataDir, 'codec-keys.json'), 'utf8')) as Record<
    string,
    string
  >;
  const activeKeyId = Object.keys(keys).sort().at(-1) ?? '';
  codecKeyId = activeKeyId;
  connection = await Connection.connect({ address: `127.0.0.1:${ports.STACK_TEMPORAL_PORT}` });
  client = new Client({
    connection,
    namespace: 'default',
    dataConverter: dataConverter(createEncryptionCodec({ keys, activeKeyId })),
  });
});

afterAll(async () => {
  await connection?.close();
  if (stack && stack.exitCode === null && stack.signalCode === null) stack.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('[PLAT-2] the start command brings up the dev server with its Web UI and state in the data folder', async () => {
  const ui = await fetch(`http://127.0.0.1:${ports.STACK_TEMPORAL_UI_PORT}/`);
  expect(ui.status).toBe(200);
  expect(readFileSync(path.join(dataDir, 'temporal.db')).length).toBeGreaterThan(0);
  const { customAttributes } = await connection.operatorService.listSearchAttributes({
    namespace: 'default',
  });
  for (const attribute of allSearchAttributes) {
    expect(Object.keys(customAttributes ?? {})).toContain(attribute.name);
  }
});

it('[PLAT-2][PLAT-6] the worker polls every task queue and the schedules exist', async () => {
  for (const queue of Object.values(taskQueues)) {
    await eventually(`a poller on ${queue}`, async () => {
      const answer = await client.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: queue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return (answer.pollers?.length ?? 0) > 0 ? true : undefined;
    });
  }
  const ids: string[] = [];
  for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
  expect(ids).toEqual(
    expect.arrayContaining([
      'moodle-completion-poll',
      'roster-sync-daily:procapita-itslearning',
      'competence-sync',
      'competence-unmatched-report',
    ]),
  );
});

it('[PLAT-2][PLAT-9][PLAT-10] the simulators, the codec server, the intake and the SMTP sink answer', async () => {
  for (const port of [
    ports.STACK_COACHVIEW_PORT,
    ports.STACK_MOODLE_PORT,
    ports.STACK_ILIAS_PORT,
    ports.STACK_ANEWSPRING_PORT,
    ports.STACK_ITSLEARNING_PORT,
    ports.STACK_INFOCAPTION_PORT,
    ports.STACK_WINLAS_PORT,
    ports.STACK_WISEFLOW_PORT,
    ports.STACK_PRAKTIKPORTALEN_PORT,
    ports.CODEC_SERVER_PORT,
    ports.INTAKE_PORT,
    ports.SMTP_PORT,
  ]) {
    expect(await portAnswers(port)).toBe(true);
  }
  const messages = await fetch(`http://127.0.0.1:${ports.STACK_SMTP_HTTP_PORT}/messages`);
  expect(messages.status).toBe(200);
});

it('[WF-4][WF-5] WISEflow and Praktikportalen start with their demo data; WISEflow sends update requests to the intake', async () => {
  const wiseflow = (await (
    await fetch(`http://127.0.0.1:${ports.STACK_WISEFLOW_PORT}/__admin/state`)
  ).json()) as {
    licence: { userDataTypes: Array<{ name: string }> };
    flows: Array<{ id: number; state: string }>;
    webhooks: Array<{ url: string; events: string[] }>;
  };
  expect(wiseflow.licence.userDataTypes.map((t) => t.name)).toContain('Praktikportalen');
  expect(wiseflow.flows).toContainEqual(expect.objectContaining({ id: 501, state: 'ACTIVATED' }));
  expect(wiseflow.webhooks).toEqual([
    expect.objectContaining({
      url: `http://127.0.0.1:${ports.INTAKE_PORT}/webhooks/wiseflow`,
      events: ['FLOW_EXTERNAL_SOURCE'],
    }),
  ]);
  // The intake accepts WISEflow's signature; flow 501 is not linked yet, so the request is ignored.
  const update = await fetch(
    `http://127.0.0.1:${ports.STACK_WISEFLOW_PORT}/__admin/flows/501/request-update?wait=true`,
    { method: 'POST' },
  );
  const { deliveries } = (await update.json()) as {
    deliveries: Array<{ outcome: string; attempts: Array<{ status?: number; response?: string }> }>;
  };
  expect(deliveries).toEqual([
    expect.objectContaining({
      outcome: 'delivered',
      attempts: [expect.objectContaining({ status: 202, response: expect.stringContaining('ignored') })],
    }),
  ]);
  const period = await fetch(`http://127.0.0.1:${ports.STACK_PRAKTIKPORTALEN_PORT}/periods/PP-2027-04`);
  expect(period.status).toBe(200);
  expect(await period.text()).toContain('Mette Pedersen');
});

it('[WF-1][WF-2][WF-3] a manager links flow 501 to period PP-2027-04 with plain JSON, as from the Web UI: the supervisors become external assessors whose access links log them in', async () => {
  const wiseflowUrl = `http://127.0.0.1:${ports.STACK_WISEFLOW_PORT}`;
  // What the Web UI's Start Workflow form sends: type, task queue, id and the JSON of README's step.
  const handle = await client.workflow.start('wiseflowFlowSyncWorkflow', {
    taskQueue: 'wiseflow',
    workflowId: 'wiseflow-flow-sync:501:PP-2027-04',
    args: [{ flowId: 501, periodNumber: 'PP-2027-04' }],
  });
  const links = await eventually('access links shown in Praktikportalen', async () => {
    const res = await fetch(
      `http://127.0.0.1:${ports.STACK_PRAKTIKPORTALEN_PORT}/__admin/periods/PP-2027-04/links`,
    );
    const shown = (await res.json()) as Array<{ praktikportalenId: string; url: string }>;
    return shown.length === 2 ? shown : undefined;
  });
  for (const link of links) {
    expect(link.url.startsWith(`${wiseflowUrl}/access/`)).toBe(true);
    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Logged in as');
  }
  const state = (await (await fetch(`${wiseflowUrl}/__admin/state`)).json()) as {
    users: Array<{ userId: number; kind: string; externalIds: Array<{ value: string }> }>;
    flows: Array<{
      id: number;
      assessors: Array<{ userId: number; assessorTypeId: number }>;
      externalSources: Array<{ reference: string }>;
    }>;
  };
  const flow = state.flows.find((f) => f.id === 501)!;
  expect(flow.externalSources.map((x) => x.reference)).toEqual(['PP-2027-04']);
  const supervisors = state.users.filter((u) => u.kind === 'external-assessor');
  expect(supervisors.map((u) => u.externalIds[0]?.value).sort()).toEqual(
    links.map((l) => l.praktikportalenId).sort(),
  );
  expect(flow.assessors.map((a) => a.userId).sort()).toEqual(supervisors.map((u) => u.userId).sort());
  await handle.terminate('test over');
});

it('[CW-1][CW-3][CW-4][CW-5][CW-7] an operator links course 2001 to competence C-101 with plain JSON, as from the Web UI: the backfill registers the historical participants, lists the unmatched one, and a re-link registers nothing twice', async () => {
  type Counts = { registered: number; alreadyHeld: number; unmatched: number };
  type Status = {
    phase: string;
    backfill: Counts;
    unmatched: { sample: Array<{ guideId: number; email: string }> };
  };
  const registrations = async () =>
    (await (
      await fetch(`http://127.0.0.1:${ports.STACK_WINLAS_PORT}/__admin/registrations?competenceId=C-101`)
    ).json()) as Array<{ personId: string; source: string }>;
  // What the Web UI's Start Workflow form sends: type, task queue, id and the JSON of README's step.
  const start = () =>
    client.workflow.start('competenceLinkWorkflow', {
      taskQueue: 'competences',
      workflowId: 'competence-link:2001_C-101',
      args: [{ guideIds: [2001], competenceIds: ['C-101'] }],
    });
  const backfilled = async (handle: Awaited<ReturnType<typeof start>>) =>
    eventually('the backfill', async () => {
      const status = await handle.query<Status>('status');
      return status.phase === 'active' ? status : undefined;
    });
  const first = await start();
  const linked = await backfilled(first);
  expect(linked.backfill).toMatchObject({ registered: 3, alreadyHeld: 1, unmatched: 1 });
  expect(linked.unmatched.sample.map((u) => [u.guideId, u.email])).toEqual([
    [2001, 'johan.nyberg@example.test'],
  ]);
  expect(await registrations()).toHaveLength(4);
  await first.executeUpdate('unlink', { args: [{ operator: 'ops@school.test' }] });
  await first.result();

  const again = await start();
  const relinked = await backfilled(again);
  expect(relinked.backfill).toMatchObject({ registered: 0, alreadyHeld: 4, unmatched: 1 });
  expect(await registrations()).toHaveLength(4);
  await again.executeUpdate('unlink', { args: [{}] });
});

it('[PLAT-11] the worker serves Prometheus metrics and logs JSON lines with workflow and run ids', async () => {
  const metrics = await eventually('worker metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.WORKER_METRICS_PORT}/metrics`);
    const text = await res.text();
    return text.includes('temporal_') ? text : undefined;
  });
  expect(metrics).toMatch(/temporal_worker_task_slots_available\{[^}]*task_queue="grade-return"/);

  // Run the Moodle poll now instead of waiting for its schedule: its activity logs through pino.
  await client.schedule.getHandle('moodle-completion-poll').trigger();
  const line = await eventually('the poll activity log line', () =>
    Promise.resolve(
      output
        .split('\n')
        .flatMap(jsonLine)
        .find((entry) => entry.msg === 'Moodle completions polled'),
    ),
  );
  expect(line).toMatchObject({
    workflowType: 'pollMoodleCompletionsWorkflow',
    activityType: 'pollMoodleCompletions',
    taskQueue: 'grade-return',
  });
  expect(String(line.workflowId)).toMatch(/^moodle-completion-poll/);
  expect(String(line.workflowRunId)).toMatch(/^[0-9a-f-]{36}$/);
});

/** The client CLI (`npm run client -- ...`) against the running stack, as an operator uses it. */
/** Runs one CLI command; `text` is what it printed on stdout. */
function cli(...args: string[]): { status: number | null; json: Record<string, unknown>; text: string } {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'dist/client/cli.js'), ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.STACK_TEMPORAL_PORT}`,
      CODEC_KEYS_FILE: path.join(dataDir, 'codec-keys.json'),
      CODEC_ACTIVE_KEY_ID: codecKeyId,
    },
  });
  const text = run.stdout;
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    // Not every command prints JSON (replay prints a line per file).
  }
  return { status: run.status, json, text };
}

it('[PLAT-5][PLAT-7] the client CLI starts from a JSON file, shows status, signals, exports a history that replays', async () => {
  const input = path.join(dataDir, 'completion.json');
  // Coachview's demo data does not know P-2999: the grade return waits for its next daily attempt.
  writeFileSync(
    input,
    JSON.stringify({
      source: 'moodle',
      learnerId: 'P-2999',
      courseId: '2',
      grade: '7',
      completedAt: '2026-11-20',
    }),
  );
  expect(cli('start', 'gradeReturnWorkflow', '--workflow-id', 'cli-test', '--input', input).status).toBe(0);
  const waiting = await eventually('the first attempt', () => {
    const { json } = cli('status', 'cli-test');
    const status = json.status as { phase?: string; attemptsMade?: number } | undefined;
    return Promise.resolve(status?.phase === 'waiting-for-retry' ? status : undefined);
  });
  expect(waiting.attemptsMade).toBe(1);

  expect(cli('signal', 'cli-test', 'retryNow').status).toBe(0);
  await eventually('the second attempt', () => {
    const status = cli('status', 'cli-test').json.status as { attemptsMade?: number } | undefined;
    return Promise.resolve(status?.attemptsMade === 2 ? true : undefined);
  });

  const historyFile = path.join(dataDir, 'cli-test.json');
  const exported = cli('export-history', 'cli-test', '--out', historyFile);
  expect(exported.json.events).toEqual(expect.any(Number));
  const replayed = cli('replay', historyFile);
  expect({ status: replayed.status, text: replayed.text.trim() }).toEqual({
    status: 0,
    text: `ok   ${historyFile}`,
  });

  const bad = path.join(dataDir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ source: 'blackboard', learnerId: 'x' }));
  expect(cli('start', 'gradeReturnWorkflow', '--workflow-id', 'cli-bad', '--input', bad).status).toBe(0);
  const failed = await eventually('the bad input to fail the workflow', () => {
    const { json } = cli('status', 'cli-bad');
    return Promise.resolve(json.state === 'FAILED' ? json : undefined);
  });
  expect(failed.failure).toMatchObject({
    type: 'InvalidInput',
    message: expect.stringContaining('courseId'),
  });
});

it('[PLAT-2] Ctrl-C stops the whole stack: the process exits 0 and the Temporal port closes', async () => {
  const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
  stack.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(output).toContain('stopping worker');
  await eventually('the dev server to stop', async () =>
    (await portAnswers(ports.STACK_TEMPORAL_PORT)) ? undefined : true,
  );
  expect(await portAnswers(ports.STACK_COACHVIEW_PORT)).toBe(false);
});
