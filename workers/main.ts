/**
 * The worker process: the composition root. It reads the configuration once, builds every client
 * (Temporal, Coachview, Moodle, SMTP) once, hands them to the activities, creates the schedules and
 * runs until SIGINT/SIGTERM, when it drains in-flight tasks and exits.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createCoachviewClient } from '../adapters/coachview';
import { mailerFromConfig } from '../adapters/mail';
import { createMoodleClient } from '../adapters/moodle';
import { gradeReturnStarter } from '../client/grade-return';
import { codecFromConfig } from '../platform/codec';
import { loadConfigOrExit } from '../platform/config';
import { createLogger, temporalLogger } from '../platform/logging';
import { connectClient, temporalConnectionSettings } from '../platform/temporal';
import { createGradeReturnWorker } from './grade-return-worker';
import { desiredSchedules, ensureSchedules } from './schedules';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'worker');
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${config.worker.metricsPort}` } } },
  });

  const codec = codecFromConfig(config.codec);
  const connection = await NativeConnection.connect(temporalConnectionSettings(config.temporal));
  const client = await connectClient(config, codec);

  const activities = createActivities({
    coachview: createCoachviewClient({
      apiBaseUrl: config.coachview.apiBaseUrl,
      clientId: config.coachview.clientId,
      clientSecret: config.coachview.clientSecret,
      resultPushUrl: config.coachview.resultPushUrl,
      pushSecret: config.coachview.pushSecret,
    }),
    mailer: mailerFromConfig(config.smtp),
    operatorRecipients: config.smtp.operatorRecipients,
    moodle: createMoodleClient({ baseUrl: config.moodle.baseUrl, token: config.moodle.token }),
    startGradeReturn: gradeReturnStarter(client, { maxDailyAttempts: config.gradeReturn.maxDailyAttempts }),
  });

  const worker = await createGradeReturnWorker({
    connection,
    namespace: config.temporal.namespace,
    activities,
    codec,
    tuning: {
      maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
    },
  });

  if (config.worker.schedulesEnabled) {
    const done = await ensureSchedules(client, desiredSchedules(config));
    logger.info({ schedules: done }, 'schedules ensured');
  }
  logger.info(
    {
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: worker.options.taskQueue,
    },
    'worker started',
  );
  await worker.run();
  await client.connection.close();
  await connection.close();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
