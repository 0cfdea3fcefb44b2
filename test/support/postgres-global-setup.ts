import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../platform/tools';
import { INSTANCE_ENV, startPostgres } from './postgres';

/**
 * jest globalSetup: starts the run's private PostgreSQL. When it cannot start, the reason is
 * recorded instead and every test that asks for a database fails with it; the other tests run.
 */
export default async function globalSetup(): Promise<void> {
  try {
    const instance = await startPostgres();
    (globalThis as { __testPostgres?: { stop(): Promise<void> } }).__testPostgres = instance;
    process.env[INSTANCE_ENV] = path.join(instance.folder, 'instance.json');
  } catch (err) {
    const folder = path.join(repoRoot, '.data', 'postgres-test', `${process.pid}-failed`);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'instance.json');
    writeFileSync(file, JSON.stringify({ ownerPid: process.pid, folder, error: (err as Error).message }));
    process.env[INSTANCE_ENV] = file;
    console.error(`\n[postgres] the private PostgreSQL did not start: ${(err as Error).message}`);
  }
}
