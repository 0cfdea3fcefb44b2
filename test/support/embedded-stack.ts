import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createEncryptionCodec, dataConverter } from '../../platform/codec';
import { repoRoot } from '../../platform/tools';
import { ensureLocalCodecKeys } from '../../stack/codec-keys';
import { freePort } from './ports';

/** Every port the embedded stack listens on, by the variable that sets it. */
const PORT_SETTINGS = [
  'STACK_TEMPORAL_PORT',
  'STACK_TEMPORAL_UI_PORT',
  'STACK_SMTP_HTTP_PORT',
  'STACK_COACHVIEW_PORT',
  'STACK_MOODLE_PORT',
  'STACK_ILIAS_PORT',
  'STACK_ANEWSPRING_PORT',
  'STACK_ITSLEARNING_PORT',
  'STACK_INFOCAPTION_PORT',
  'STACK_WINLAS_PORT',
  'STACK_WISEFLOW_PORT',
  'STACK_PRAKTIKPORTALEN_PORT',
  'CODEC_SERVER_PORT',
  'INTAKE_PORT',
  'SMTP_PORT',
  'WORKER_METRICS_PORT',
] as const;
export type StackPorts = Record<(typeof PORT_SETTINGS)[number], number>;

export interface RunningStack {
  ports: StackPorts;
  dataDir: string;
  process: ChildProcess;
  /** Everything the stack printed so far (stdout and stderr). */
  output(): string;
  /** A client with the stack's own codec keys. */
  client: Client;
  connection: Connection;
  /** The Web UI's base URL on `localhost` or `127.0.0.1`. */
  uiUrl(host?: 'localhost' | '127.0.0.1'): string;
  /** SIGINT (Ctrl-C), then SIGKILL if it lingers; removes the data folder. */
  stop(): Promise<void>;
}

/**
 * The README's start command (`node dist/stack/embedded.js`, what `npm start` runs after setup) on
 * free ports and a fresh data folder; resolves once the stack printed its ready message.
 */
export async function startEmbeddedStack(
  opts: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<RunningStack> {
  // The ports are free when picked, but the Temporal dev server the stack starts first takes ephemeral
  // ports of its own and can take one of them: start again on fresh ports when that happened.
  for (let tries = 1; ; tries++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (tries >= 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
    }
  }
}

async function startOnce(opts: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number }): Promise<RunningStack> {
  const ports = {} as StackPorts;
  for (const name of PORT_SETTINGS) ports[name] = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-stack-'));
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/stack/embedded.js')], {
    env: {
      PATH: process.env.PATH,
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      STACK_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(child, () => output, opts.readyTimeoutMs ?? 180_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const { file, activeKeyId } = ensureLocalCodecKeys(dataDir);
  const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.STACK_TEMPORAL_PORT}` });
  const client = new Client({
    connection,
    namespace: 'default',
    dataConverter: dataConverter(createEncryptionCodec({ keys, activeKeyId })),
  });
  return {
    ports,
    dataDir,
    process: child,
    output: () => output,
    client,
    connection,
    uiUrl: (host = 'localhost') => `http://${host}:${ports.STACK_TEMPORAL_UI_PORT}`,
    async stop() {
      await connection.close();
      await stop();
    },
  };
}

function waitForReady(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (output().includes('[stack] ready:')) resolve();
      else if (child.exitCode !== null)
        reject(new Error(`the stack exited (${child.exitCode}):\n${output()}`));
      else if (Date.now() > deadline)
        reject(new Error(`the stack was not ready within ${timeoutMs} ms:\n${output()}`));
      else setTimeout(check, 200);
    };
    check();
  });
}
