import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { emptyTargetState, planSync, syncPlanSchema } from '../../../domain/roster';
import {
  createLocalStore,
  InvalidStoreKeyError,
  rosterSyncKeys,
  StoreKeyNotFoundError,
} from '../../../platform/store';
import { largeRoster, SOURCE } from './roster-fixture';

describe('createLocalStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapshot-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts and gets JSON by key, validates on read, and lists keys under a prefix', async () => {
    const store = createLocalStore(dir);
    const keys = rosterSyncKeys('run-1');
    const ref = await store.putJson(keys.source, { persons: 3 });
    expect(ref).toEqual({ key: 'roster-sync/run-1/source.json', bytes: 13 });
    await store.putJson(rosterSyncKeys('run-2').plan, { x: 1 });
    expect(await store.getJson(keys.source)).toEqual({ persons: 3 });
    expect(await store.exists(keys.source)).toBe(true);
    expect(await store.exists(keys.plan)).toBe(false);
    expect(await store.list('roster-sync/run-1/')).toEqual(['roster-sync/run-1/source.json']);
    await expect(store.getJson(keys.plan)).rejects.toBeInstanceOf(StoreKeyNotFoundError);
    await expect(store.getJson(keys.source, syncPlanSchema)).rejects.toThrow();
    await store.delete(keys.source);
    expect(await store.exists(keys.source)).toBe(false);
  });

  it('replaces atomically and leaves no temporary files', async () => {
    const store = createLocalStore(dir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.putJson('a/b.json', { i, pad: 'x'.repeat(10_000) })),
    );
    const value = (await store.getJson('a/b.json')) as { i: number };
    expect(value.i).toBeGreaterThanOrEqual(0);
    expect(await readdir(join(dir, 'a'))).toEqual(['b.json']);
  });

  it('streams in and out', async () => {
    const store = createLocalStore(dir);
    await store.putStream('s/lines.ndjson', Readable.from(['{"a":1}\n', '{"a":2}\n']));
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream('s/lines.ndjson')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('{"a":1}\n{"a":2}\n');
    await expect(store.getStream('s/none')).rejects.toBeInstanceOf(StoreKeyNotFoundError);
  });

  it('refuses keys that would leave the folder', async () => {
    const store = createLocalStore(dir);
    for (const key of ['../x', '/abs', 'a//b', 'a/.hidden', '', 'a/b c']) {
      await expect(store.putJson(key, 1)).rejects.toBeInstanceOf(InvalidStoreKeyError);
    }
  });

  it('writes and reads back the plan of a 400,000-membership roster', async () => {
    const store = createLocalStore(dir);
    const plan = planSync(largeRoster({ students: 50_000, groupsPerStudent: 7 }), emptyTargetState(), {
      syncKeySource: SOURCE,
    });
    const started = Date.now();
    const ref = await store.putJson(rosterSyncKeys('big').plan, plan);
    const written = Date.now();
    const back = await store.getJson(ref.key, syncPlanSchema);
    console.log(
      `plan of ${plan.operations.length} operations: ${(ref.bytes / 1e6).toFixed(1)} MB written in ${written - started} ms, read and validated in ${Date.now() - written} ms`,
    );
    expect(back.operations).toHaveLength(plan.operations.length);
    expect(back.planId).toBe(plan.planId);
  });
});
