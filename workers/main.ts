/**
 * The worker process: the composition root. It reads the configuration once, builds every client
 * (Temporal, Coachview, Moodle, itslearning, ProCapita, SMTP, the snapshot store) once, hands them to
 * the activities, runs one worker per task queue, creates the schedules, and on SIGINT/SIGTERM drains
 * in-flight tasks and exits.
 */
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import {
  createGradeReturnQueueActivities,
  createRosterSyncActivities,
  createStoreActivities,
} from '../activities';
import { createCompetenceActivities } from '../activities/competences';
import { createCoachviewClient } from '../adapters/coachview';
import { createInfoCaptionClient } from '../adapters/infocaption';
import { createItslearningClient } from '../adapters/itslearning';
import { mailerFromConfig } from '../adapters/mail';
import { createMoodleClient } from '../adapters/moodle';
import { createPraktikportalenClient } from '../adapters/praktikportalen';
import { createWiseflowClient } from '../adapters/wiseflow';
import { createFlowSyncActivities } from '../activities/wiseflow';
import { createWinLasClient } from '../adapters/winlas';
import { coachviewIncidentStarter } from '../client/coachview-incident';
import { gradeReturnStarter } from '../client/grade-return';
import { codecFromConfig } from '../platform/codec';
import { loadConfigOrExit } from '../platform/config';
import { createLogger, temporalLogger } from '../platform/logging';
import { taskQueues, type TaskQueue } from '../platform/names';
import { createPool } from '../platform/postgres';
import { describeBudgets, rateBudgetsFromConfig } from '../platform/rate-budget';
import { snapshotStoreFromConfig } from '../platform/store';
import { connectClient, temporalConnectionSettings } from '../platform/temporal';
import { createIntegrationWorker } from './create-worker';
import { buildRosterSource, loadSafetyThresholds } from './roster-source';
import { desiredSchedules, ensureSchedules } from './schedules';
import { workflowCodeFor, type WorkflowCode } from './workflow-modules';

/** `host:port`, with an IPv6 host in brackets. */
const hostPort = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, { opensStore: true });
  const logger = createLogger(config.logLevel, 'worker');
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: {
      metrics: { prometheus: { bindAddress: hostPort(config.listenHost, config.worker.metricsPort) } },
    },
  });

  const codec = codecFromConfig(config.codec);
  const connection = await NativeConnection.connect(temporalConnectionSettings(config.temporal));
  const client = await connectClient(config, codec);
  const mailer = mailerFromConfig(config.smtp);
  const tuning = {
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  };
  const common = { connection, namespace: config.temporal.namespace, codec, tuning };
  const cleanups: Array<() => Promise<void>> = [];
  // One pool to the platform's PostgreSQL per process (PLAT-12), made when a piece first needs it.
  let pool: Pool | undefined;
  const database = (neededBy: string): Pool => {
    if (!pool) {
      const created = createPool(config.database, logger, neededBy);
      cleanups.push(() => created.end());
      pool = created;
    }
    return pool;
  };
  // Budgets of rate-limited outside APIs, one per API for every worker process (PLAT-16).
  const rateBudgets = await rateBudgetsFromConfig(config, database);
  const workflowSources: Record<string, string> = {};
  const workflowCode = (queue: TaskQueue): WorkflowCode => {
    const code = workflowCodeFor(queue);
    workflowSources[queue] = 'bundle' in code ? code.bundle.codePath : `${code.path} (bundled at start)`;
    return code;
  };

  const workers: Worker[] = [];
  if (config.gradeReturn.enabled) {
    workers.push(
      await createIntegrationWorker({
        ...common,
        taskQueue: taskQueues.gradeReturn,
        workflows: workflowCode(taskQueues.gradeReturn),
        activities: createGradeReturnQueueActivities({
          coachview: createCoachviewClient({
            apiBaseUrl: config.coachview.apiBaseUrl,
            clientId: config.coachview.clientId,
            clientSecret: config.coachview.clientSecret,
            resultPushUrl: config.coachview.resultPushUrl,
            pushSecret: config.coachview.pushSecret,
            // Coachview's 5,000 REST requests a day, shared by every worker (PLAT-16, docs/rate-budgets.md).
            restBudget: rateBudgets.get('coachview-rest'),
          }),
          mailer,
          operatorRecipients: config.smtp.operatorRecipients,
          timeZones: config.gradeReturn.timeZones,
          // The shared snapshot of Coachview (CV-6), shared between worker processes through the store.
          coachviewSnapshot: {
            store: (await snapshotStoreFromConfig(config, database)).store,
            maxAgeMs: config.coachview.snapshotMaxAgeMinutes * 60_000,
          },
          attemptWindow: { ...config.gradeReturn.attemptWindow, timeZone: config.coachview.timeZone },
          // A platform-wide Coachview problem is reported once, by one incident workflow (CV-6).
          startCoachviewIncident: coachviewIncidentStarter(client),
          moodle: createMoodleClient({ baseUrl: config.moodle.baseUrl, token: config.moodle.token }),
          startGradeReturn: gradeReturnStarter(client, {
            maxDailyAttempts: config.gradeReturn.maxDailyAttempts,
          }),
        }),
      }),
    );
  }

  if (config.rosterSync.enabled) {
    const roster = config.rosterSync;
    const source = await buildRosterSource(config);
    cleanups.push(source.close);
    const { store, whereIs } = await snapshotStoreFromConfig(config, database);
    workers.push(
      await createIntegrationWorker({
        ...common,
        taskQueue: taskQueues.rosterSync,
        workflows: workflowCode(taskQueues.rosterSync),
        activities: {
          ...createStoreActivities({ store }),
          ...createRosterSyncActivities({
            store,
            rosterSource: source,
            itslearning: createItslearningClient({
              baseUrl: roster.itslearningUrl,
              apiKey: roster.itslearningApiKey,
              syncKeySource: roster.syncKeySource,
            }),
            mailer,
            statusRecipients: roster.statusRecipients,
            syncKeySource: roster.syncKeySource,
            safetyThresholds: await loadSafetyThresholds(roster.safetyThresholdsFile),
            batchSize: roster.batchSize,
            planViewHint: (key) => `npm run client -- show-stored ${key}   (${whereIs(key)})`,
            courseArchiving: roster.courseArchiving,
          }),
        },
      }),
    );
  }

  if (config.competences.enabled) {
    const c = config.competences;
    const { store } = await snapshotStoreFromConfig(config, database);
    workers.push(
      await createIntegrationWorker({
        ...common,
        taskQueue: taskQueues.competences,
        workflows: workflowCode(taskQueues.competences),
        activities: createCompetenceActivities({
          // Both APIs limit requests a second, shared by every worker (PLAT-16, docs/rate-budgets.md).
          infocaption: createInfoCaptionClient({
            baseUrl: c.infocaptionUrl,
            clientId: c.infocaptionClientId,
            clientSecret: c.infocaptionClientSecret,
            rateBudget: rateBudgets.get('infocaption-api'),
          }),
          winlas: createWinLasClient({
            baseUrl: c.winlasUrl,
            apiKey: c.winlasApiKey,
            rateBudget: rateBudgets.get('winlas-api'),
          }),
          store,
          mailer,
          reportRecipients: c.reportRecipients,
          timeZone: c.timeZone,
          hitsPerPage: c.hitsPerPage,
          concurrency: c.concurrency,
          directoryPageSize: 500,
        }),
      }),
    );
  }

  if (config.wiseflow.enabled) {
    const w = config.wiseflow;
    workers.push(
      await createIntegrationWorker({
        ...common,
        taskQueue: taskQueues.wiseflow,
        workflows: workflowCode(taskQueues.wiseflow),
        activities: createFlowSyncActivities({
          wiseflow: createWiseflowClient({
            baseUrl: w.apiUrl,
            clientId: w.clientId,
            clientSecret: w.clientSecret,
            clientName: w.clientName,
            // WISEflow's 200 requests a second and 5,000 a minute per credential set, shared by every worker (PLAT-16).
            rateBudget: rateBudgets.get('wiseflow-api'),
            rateBudgets: [rateBudgets.get('wiseflow-api-minute')],
          }),
          praktikportalen: createPraktikportalenClient({
            baseUrl: w.praktikportalenUrl,
            apiKey: w.praktikportalenApiKey,
          }),
          praktikportalenUserDataTypeId: w.praktikportalenUserDataTypeId,
          mailer,
          operatorRecipients: config.smtp.operatorRecipients,
        }),
      }),
    );
  }

  if (config.worker.schedulesEnabled) {
    const done = await ensureSchedules(client, desiredSchedules(config));
    logger.info({ schedules: done }, 'schedules ensured');
  }
  logger.info(
    {
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueues: workers.map((w) => w.options.taskQueue),
      workflowCode: workflowSources,
      rateBudgets: { store: rateBudgets.store.kind, ...describeBudgets(rateBudgets) },
    },
    'worker started',
  );
  await Promise.all(workers.map((w) => w.run()));
  for (const cleanup of cleanups) await cleanup();
  await client.connection.close();
  await connection.close();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
