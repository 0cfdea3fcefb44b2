import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { intakeSecrets, loadConfig } from '../../../platform/config';
import { createLogger } from '../../../platform/logging';
import { Secret } from '../../../platform/secret';
import { startIntakeServer, type IntakeServer } from '../../../services/intake';
import {
  MemorySeenDeliveries,
  PostgresSeenDeliveries,
  seenDeliveriesFromConfig,
  type SeenDeliveries,
} from '../../../services/intake/seen-deliveries';
import { startAnewspringSimulator, type AnewspringSimulator } from '../../../simulators/anewspring';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { fakeGradeReturnStarter } from './fakes';
import { signedHeaders } from './signed';

const SECRET = 'anewspring-shared-secret';
const TOLERANCE = 120;

const completionEvent = (userId: string) =>
  JSON.stringify({
    id: randomUUID(),
    event: 'course.completed',
    createdAt: '2026-03-01T09:15:02Z',
    data: {
      userId,
      courseId: 'ELC-12',
      score: 80,
      grade: '8',
      passed: true,
      completedAt: '2026-03-01T09:15:00Z',
    },
  });

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new Pool({ connectionString: db.url, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const stores: Array<[string, () => Promise<SeenDeliveries>]> = [
  ['in memory (local stack)', async () => new MemorySeenDeliveries()],
  ['in PostgreSQL (replicas)', () => PostgresSeenDeliveries.create(pool)],
];

describe.each(stores)('signed webhook deliveries, seen ids %s', (_name, makeStore) => {
  const starter = fakeGradeReturnStarter();
  let intake: IntakeServer;
  let ans: AnewspringSimulator;

  beforeAll(async () => {
    intake = await startIntakeServer({
      port: 0,
      secrets: { ilias: new Secret('unused-ilias-secret'), anewspring: new Secret(SECRET) },
      startGradeReturn: starter.start,
      seenDeliveries: await makeStore(),
      signatureToleranceSeconds: TOLERANCE,
    });
    ans = await startAnewspringSimulator({
      webhookUrl: `${intake.url}/webhooks/anewspring`,
      webhookSecret: SECRET,
      retryDelaysMs: [20],
    });
    ans.state.seed({
      users: ['A', 'B', 'C', 'D', 'E', 'F'].map((s) => ({ userId: `CV-${s}-${_name.length}` })),
      courses: [{ courseId: 'ELC-12', name: 'Veilig werken' }],
    });
  });
  afterEach(() => {
    starter.calls.length = 0;
    ans.state.webhook.clockOffsetSeconds = 0;
  });
  afterAll(async () => {
    await ans?.close();
    await intake?.close();
  });

  const user = (s: string) => `CV-${s}-${_name.length}`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${intake.url}/webhooks/anewspring`, { method: 'POST', headers, body });

  it('[PLAT-15] a resent delivery id is answered as a duplicate and starts nothing', async () => {
    const { delivery } = await ans.state.complete({ userId: user('A'), courseId: 'ELC-12', grade: '8' });
    expect(delivery.outcome).toBe('delivered');
    expect(starter.calls).toHaveLength(1);

    const res = await fetch(`${ans.url}/__admin/deliveries/${delivery.deliveryId}/redeliver`, {
      method: 'POST',
    });
    const again = (await res.json()) as { outcome: string; attempts: { status: number; response: string }[] };
    expect(again.outcome).toBe('delivered');
    expect(again.attempts[0]?.status).toBe(200);
    expect(JSON.parse(again.attempts[0]?.response ?? '')).toEqual({
      outcome: 'duplicate',
      deliveryId: delivery.deliveryId,
    });
    expect(starter.calls).toHaveLength(1);
  });

  it('[PLAT-15] a captured request sent again byte for byte is dropped', async () => {
    const body = completionEvent(user('B'));
    const headers = signedHeaders('anewspring', body, SECRET);
    expect((await post(body, headers)).status).toBe(202);
    const replay = await post(body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: 'duplicate' });
    expect(starter.calls).toHaveLength(1);
  });

  it('[PLAT-15] a stale delivery and one signed too far ahead are refused; skew inside the tolerance passes', async () => {
    ans.state.webhook.clockOffsetSeconds = -(TOLERANCE + 60);
    const stale = await ans.state.complete({ userId: user('C'), courseId: 'ELC-12', grade: '7' });
    expect(stale.delivery.outcome).toBe('rejected');
    expect(stale.delivery.attempts[0]).toMatchObject({
      status: 401,
      response: expect.stringContaining('ago'),
    });

    ans.state.webhook.clockOffsetSeconds = TOLERANCE + 60;
    const future = await ans.state.complete({ userId: user('C'), courseId: 'ELC-12', grade: '7' });
    expect(future.delivery.attempts[0]).toMatchObject({
      status: 401,
      response: expect.stringContaining('future'),
    });
    expect(starter.calls).toHaveLength(0);

    ans.state.webhook.clockOffsetSeconds = -(TOLERANCE - 30);
    const skewed = await ans.state.complete({ userId: user('C'), courseId: 'ELC-12', grade: '7' });
    expect(skewed.delivery.outcome).toBe('delivered');
    expect(starter.calls).toHaveLength(1);
  });

  it('[PLAT-15] a tampered body, delivery id or timestamp is refused, and a refused id stays usable', async () => {
    const body = completionEvent(user('D'));
    const deliveryId = randomUUID();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders('anewspring', body, SECRET, { deliveryId, timestamp });
    const tampered = [
      post(body.replace('"grade":"8"', '"grade":"10"'), headers),
      post(body, { ...headers, 'x-delivery-id': randomUUID() }),
      post(body, {
        ...headers,
        'x-ans-signature': headers['x-ans-signature']!.replace(`t=${timestamp}`, `t=${timestamp + 1}`),
      }),
    ];
    for (const res of await Promise.all(tampered)) expect(res.status).toBe(401);
    expect(starter.calls).toHaveLength(0);
    expect((await post(body, headers)).status).toBe(202);
    expect(starter.calls).toHaveLength(1);
  });

  it('[PLAT-15] when the start fails the id is released, so the sender retry with the same id is taken', async () => {
    starter.failNext(1);
    const { delivery } = await ans.state.complete({ userId: user('E'), courseId: 'ELC-12', grade: '6' });
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 202]);
    expect(new Set(delivery.attempts.map((a) => a.deliveryId)).size).toBe(1);
    expect(starter.calls).toHaveLength(2);
    expect(starter.started.has(`grade-return:anewspring:ELC-12:${user('E')}`)).toBe(true);
  });
});

describe('seen delivery ids shared by intake replicas', () => {
  it('[PLAT-15] a delivery taken by one replica is a duplicate at the other, and a race has one winner', async () => {
    const starters = [fakeGradeReturnStarter(), fakeGradeReturnStarter()];
    const replicas = await Promise.all(
      starters.map(async (starter) =>
        startIntakeServer({
          port: 0,
          secrets: { ilias: new Secret('unused-ilias-secret'), anewspring: new Secret(SECRET) },
          startGradeReturn: starter.start,
          seenDeliveries: await PostgresSeenDeliveries.create(pool),
        }),
      ),
    );
    try {
      const body = completionEvent('CV-R1');
      const headers = signedHeaders('anewspring', body, SECRET);
      const send = (i: number) =>
        fetch(`${replicas[i]!.url}/webhooks/anewspring`, { method: 'POST', headers, body });
      expect((await send(0)).status).toBe(202);
      const atOther = await send(1);
      expect(atOther.status).toBe(200);
      expect(await atOther.json()).toMatchObject({ outcome: 'duplicate' });

      const raceBody = completionEvent('CV-R2');
      const raceHeaders = signedHeaders('anewspring', raceBody, SECRET);
      const race = await Promise.all(
        replicas.map((r) =>
          fetch(`${r.url}/webhooks/anewspring`, { method: 'POST', headers: raceHeaders, body: raceBody }),
        ),
      );
      expect(race.map((r) => r.status).sort()).toEqual([200, 202]);
      expect(starters[0]!.calls.length + starters[1]!.calls.length).toBe(2);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('[PLAT-15] ids expire: memory by its clock, PostgreSQL by the database clock', async () => {
    let now = 1_000_000;
    const memory = new MemorySeenDeliveries(60, () => now);
    expect(await memory.claim('ilias', 'd-1')).toBe(true);
    expect(await memory.claim('ilias', 'd-1')).toBe(false);
    expect(await memory.claim('anewspring', 'd-1')).toBe(true);
    now += 61_000;
    expect(await memory.claim('ilias', 'd-1')).toBe(true);
    now += 120_000;
    await memory.claim('ilias', 'd-2');
    expect(memory.size).toBe(1);

    const shortLived = await PostgresSeenDeliveries.create(pool, 1);
    const id = randomUUID();
    expect(await shortLived.claim('ilias', id)).toBe(true);
    expect(await shortLived.claim('ilias', id)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await shortLived.claim('ilias', id)).toBe(true);
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM intake_seen_deliveries WHERE delivery_id = $1',
      [id],
    );
    expect(rows[0]?.n).toBe('1');
  });
});

describe('the intake process chooses where seen delivery ids live', () => {
  const base = {
    CODEC_KEYS: JSON.stringify({ k: Buffer.alloc(32, 3).toString('base64') }),
    CODEC_ACTIVE_KEY_ID: 'k',
    INTAKE_ILIAS_SECRET: 'ilias-secret-of-this-school',
    INTAKE_ANEWSPRING_SECRET: 'anewspring-secret-of-this-school',
  };
  const logger = createLogger('error', 'intake-test');

  it('[PLAT-15] PostgreSQL when DATABASE_URL is set; production refuses memory; locally memory', async () => {
    const shared = await seenDeliveriesFromConfig(
      loadConfig({ ...base, APP_ENV: 'production', DATABASE_URL: db.url }, { usesSecret: intakeSecrets }),
      logger,
    );
    try {
      expect(shared.where).toBe('postgresql');
      const id = randomUUID();
      expect(await shared.store.claim('ilias', id)).toBe(true);
      expect(await (await PostgresSeenDeliveries.create(pool)).claim('ilias', id)).toBe(false);
    } finally {
      await shared.close();
    }
    await expect(
      seenDeliveriesFromConfig(
        loadConfig({ ...base, APP_ENV: 'production' }, { usesSecret: intakeSecrets }),
        logger,
      ),
    ).rejects.toThrow(/DATABASE_URL \(or DATABASE_URL_FILE\): is required in production/);
    expect(
      (await seenDeliveriesFromConfig(loadConfig(base, { usesSecret: intakeSecrets }), logger)).where,
    ).toBe('memory');
  });
});
