/**
 * A short wait for a rate budget inside an activity (PLAT-16): it heartbeats what it waits for,
 * stays within half the activity's start-to-close timeout, and ends when the activity is cancelled.
 */
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  RateBudget,
  createMemoryBudgetStore,
  spentBudgetOf,
  type BudgetDefinition,
} from '../../../platform/rate-budget';

const silent = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

// Two at once, then one every 400 ms.
const definition: BudgetDefinition = {
  name: 'wiseflow-api',
  policy: { kind: 'token-bucket', limit: 5, perMs: 2000, burst: 2 },
  maxWaitMs: 5000,
  spreadMs: 1000,
};

it('[PLAT-16] an activity waiting for its slot heartbeats the budget it waits for, then goes on', async () => {
  const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 30_000 }, { logger: silent });
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  const budget = new RateBudget(definition, createMemoryBudgetStore());
  const started = Date.now();
  await env.run(async () => {
    for (let i = 0; i < 3; i++) await budget.acquire();
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  expect(beats).toEqual([{ waitingForRateBudget: 'wiseflow-api', until: expect.any(String) }]);
});

it('[PLAT-16] a wait longer than half the start-to-close timeout goes back to the workflow instead', async () => {
  const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 600 }, { logger: silent });
  const budget = new RateBudget(definition, createMemoryBudgetStore());
  const err = await env
    .run(async () => {
      for (let i = 0; i < 3; i++) await budget.acquire();
    })
    .catch((e: unknown) => e);
  expect(spentBudgetOf(err)).toMatchObject({ budget: 'wiseflow-api', reason: 'its limit is reached' });
});

it('[PLAT-16] cancelling the activity ends its wait', async () => {
  const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 }, { logger: silent });
  const slow: BudgetDefinition = {
    ...definition,
    policy: { kind: 'token-bucket', limit: 1, perMs: 20_000, burst: 1 },
  };
  const budget = new RateBudget(slow, createMemoryBudgetStore());
  const started = Date.now();
  const run = env.run(async () => {
    await budget.acquire();
    await budget.acquire(1, { maxWaitMs: 20_000 });
  });
  setTimeout(() => env.cancel(), 200);
  await expect(run).rejects.toBeInstanceOf(CancelledFailure);
  expect(Date.now() - started).toBeLessThan(5000);
});
