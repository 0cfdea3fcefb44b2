/**
 * A worker process killed in the middle of a competence backfill, on the real Temporal dev server,
 * with the store and the rate budgets in PostgreSQL: the restarted worker resumes from the activity's
 * heartbeat and the pages marked done, and WinLas ends with exactly one registration per person and
 * competence (CW-9, CW-5).
 */
import type { Client } from '@temporalio/client';
import { linkCompetences } from '../../../client/competences';
import { competenceLinkWorkflowId } from '../../../domain/competences';
import type { RunningDevServer } from '../../../stack/temporal-dev-server';
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../../simulators/infocaption';
import { startWinLasSimulator, type WinLasSimulator } from '../../../simulators/winlas';
import { waitForLink } from '../../support/competences-harness';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { freePort } from '../../support/ports';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { spawnWorkerProcess, waitForExit } from '../../support/worker-process';

jest.setTimeout(180_000);

let dev: TestDevServer;
let server: RunningDevServer;
let client: Client;
let infocaption: InfoCaptionSimulator;
let winlas: WinLasSimulator;
let database: TestDatabase;

beforeAll(async () => {
  dev = await startTestDevServer('competence-crash');
  ({ server, client } = dev);
  infocaption = await startInfoCaptionSimulator({ rateLimitPerSecond: null });
  winlas = await startWinLasSimulator({ rateLimitPerSecond: null });
  database = await createTestDatabase();
});

afterAll(async () => {
  await infocaption?.close();
  await winlas?.close();
  await dev?.stop();
  await database?.drop();
});

const PARTICIPANTS = 240;
const HITS_PER_PAGE = 10;

it('[CW-9][CW-5] a worker killed mid-backfill finishes with exactly one registration per person and competence, finished pages not read again', async () => {
  winlas.seed({
    competences: [
      { id: 'FIRE', name: 'Fire safety', defaultValidityDays: 365 },
      { id: 'AID', name: 'First aid', defaultValidityDays: 730 },
    ],
  });
  winlas.generate({ persons: PARTICIPANTS });
  infocaption.seed({
    guides: [
      { id: 201, name: 'Fire safety online', type: 14 },
      { id: 202, name: 'Fire drill', type: 18 },
    ],
  });
  infocaption.generate({ guideIds: [201, 202], participants: PARTICIPANTS });
  const env = async () => ({
    TEMPORAL_ADDRESS: server.address,
    GRADE_RETURN_ENABLED: 'false',
    COMPETENCES_ENABLED: 'true',
    INFOCAPTION_URL: infocaption.url,
    WINLAS_URL: winlas.url,
    COMPETENCES_HITS_PER_PAGE: String(HITS_PER_PAGE),
    COMPETENCES_CONCURRENCY: '4',
    STORE_BACKEND: 'postgres',
    DATABASE_URL: database.url,
    RATE_BUDGET_STORE: 'postgres',
    RATE_BUDGETS: JSON.stringify({
      'infocaption-api': { kind: 'token-bucket', limit: 500, per: '1s', burst: 50 },
      'winlas-api': { kind: 'token-bucket', limit: 500, per: '1s', burst: 50 },
    }),
    WORKER_METRICS_PORT: String(await freePort()),
  });
  // Each WinLas answer takes 15 ms, so the backfill is still running when the worker dies.
  winlas.faults({ latencyMs: 15 });
  const first = spawnWorkerProcess(await env());
  const input = { guideIds: [201, 202], competenceIds: ['FIRE', 'AID'] };
  const workflowId = competenceLinkWorkflowId(input);
  const linked = await linkCompetences(client, input, { waitMs: 60_000 }).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${first.output()}`);
  });
  expect(linked.outcome).toBe('linked');
  const deadline = Date.now() + 60_000;
  while (winlas.state.registrations.size < 100) {
    if (Date.now() > deadline) throw new Error(`no registrations arrived:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  first.kill('SIGKILL');
  await waitForExit(first);
  const atCrash = winlas.state.registrations.size;
  expect(atCrash).toBeLessThan(PARTICIPANTS * 2);

  winlas.faults({ latencyMs: 0 });
  const second = spawnWorkerProcess(await env());
  try {
    const done = await waitForLink(client, workflowId, (s) => s.phase === 'active', 120_000);
    // Every participant passed and has a person: two competences each, made once.
    const pairs = new Map<string, number>();
    for (const r of winlas.state.registrations.values())
      pairs.set(`${r.personId}:${r.competenceId}`, (pairs.get(`${r.personId}:${r.competenceId}`) ?? 0) + 1);
    expect(pairs.size).toBe(PARTICIPANTS * 2);
    expect([...pairs.values()].every((n) => n === 1)).toBe(true);
    expect(done.backfill.passed).toBeGreaterThanOrEqual(PARTICIPANTS);
    // Each course is 12 pages; at most the page in flight at the crash was read twice.
    const pages = (PARTICIPANTS / 2 / HITS_PER_PAGE) * 2;
    expect(done.backfill).toMatchObject({ pagesDone: pages, totalPages: pages, done: true });
    const resultReads = infocaption.usage().requests.byRoute.results ?? 0;
    expect(resultReads).toBeGreaterThanOrEqual(pages);
    expect(resultReads).toBeLessThanOrEqual(pages + 1);
  } finally {
    second.kill('SIGTERM');
    await waitForExit(second);
  }
});
