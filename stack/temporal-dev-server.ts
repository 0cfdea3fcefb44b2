import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { allSearchAttributes } from '../platform/names';
import { temporalCliPath } from '../platform/tools';

export interface DevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  codecEndpoint?: string;
  log: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

const typeNames: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  DOUBLE: 'Double',
  KEYWORD_LIST: 'KeywordList',
};

const SQLITE_PRAGMAS = { journal_mode: 'wal', synchronous: 'normal' };

/** Starts the Temporal CLI dev server with its Web UI, SQLite state in `dataDir` and our search attributes. */
export async function startDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.join(opts.dataDir, 'temporal.db'),
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    ...allSearchAttributes.flatMap((k) => [
      '--search-attribute',
      `${k.name}=${typeNames[k.type] ?? 'Keyword'}`,
    ]),
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
    // Write-ahead logging lets readers (visibility, the Web UI) run beside the single writer; with it,
    // NORMAL sync is crash-safe for the database file and stops every commit waiting on fsync.
    ...Object.entries(SQLITE_PRAGMAS).flatMap(([k, v]) => ['--sqlite-pragma', `${k}=${v}`]),
  ];
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The last lines say why a server that exits at start did so (e.g. a port taken meanwhile).
  const tail: string[] = [];
  const onOutput = (d: Buffer): void => {
    const text = d.toString().trimEnd();
    opts.log(text);
    tail.push(...text.split('\n'));
    tail.splice(0, Math.max(0, tail.length - 10));
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const address = `localhost:${opts.port}`;
  await waitUntilServing(address, opts.namespace, child, tail);
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop: () => stopProcess(child),
  };
}

/** The dev server stopped before it served; its last output is in the message. */
export class DevServerExitedError extends Error {
  constructor(exitCode: number, lastOutput: readonly string[]) {
    super(`temporal dev server exited with code ${exitCode}: ${lastOutput.join(' | ') || '(no output)'}`);
    this.name = 'DevServerExitedError';
  }
}

async function waitUntilServing(
  address: string,
  namespace: string,
  child: ChildProcess,
  tail: readonly string[],
): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new DevServerExitedError(child.exitCode, tail);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`temporal dev server at ${address} did not become ready: ${String(lastError)}`);
}

/** SIGTERM, then SIGKILL after a grace period. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
