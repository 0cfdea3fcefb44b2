/**
 * Retention of the snapshot store as operators run it (PLAT-12, PLAT-6): the `store-retention`
 * schedule, created from configuration, starts the retention workflow on the roster-sync queue,
 * whose activity removes what the PostgreSQL store holds past STORE_RETENTION_DAYS (dev server).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createStoreActivities, type RetentionResult } from '../../../activities';
import { loadConfig } from '../../../platform/config';
import { createLogger } from '../../../platform/logging';
import { taskQueues } from '../../../platform/names';
import { createPool } from '../../../platform/postgres';
import { rosterSyncKeys, snapshotStoreFromConfig } from '../../../platform/store';
import { createIntegrationWorker } from '../../../workers/create-worker';
import { desiredSchedules, ensureSchedules } from '../../../workers/schedules';
import { testCodec, testCodecKeys } from '../../support/codec';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createDevServerEnv, workflowBundle } from '../../support/temporal';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let pool: Pool | undefined;

beforeAll(async () => {
  env = await createDevServerEnv();
  db = await createTestDatabase();
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  await env?.teardown();
});

it('[PLAT-12][PLAT-6] the store-retention schedule removes the runs stored more than STORE_RETENTION_DAYS ago', async () => {
  const config = loadConfig({
    CODEC_KEYS: JSON.stringify(testCodecKeys),
    CODEC_ACTIVE_KEY_ID: 'test-2026-a',
    ROSTER_SYNC_ENABLED: 'true',
    GRADE_RETURN_ENABLED: 'false',
    STORE_BACKEND: 'postgres',
    DATABASE_URL: db.url,
    STORE_RETENTION_DAYS: '20',
  });
  const { store } = await snapshotStoreFromConfig(config, (neededBy) => {
    pool = createPool(config.database, createLogger('warn', 'test'), neededBy);
    return pool;
  });
  for (const run of ['run-old', 'run-new']) {
    for (const key of Object.values(rosterSyncKeys(run))) await store.putJson(key, { run });
  }
  await pool!.query(
    "UPDATE snapshot_objects SET stored_at = now() - interval '21 days' WHERE key LIKE 'roster-sync/run-old/%'",
  );

  const schedules = desiredSchedules(config).filter((s) => s.scheduleId === 'store-retention');
  expect(await ensureSchedules(env.client, schedules)).toEqual({ 'store-retention': 'created' });
  const schedule = env.client.schedule.getHandle('store-retention');
  const described = await schedule.describe();
  expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });
  expect(described.action).toMatchObject({
    workflowType: 'storeRetentionWorkflow',
    taskQueue: taskQueues.rosterSync,
  });
  expect(described.action.type === 'startWorkflow' && described.action.args).toEqual([{ retentionDays: 20 }]);

  const worker = await createIntegrationWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: taskQueues.rosterSync,
    codec: testCodec(),
    workflows: { bundle: await workflowBundle(taskQueues.rosterSync) },
    activities: createStoreActivities({ store }),
  });
  const result = await worker.runUntil(async () => {
    await schedule.trigger();
    for (let i = 0; i < 100; i++) {
      const started = (await schedule.describe()).info.recentActions[0]?.action;
      if (started?.type === 'startWorkflow') {
        return (await env.client.workflow
          .getHandle(started.workflow.workflowId, started.workflow.firstExecutionRunId)
          .result()) as RetentionResult;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the schedule started no workflow');
  });

  expect(result).toMatchObject({ retentionDays: 20, removed: 3, folders: ['roster-sync/run-old'] });
  expect(Date.now() - Date.parse(result.cutoff)).toBeGreaterThanOrEqual(20 * 86_400_000);
  expect(await store.list('roster-sync/')).toEqual(Object.values(rosterSyncKeys('run-new')).sort());
});
