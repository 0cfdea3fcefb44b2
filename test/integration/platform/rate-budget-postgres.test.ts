/**
 * The PostgreSQL budget store (PLAT-16) on the run's private PostgreSQL: it decides exactly as the
 * pure policy does, and many concurrent takers over several pools (as several worker processes
 * would be) never get more than the budget.
 */
import type { Pool } from 'pg';
import { loadConfig } from '../../../platform/config';
import { createLogger } from '../../../platform/logging';
import { createPool, runMigrations } from '../../../platform/postgres';
import {
  createMemoryBudgetStore,
  createPostgresBudgetStore,
  createRateBudgets,
  rateBudgetMigrations,
  rateBudgetsFromConfig,
  spentBudgetOf,
  type BudgetDefinition,
  type Decision,
  type RateBudgetStore,
} from '../../../platform/rate-budget';
import { Secret } from '../../../platform/secret';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const logger = createLogger('warn', 'test');
const poolFor = (url: string, poolSize = 5): Pool =>
  createPool({ url: new Secret(url), tls: 'off', poolSize }, logger, 'the rate-budget test');

const daily: BudgetDefinition = {
  name: 'coachview-rest',
  policy: { kind: 'daily', limit: 100, timeZone: 'Europe/Stockholm' },
  maxWaitMs: 0,
  spreadMs: 0,
};
const window: BudgetDefinition = {
  name: 'winlas-api',
  policy: { kind: 'fixed-window', limit: 7, windowMs: 1000 },
  maxWaitMs: 0,
  spreadMs: 0,
};
const bucket: BudgetDefinition = {
  name: 'wiseflow-api',
  policy: { kind: 'token-bucket', limit: 200, perMs: 1000, burst: 20 },
  maxWaitMs: 0,
  spreadMs: 0,
};

let db: TestDatabase;
let pools: Pool[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  pools = Array.from({ length: 4 }, () => poolFor(db.url));
  await runMigrations(pools[0]!, rateBudgetMigrations);
});

afterEach(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db.drop();
});

/** A small deterministic generator, so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

it('[PLAT-16] the PostgreSQL store decides every take exactly as the pure policy (the in-process store) does', async () => {
  const pg = createPostgresBudgetStore(pools[0]!);
  const memory = createMemoryBudgetStore();
  const next = random(16);
  for (const definition of [daily, window, bucket]) {
    // Starting an hour before a Stockholm midnight, so daily windows roll over during the run.
    let now = Date.parse('2026-11-29T22:00:00Z');
    const decisions: Array<[Decision, Decision]> = [];
    for (let i = 0; i < 400; i++) {
      now += Math.floor(next() * (definition === daily ? 30_000 : 40));
      if (next() < 0.02) {
        const until = now + Math.floor(next() * 500);
        await pg.markSpent(definition.name, until);
        await memory.markSpent(definition.name, until);
        continue;
      }
      const cost = 1 + Math.floor(next() * 3);
      const maxWaitMs = next() < 0.5 ? 0 : Math.floor(next() * 50);
      decisions.push([
        await pg.take(definition, cost, now, maxWaitMs),
        await memory.take(definition, cost, now, maxWaitMs),
      ]);
    }
    for (const [fromPostgres, fromMemory] of decisions) expect(fromPostgres).toEqual(fromMemory);
    expect(decisions.filter(([d]) => d.granted).length).toBeGreaterThan(20);
    expect(decisions.filter(([d]) => !d.granted).length).toBeGreaterThan(20);
    expect(await pg.read(definition.name)).toEqual(await memory.read(definition.name));
  }
});

async function takeConcurrently(
  stores: RateBudgetStore[],
  definition: BudgetDefinition,
  takers: number,
  now: number,
  maxWaitMs = 0,
): Promise<Decision[]> {
  return Promise.all(
    Array.from({ length: takers }, (_, i) => stores[i % stores.length]!.take(definition, 1, now, maxWaitMs)),
  );
}

it('[PLAT-16] 600 concurrent takers over four pools get exactly the daily budget of 100, never more', async () => {
  const stores = pools.map((p) => createPostgresBudgetStore(p));
  const now = Date.parse('2026-11-29T12:00:00Z');
  // A budget nobody has taken from yet: the first takers race to create its row too.
  const decisions = await takeConcurrently(stores, daily, 600, now);
  expect(decisions.filter((d) => d.granted)).toHaveLength(100);
  for (const d of decisions.filter((d) => !d.granted)) {
    expect(d).toEqual({ granted: false, availableAt: Date.parse('2026-11-29T23:00:00Z'), spentBy: 'limit' });
  }
  expect(await stores[1]!.read(daily.name)).toMatchObject({ used: 100 });
  // The next local day has the whole budget again, still never more.
  const tomorrow = await takeConcurrently(stores, daily, 300, Date.parse('2026-11-29T23:00:00Z'));
  expect(tomorrow.filter((d) => d.granted)).toHaveLength(100);
});

it('[PLAT-16] concurrent takers of a token bucket get the burst, then distinct reserved slots within their wait', async () => {
  const stores = pools.map((p) => createPostgresBudgetStore(p));
  const now = 1_800_000_000_000;
  const atOnce = await takeConcurrently(stores, bucket, 200, now);
  expect(atOnce.filter((d) => d.granted)).toHaveLength(20);

  // Later, each allowed to wait up to 100 ms: the 20 refilled at once, then one slot per 5 ms.
  const later = await takeConcurrently(stores, bucket, 200, now + 1000, 100);
  const waits = later.flatMap((d) => (d.granted ? [d.waitMs] : [])).sort((a, b) => a - b);
  expect(waits).toHaveLength(40);
  expect(waits.slice(0, 20)).toEqual(Array(20).fill(0));
  expect(waits.slice(20)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 5));
});

it('[PLAT-16] a 429 seen by one process spends the budget for all, through the composition root’s createRateBudgets', async () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const clock = () => now;
  const [a, b] = await Promise.all(
    pools.slice(0, 2).map((p) => createRateBudgets([daily, window, bucket], p, { clock })),
  );
  expect(a!.store.kind).toBe('postgres');
  await a!.get('winlas-api').markSpent(now + 30_000);
  const err = await b!
    .get('winlas-api')
    .acquire()
    .catch((e: unknown) => e);
  expect(spentBudgetOf(err)?.availableAt).toBe(new Date(now + 30_000).toISOString());
  expect(await b!.get('coachview-rest').remaining()).toBe(100);
  // Without a pool, the process counts in memory.
  expect((await createRateBudgets([daily])).store.kind).toBe('memory');
});

it('[PLAT-16] with DATABASE_URL set the worker keeps its budgets in PostgreSQL, on the pool it shares', async () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const config = loadConfig({
    CODEC_KEYS: JSON.stringify({ k1: key }),
    CODEC_ACTIVE_KEY_ID: 'k1',
    DATABASE_URL: db.url,
  });
  const neededBy: string[] = [];
  const budgets = await rateBudgetsFromConfig(config, (why) => {
    neededBy.push(why);
    return pools[3]!;
  });
  expect(budgets.store.kind).toBe('postgres');
  expect(neededBy).toEqual(['the rate budgets (PLAT-16)']);
  await budgets.get('coachview-rest').acquire(3);
  expect(await createPostgresBudgetStore(pools[0]!).read('coachview-rest')).toMatchObject({ used: 3 });
});
