/**
 * Rate budgets as activities use them (PLAT-16), over the in-process store with a test clock:
 * short waits in-process, long ones answered as "spent until", a 429 spending the budget for every
 * taker, and the budgets declared in configuration.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ConfigError, loadConfig } from '../../../platform/config';
import { TransientError } from '../../../platform/errors';
import {
  RATE_BUDGET_SPENT,
  RateBudgets,
  budgeted,
  createMemoryBudgetStore,
  describeBudgets,
  rateBudgetsFromConfig,
  spentBudgetOf,
  type BudgetDefinition,
} from '../../../platform/rate-budget';

const key = Buffer.alloc(32, 7).toString('base64');
const valid = { CODEC_KEYS: JSON.stringify({ k1: key }), CODEC_ACTIVE_KEY_ID: 'k1' };

/** A clock the test moves, and a waiter that moves it instead of sleeping. */
function testClock(start: number) {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

const daily: BudgetDefinition = {
  name: 'api-daily',
  policy: { kind: 'daily', limit: 3, timeZone: 'UTC' },
  maxWaitMs: 5000,
  spreadMs: 60_000,
};
const perSecond: BudgetDefinition = {
  name: 'api-rate',
  policy: { kind: 'token-bucket', limit: 10, perMs: 1000, burst: 2 },
  maxWaitMs: 5000,
  spreadMs: 1000,
};

function budgets(start = Date.parse('2026-11-29T15:00:00Z')) {
  const clock = testClock(start);
  const store = createMemoryBudgetStore();
  const options = { clock: clock.now, wait: clock.wait };
  return {
    clock,
    store,
    a: new RateBudgets([daily, perSecond], store, options),
    b: new RateBudgets([daily, perSecond], store, options),
  };
}

it('[PLAT-16] a short wait happens in-process: a token bucket reserves the next slots and the caller waits for them', async () => {
  const { clock, a } = budgets();
  const api = a.get('api-rate');
  for (let i = 0; i < 5; i++) await api.acquire();
  // Two at once (the burst), then one every 100 ms, each caller waiting for its own slot.
  expect(clock.waits).toEqual([100, 100, 100]);
});

it('[PLAT-16] a spent daily budget is a non-retryable RateBudgetSpent failure saying when it is available again', async () => {
  const { a } = budgets();
  const api = a.get('api-daily');
  for (let i = 0; i < 3; i++) await api.acquire();
  const err = await api.acquire().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.type).toBe(RATE_BUDGET_SPENT);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toBe(
    'rate budget api-daily is spent until 2026-11-30T00:00:00.000Z (its limit is reached)',
  );
  expect(spentBudgetOf(err)).toEqual({
    budget: 'api-daily',
    availableAt: '2026-11-30T00:00:00.000Z',
    spreadMs: 60_000,
    reason: 'its limit is reached',
  });
});

it('[PLAT-16] near the end of a window the wait is short enough to happen in-process', async () => {
  const { clock, a } = budgets(Date.parse('2026-11-29T23:59:58Z'));
  const api = a.get('api-daily');
  for (let i = 0; i < 3; i++) await api.acquire();
  await api.acquire();
  expect(clock.waits).toEqual([2000]);
  expect(await api.remaining()).toBe(2);
});

it('[PLAT-16] a 429 from the API spends the budget for every taker of the store until its Retry-After', async () => {
  const { clock, a, b } = budgets();
  const rateLimited = new TransientError('Coachview', 'GET /api/v1/persons answered 429', 429, 120_000);
  const err = await a
    .get('api-daily')
    .spend(() => Promise.reject(rateLimited))
    .catch((e: unknown) => e);
  expect(spentBudgetOf(err)).toMatchObject({
    budget: 'api-daily',
    availableAt: new Date(clock.now() + 120_000).toISOString(),
    reason: 'Coachview answered 429',
  });
  // Another worker's budgets over the same store: spent too, although the count had units left.
  const other = await b
    .get('api-daily')
    .acquire()
    .catch((e: unknown) => e);
  expect(spentBudgetOf(other)).toMatchObject({
    availableAt: new Date(clock.now() + 120_000).toISOString(),
    reason: 'the API answered 429 and asked to wait',
  });
  // Other errors pass through untouched and spend nothing more.
  const boom = new TransientError('Coachview', 'GET answered 503', 503);
  await clock.wait(120_000);
  await expect(b.get('api-daily').spend(() => Promise.reject(boom))).rejects.toBe(boom);
  expect(await b.get('api-daily').remaining()).toBe(1);
});

it('[PLAT-16] a budgeted activity answers a spent budget as a value, and passes other errors on', async () => {
  const { a } = budgets();
  const api = a.get('api-daily');
  const lookup = budgeted(async (id: string) => {
    await api.acquire();
    return `found ${id}`;
  });
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await lookup(`p${i}`));
  expect(answers.slice(0, 3)).toEqual([
    { kind: 'done', value: 'found p0' },
    { kind: 'done', value: 'found p1' },
    { kind: 'done', value: 'found p2' },
  ]);
  expect(answers[3]).toEqual({
    kind: 'rate-budget-spent',
    spent: {
      budget: 'api-daily',
      availableAt: '2026-11-30T00:00:00.000Z',
      spreadMs: 60_000,
      reason: 'its limit is reached',
    },
  });
  const failing = budgeted(async () => {
    throw new Error('not a budget');
  });
  await expect(failing()).rejects.toThrow('not a budget');
});

it('[PLAT-16] an undeclared budget name is a wiring mistake', () => {
  const { a } = budgets();
  expect(() => a.get('coachview')).toThrow(
    'rate budget coachview is not declared (declared: api-daily, api-rate)',
  );
});

describe('budgets in configuration', () => {
  it('[PLAT-16] Coachview, WISEflow, InfoCaption and WinLas are declared by default; the store follows DATABASE_URL', () => {
    const config = loadConfig(valid);
    expect(config.rateBudgets.budgets).toEqual([
      {
        name: 'coachview-rest',
        policy: { kind: 'daily', limit: 5000, timeZone: 'UTC' },
        maxWaitMs: 5000,
        spreadMs: 30 * 60_000,
      },
      {
        name: 'wiseflow-api',
        policy: { kind: 'token-bucket', limit: 180, perMs: 1000, burst: 20 },
        maxWaitMs: 5000,
        spreadMs: 1000,
      },
      {
        name: 'wiseflow-api-minute',
        policy: { kind: 'fixed-window', limit: 4800, windowMs: 60_000 },
        maxWaitMs: 5000,
        spreadMs: 60_000,
      },
      {
        name: 'infocaption-api',
        policy: { kind: 'token-bucket', limit: 9, perMs: 1000, burst: 1 },
        maxWaitMs: 5000,
        spreadMs: 1000,
      },
      {
        name: 'winlas-api',
        policy: { kind: 'token-bucket', limit: 18, perMs: 1000, burst: 2 },
        maxWaitMs: 5000,
        spreadMs: 1000,
      },
    ]);
    expect(config.rateBudgets.store).toBeUndefined();
  });

  it('[PLAT-16] RATE_BUDGETS replaces a budget by name and adds new ones', () => {
    const config = loadConfig({
      ...valid,
      RATE_BUDGETS: JSON.stringify({
        'coachview-rest': { kind: 'daily', limit: 4500, timeZone: 'Europe/Stockholm', spread: '1h' },
        'winlas-api': { kind: 'fixed-window', limit: 60, window: '1m', maxWait: '2s' },
      }),
    });
    const byName = Object.fromEntries(config.rateBudgets.budgets.map((b) => [b.name, b]));
    expect(byName['coachview-rest']).toEqual({
      name: 'coachview-rest',
      policy: { kind: 'daily', limit: 4500, timeZone: 'Europe/Stockholm' },
      maxWaitMs: 5000,
      spreadMs: 3_600_000,
    });
    expect(byName['winlas-api']).toEqual({
      name: 'winlas-api',
      policy: { kind: 'fixed-window', limit: 60, windowMs: 60_000 },
      maxWaitMs: 2000,
      spreadMs: 60_000,
    });
    expect(byName['wiseflow-api']?.policy.kind).toBe('token-bucket');
  });

  it('[PLAT-16] a bad budget stops start-up naming RATE_BUDGETS and the reason', () => {
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig({ ...valid, ...env });
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      return [];
    };
    expect(problems({ RATE_BUDGETS: '{nope' })).toEqual([
      expect.stringMatching(/^RATE_BUDGETS: must be JSON/),
    ]);
    expect(
      problems({ RATE_BUDGETS: '{"x": {"kind": "daily", "limit": 5, "timeZone": "Mars/Olympus"}}' }),
    ).toEqual([expect.stringMatching(/^RATE_BUDGETS: .*IANA time zone/)]);
    expect(
      problems({ RATE_BUDGETS: '{"x": {"kind": "token-bucket", "limit": 5, "per": "1s", "burst": 9}}' }),
    ).toEqual([expect.stringMatching(/^RATE_BUDGETS: .*burst must not exceed limit/)]);
    expect(
      problems({ RATE_BUDGETS: '{"x": {"kind": "fixed-window", "limit": 5, "window": "soon"}}' }),
    ).toEqual([expect.stringMatching(/^RATE_BUDGETS: .*duration/)]);
    expect(problems({ RATE_BUDGET_STORE: 'postgres' })).toEqual([
      'RATE_BUDGET_STORE: postgres needs DATABASE_URL (or DATABASE_URL_FILE)',
    ]);
  });
});

describe('budgets in the composition root', () => {
  const noDatabase = (): never => {
    throw new Error('no pool expected');
  };

  it('[PLAT-16] without DATABASE_URL a worker counts in memory and says so at start', async () => {
    const budgets = await rateBudgetsFromConfig(loadConfig(valid), noDatabase);
    expect(budgets.store.kind).toBe('memory');
    expect(describeBudgets(budgets)).toEqual({
      'coachview-rest': '5000 a day (UTC)',
      'wiseflow-api': '180 per 1000 ms, bursts of 20',
      'wiseflow-api-minute': '4800 per 60000 ms',
      'infocaption-api': '9 per 1000 ms, bursts of 1',
      'winlas-api': '18 per 1000 ms, bursts of 2',
    });
  });

  it('[PLAT-16] production refuses budgets kept per process', async () => {
    const config = { ...loadConfig(valid), environment: 'production' as const };
    await expect(rateBudgetsFromConfig(config, noDatabase)).rejects.toThrow(
      /^RATE_BUDGET_STORE: production keeps rate budgets in PostgreSQL/,
    );
  });
});
