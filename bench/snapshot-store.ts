/**
 * Peak memory of the snapshot stores moving 60 MB (PLAT-12): a stream written from a source that
 * makes its bytes as they are pulled, then read back and hashed. Neither store should hold the
 * body: the growth of the resident set stays far below 60 MB.
 *
 *   npm run build && npm run bench:snapshot-store [-- --mb 60]
 *
 * Starts its own PostgreSQL (as the tests do) unless BENCH_DATABASE_URL names one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../platform/logging';
import { createPool, runMigrations } from '../platform/postgres';
import { Secret } from '../platform/secret';
import {
  createLocalStore,
  createPostgresStore,
  snapshotStoreMigrations,
  type SnapshotStore,
} from '../platform/store';
import { startPostgres } from '../test/support/postgres';
import { RssSampler } from './roster-sync-rss';

const arg = process.argv.indexOf('--mb');
const MB = arg > 0 ? Number(process.argv[arg + 1]) : 60;
const TOTAL = MB * 1024 * 1024;

async function* source(hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for (let at = 0; at < TOTAL;) {
    const piece = randomBytes(Math.min(64 * 1024, TOTAL - at));
    hash.update(piece);
    at += piece.length;
    yield piece;
  }
}

async function measure(name: string, store: SnapshotStore, sampler: RssSampler): Promise<void> {
  global.gc?.();
  const base = process.memoryUsage().rss / 1024 / 1024;
  sampler.reset();
  const written = createHash('sha256');
  let t = Date.now();
  await store.putStream('bench/blob.bin', source(written));
  const writeMs = Date.now() - t;
  const writePeak = sampler.peakMb() - base;

  global.gc?.();
  const base2 = process.memoryUsage().rss / 1024 / 1024;
  sampler.reset();
  const read = createHash('sha256');
  t = Date.now();
  for await (const chunk of await store.getStream('bench/blob.bin')) read.update(chunk as Buffer);
  const readMs = Date.now() - t;
  const readPeak = sampler.peakMb() - base2;
  const same = written.digest('hex') === read.digest('hex');
  await store.delete('bench/blob.bin');
  console.log(
    `${name.padEnd(12)} write ${String(writeMs).padStart(6)} ms  peak RSS +${writePeak.toFixed(0).padStart(3)} MB   ` +
      `read ${String(readMs).padStart(6)} ms  peak RSS +${readPeak.toFixed(0).padStart(3)} MB   sha256 ${same ? 'equal' : 'DIFFERENT'}`,
  );
  if (!same) process.exitCode = 1;
}

async function main(): Promise<void> {
  const pg = process.env.BENCH_DATABASE_URL ? undefined : await startPostgres();
  const url = process.env.BENCH_DATABASE_URL ?? pg?.adminUrl ?? '';
  const pool = createPool(
    { url: new Secret(url), tls: 'off', poolSize: 4 },
    createLogger('warn', 'bench'),
    'bench',
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-store-'));
  const sampler = new RssSampler();
  try {
    await runMigrations(pool, snapshotStoreMigrations);
    console.log(`${MB} MB streamed in and out of each store (RSS growth over the start of each phase)`);
    await measure('local', createLocalStore(dir), sampler);
    await measure('postgres', createPostgresStore(pool), sampler);
  } finally {
    await sampler.stop();
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
    await pg?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
