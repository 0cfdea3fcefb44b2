import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../platform/tools';

const TAIL_LINES = 40;

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** The last lines the worker wrote, for error messages. */
  tail(): string;
  /** Throws when the worker has exited, with its last output. */
  assertAlive(): void;
}

/**
 * Runs the real worker entry point (dist/workers/main.js) as its own process, configured only
 * through `env`, so its memory can be measured apart from the benchmark's.
 */
export function spawnWorkerProcess(env: Record<string, string>): WorkerProcess {
  const lines: string[] = [];
  const keep = (data: Buffer): void => {
    lines.push(...data.toString().trimEnd().split('\n'));
    lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
  };
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/workers/main.js')], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error('the worker process did not start');
  const tail = (): string => lines.join('\n');
  return {
    child,
    pid: child.pid,
    tail,
    assertAlive: () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the worker exited (${child.exitCode ?? child.signalCode}); its last output:\n${tail()}`,
        );
      }
    },
  };
}
