import { rmSync } from 'node:fs';
import path from 'node:path';
import { INSTANCE_ENV } from './postgres';

/** jest globalTeardown: stops the run's private PostgreSQL and removes its data folder. */
export default async function globalTeardown(): Promise<void> {
  const instance = (globalThis as { __testPostgres?: { stop(): Promise<void> } }).__testPostgres;
  if (instance) await instance.stop();
  const file = process.env[INSTANCE_ENV];
  if (file) rmSync(path.dirname(file), { recursive: true, force: true });
}
