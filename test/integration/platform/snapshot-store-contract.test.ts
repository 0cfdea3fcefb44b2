/**
 * One contract for every SnapshotStore (PLAT-12): the local folder of the embedded stack and the
 * PostgreSQL store of production pass the same tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { emptyTargetState, planSync, syncPlanSchema, type SyncPlan } from '../../../domain/roster';
import { createLogger } from '../../../platform/logging';
import { createPool, runMigrations } from '../../../platform/postgres';
import { Secret } from '../../../platform/secret';
import {
  createLocalStore,
  createPostgresStore,
  InvalidStoreKeyError,
  rosterSyncKeys,
  snapshotStoreMigrations,
  StoreKeyNotFoundError,
  type SnapshotStore,
} from '../../../platform/store';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { largeRoster, SOURCE } from '../../unit/roster/roster-fixture';

jest.setTimeout(180_000);

interface Backend {
  /** A store; `chunkBytes` asks the PostgreSQL store for small rows, so small values span several. */
  store(opts?: { chunkBytes?: number }): SnapshotStore;
  /** Makes a stored value look `days` old. */
  age(key: string, days: number): Promise<void>;
  /** Leftovers of writes: temporary files, or chunk rows of no current version. */
  leftovers(): Promise<number>;
  close(): Promise<void>;
}

async function localBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'snapshot-store-'));
  const walk = async (folder: string): Promise<string[]> =>
    (
      await Promise.all(
        (await readdir(folder, { withFileTypes: true })).map((e) =>
          e.isDirectory() ? walk(join(folder, e.name)) : [e.name],
        ),
      )
    ).flat();
  return {
    store: () => createLocalStore(dir),
    async age(key, days) {
      const then = new Date(Date.now() - days * 86_400_000);
      await utimes(join(dir, ...key.split('/')), then, then);
    },
    leftovers: async () => (await walk(dir)).filter((name) => name.includes('.tmp-')).length,
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresBackend(): Promise<Backend & { pool: Pool }> {
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool(
    { url: new Secret(db.url), tls: 'off', poolSize: 10 },
    createLogger('warn', 'test'),
    'the store test',
  );
  await runMigrations(pool, snapshotStoreMigrations);
  return {
    pool,
    store: (opts) => createPostgresStore(pool, opts),
    async age(key, days) {
      await pool.query(
        `UPDATE snapshot_objects SET stored_at = now() - make_interval(days => $2) WHERE key = $1`,
        [key, days],
      );
    },
    async leftovers() {
      const { rows } = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM snapshot_chunks c WHERE NOT EXISTS (SELECT 1 FROM snapshot_objects o WHERE o.version = c.version)',
      );
      return Number(rows[0]?.n);
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

async function sha256Of(stream: AsyncIterable<Buffer | string>): Promise<{ sha: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += Buffer.byteLength(chunk);
  }
  return { sha: hash.digest('hex'), bytes };
}

/** `total` random bytes in 64 KB pieces, made only when pulled; `onPull` sees the bytes handed out so far. */
async function* randomSource(
  total: number,
  hash: ReturnType<typeof createHash>,
  onPull?: (handedOut: number) => Promise<void>,
): AsyncGenerator<Buffer> {
  for (let at = 0; at < total;) {
    await onPull?.(at);
    const piece = randomBytes(Math.min(64 * 1024, total - at));
    hash.update(piece);
    at += piece.length;
    yield piece;
  }
}

let cachedPlan: SyncPlan | undefined;
/** One 400,000-membership plan for both stores (planning it takes seconds). */
const bigPlan = (): SyncPlan =>
  (cachedPlan ??= planSync(largeRoster({ students: 50_000, groupsPerStudent: 7 }), emptyTargetState(), {
    syncKeySource: SOURCE,
  }));

const backends: Array<[string, () => Promise<Backend>]> = [
  ['local folder', localBackend],
  ['PostgreSQL', postgresBackend],
];

describe.each(backends)('SnapshotStore contract: %s', (_name, make) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await make();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('[PLAT-12] puts and gets JSON by key, validates on read, lists keys under a prefix, deletes', async () => {
    const store = backend.store();
    const keys = rosterSyncKeys('run-1');
    const ref = await store.putJson(keys.source, { persons: 3 });
    expect(ref).toEqual({ key: 'roster-sync/run-1/source.json', bytes: 13 });
    await store.putJson(rosterSyncKeys('run-2').plan, { x: 1 });
    await store.putJson('roster-sync/run_1x/plan.json', { x: 2 }); // `_` is no wildcard
    expect(await store.getJson(keys.source)).toEqual({ persons: 3 });
    expect(await store.exists(keys.source)).toBe(true);
    expect(await store.exists(keys.plan)).toBe(false);
    expect(await store.list('roster-sync/run-1/')).toEqual(['roster-sync/run-1/source.json']);
    expect(await store.list('roster-sync/run')).toEqual([
      'roster-sync/run-1/source.json',
      'roster-sync/run-2/plan.json',
      'roster-sync/run_1x/plan.json',
    ]);
    await expect(store.getJson(keys.plan)).rejects.toBeInstanceOf(StoreKeyNotFoundError);
    await expect(store.getStream(keys.plan)).rejects.toBeInstanceOf(StoreKeyNotFoundError);
    await expect(store.getJson(keys.source, syncPlanSchema)).rejects.toThrow();
    await store.delete(keys.source);
    await store.delete(keys.source); // deleting what is gone is no error
    expect(await store.exists(keys.source)).toBe(false);
    for (const key of await store.list()) await store.delete(key);
    expect(await store.list()).toEqual([]);
  });

  it('[PLAT-12] stores exactly what JSON.stringify makes, multi-byte characters across row boundaries included', async () => {
    const store = backend.store({ chunkBytes: 7 });
    const value = {
      name: 'Åsa Öberg-Ängström 🎓',
      list: [1, 'två', null, { nested: ['ü', true] }, new Date('2026-08-20T00:00:00Z')],
      gone: undefined,
      n: -0.5,
    };
    const ref = await store.putJson('json/value.json', value);
    expect(ref.bytes).toBe(Buffer.byteLength(JSON.stringify(value)));
    expect(await store.getJson('json/value.json')).toEqual(JSON.parse(JSON.stringify(value)));
    const { sha } = await sha256Of(await store.getStream('json/value.json'));
    expect(sha).toBe(createHash('sha256').update(JSON.stringify(value)).digest('hex'));
  });

  it('[PLAT-12] replaces atomically under concurrent writers and readers, and leaves nothing behind', async () => {
    const store = backend.store({ chunkBytes: 16 * 1024 });
    const valueOf = (i: number) => ({ i, pad: String(i % 10).repeat(100_000 + i * 1000) });
    await store.putJson('a/b.json', valueOf(0));
    const seen = new Set<number>();
    let writing = true;
    const readers = Array.from({ length: 3 }, async () => {
      while (writing) {
        const v = (await store.getJson('a/b.json')) as { i: number; pad: string };
        // Whole: the padding belongs to the same write as the number.
        expect(v.pad).toBe(valueOf(v.i).pad);
        seen.add(v.i);
      }
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.putJson('a/b.json', valueOf(i + 1))));
    writing = false;
    await Promise.all(readers);
    const last = (await store.getJson('a/b.json')) as { i: number };
    expect(last.i).toBeGreaterThanOrEqual(1);
    expect(seen.size).toBeGreaterThan(0);
    expect(await store.list('a/')).toEqual(['a/b.json']);
    expect(await backend.leftovers()).toBe(0);
  });

  it('[PLAT-12] a read that started before a replace returns one whole value', async () => {
    const store = backend.store({ chunkBytes: 16 * 1024 });
    const old = 'o'.repeat(200_000);
    const next = 'n'.repeat(300_000);
    await store.putStream('r/value.txt', Readable.from([old]));
    const stream = await store.getStream('r/value.txt');
    const parts: Buffer[] = [];
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    parts.push(first.value as Buffer);
    await store.putStream('r/value.txt', Readable.from([next]));
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) parts.push(r.value as Buffer);
    const text = Buffer.concat(parts).toString();
    expect([old, next]).toContain(text);
    expect((await sha256Of(await store.getStream('r/value.txt'))).bytes).toBe(next.length);
  });

  it('[PLAT-12] a failed write leaves the previous value', async () => {
    const store = backend.store({ chunkBytes: 1024 });
    await store.putJson('f/value.json', { ok: 1 });
    async function* failing(): AsyncGenerator<string> {
      yield '{"half":';
      yield 'x'.repeat(5000);
      throw new Error('source broke');
    }
    await expect(store.putStream('f/value.json', failing())).rejects.toThrow('source broke');
    expect(await store.getJson('f/value.json')).toEqual({ ok: 1 });
    expect(await backend.leftovers()).toBe(0);
  });

  it('[PLAT-12] streams 60 MB in and back out unchanged', async () => {
    const store = backend.store();
    const hash = createHash('sha256');
    const total = 60 * 1024 * 1024;
    const ref = await store.putStream('big/blob.bin', randomSource(total, hash));
    expect(ref.bytes).toBe(total);
    const back = await sha256Of(await store.getStream('big/blob.bin'));
    expect(back).toEqual({ sha: hash.digest('hex'), bytes: total });
    await store.delete('big/blob.bin');
  });

  it('[PLAT-12] retention removes what was stored more than the retention days ago, and only that', async () => {
    const store = backend.store();
    for (const run of ['old-1', 'old-2', 'new-1']) {
      for (const key of Object.values(rosterSyncKeys(run))) await store.putJson(key, { run });
    }
    for (const run of ['old-1', 'old-2']) {
      for (const key of Object.values(rosterSyncKeys(run))) await backend.age(key, 31);
    }
    await backend.age(rosterSyncKeys('new-1').plan, 29);
    const removed = await store.removeOlderThan(new Date(Date.now() - 30 * 86_400_000));
    expect(removed).toEqual(['old-1', 'old-2'].flatMap((run) => Object.values(rosterSyncKeys(run))).sort());
    expect(await store.list('roster-sync/')).toEqual(Object.values(rosterSyncKeys('new-1')).sort());
    expect(await store.removeOlderThan(new Date(Date.now() - 30 * 86_400_000))).toEqual([]);
    expect(await backend.leftovers()).toBe(0);
    for (const key of await store.list()) await store.delete(key);
  });

  it('[PLAT-12] a value kept in use stays through retention, unchanged, while its old neighbours go', async () => {
    const store = backend.store();
    await store.putJson('year-end/in-use.json', { schools: { A: 3 } });
    await store.putJson('year-end/left.json', { schools: {} });
    await backend.age('year-end/in-use.json', 40);
    await backend.age('year-end/left.json', 40);
    expect(await store.keep('year-end/in-use.json')).toBe(true);
    expect(await store.keep('year-end/never-written.json')).toBe(false);
    expect(await store.exists('year-end/never-written.json')).toBe(false);
    expect(await store.removeOlderThan(new Date(Date.now() - 30 * 86_400_000))).toEqual([
      'year-end/left.json',
    ]);
    expect(await store.getJson('year-end/in-use.json')).toEqual({ schools: { A: 3 } });
    await store.delete('year-end/in-use.json');
    expect(await backend.leftovers()).toBe(0);
  });

  it('[PLAT-12] refuses keys that would leave the store', async () => {
    const store = backend.store();
    for (const key of ['../x', '/abs', 'a//b', 'a/.hidden', '', 'a/b c']) {
      await expect(store.putJson(key, 1)).rejects.toBeInstanceOf(InvalidStoreKeyError);
      await expect(store.getJson(key)).rejects.toBeInstanceOf(InvalidStoreKeyError);
    }
  });

  it('[PLAT-12] writes and reads back the plan of a 400,000-membership roster', async () => {
    const store = backend.store();
    const plan = bigPlan();
    const started = Date.now();
    const ref = await store.putJson(rosterSyncKeys('big').plan, plan);
    const written = Date.now();
    const back = await store.getJson(ref.key, syncPlanSchema);
    console.log(
      `${_name}: plan of ${plan.operations.length} operations, ${(ref.bytes / 1e6).toFixed(1)} MB written in ${written - started} ms, read and validated in ${Date.now() - written} ms`,
    );
    expect(ref.bytes).toBe(Buffer.byteLength(JSON.stringify(plan)));
    expect(back.operations).toHaveLength(plan.operations.length);
    expect(back.planId).toBe(plan.planId);
    await store.delete(ref.key);
  });
});

describe('PostgreSQL store', () => {
  let backend: Awaited<ReturnType<typeof postgresBackend>>;
  beforeAll(async () => {
    backend = await postgresBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('[PLAT-12] writes rows while the source is still being read, never the whole body at once', async () => {
    const store = backend.store();
    const total = 60 * 1024 * 1024;
    const hash = createHash('sha256');
    // The rows of the open transaction already take room on disk; another connection can see the size.
    const onDisk = async (): Promise<number> => {
      const { rows } = await backend.pool.query<{ n: string }>(
        "SELECT pg_total_relation_size('snapshot_chunks') AS n",
      );
      return Number(rows[0]?.n);
    };
    const before = await onDisk();
    const seen: Array<{ handedOut: number; written: number }> = [];
    const probe = async (handedOut: number) => {
      if (handedOut > 0 && handedOut % (20 * 1024 * 1024) === 0) {
        seen.push({ handedOut, written: (await onDisk()) - before });
      }
    };
    await store.putStream('probe/blob.bin', randomSource(total, hash, probe));
    expect(seen.map((s) => s.handedOut)).toEqual([20, 40].map((mb) => mb * 1024 * 1024));
    for (const s of seen) {
      // Everything but the row being filled (1 MB) is already in the database.
      expect(s.written).toBeGreaterThan(s.handedOut - 2 * 1024 * 1024);
    }
  });

  it('[PLAT-12] a read stream closed early gives its connection back', async () => {
    const store = backend.store({ chunkBytes: 64 * 1024 });
    await store.putStream('probe/rows.bin', Readable.from([randomBytes(64 * 1024 * 40)]));
    const stream = await store.getStream('probe/rows.bin');
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    expect(backend.pool.totalCount - backend.pool.idleCount).toBe(1);
    await iterator.return?.();
    for (let i = 0; i < 50 && backend.pool.totalCount > backend.pool.idleCount; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(backend.pool.totalCount - backend.pool.idleCount).toBe(0);
    await expect(store.getJson('probe/none.json')).rejects.toBeInstanceOf(StoreKeyNotFoundError);
    expect(backend.pool.totalCount - backend.pool.idleCount).toBe(0);
  });
});
