import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../platform/tools';
import { testCodecKeys } from './codec';

/**
 * Runs the real worker entry point (dist/workers/main.js) as a separate process, configured only
 * through its environment, so a test can kill it like an operator's machine would die.
 */
export function spawnWorkerProcess(
  env: Record<string, string>,
  options: { cwd?: string } = {},
): ChildProcess & { output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/workers/main.js')], {
    env: {
      PATH: process.env.PATH,
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      CODEC_KEYS: JSON.stringify(testCodecKeys),
      CODEC_ACTIVE_KEY_ID: 'test-2026-a',
      SCHEDULES_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A working folder of its own, as on another machine.
    cwd: options.cwd,
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
