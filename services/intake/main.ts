/**
 * Entry point of the completion intake process (docker-compose service `intake`): the Ilias and
 * aNewSpring webhooks. Each accepted completion starts a grade return through a Temporal client; the
 * grade-return worker runs it. The embedded stack starts the same server inside its own process.
 */
import { gradeReturnStarter } from '../../client/grade-return';
import { flowSyncRequester } from '../../client/wiseflow';
import { codecFromConfig } from '../../platform/codec';
import { ConfigError, intakeSecrets, loadConfigOrExit } from '../../platform/config';
import { createLogger } from '../../platform/logging';
import { closeOnSignals } from '../../platform/shutdown';
import { connectClient } from '../../platform/temporal';
import { seenDeliveriesFromConfig } from './seen-deliveries';
import { startIntakeServer } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, { usesSecret: intakeSecrets });
  const logger = createLogger(config.logLevel, 'intake');
  const seen = await seenDeliveriesFromConfig(config, logger).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(78); // EX_CONFIG, as loadConfigOrExit
  });
  const client = await connectClient(config, codecFromConfig(config.codec));
  const server = await startIntakeServer({
    port: config.intake.port,
    host: config.listenHost,
    secrets: { ilias: config.intake.iliasSecret, anewspring: config.intake.anewspringSecret },
    startGradeReturn: gradeReturnStarter(client, { maxDailyAttempts: config.gradeReturn.maxDailyAttempts }),
    seenDeliveries: seen.store,
    signatureToleranceSeconds: config.intake.signatureToleranceSeconds,
    // WISEflow's update requests (WF-5), when its webhook secret is configured.
    ...(config.intake.wiseflowSecret
      ? { wiseflow: { secret: config.intake.wiseflowSecret, requestFlowSync: flowSyncRequester(client) } }
      : {}),
  });
  logger.info(
    {
      host: config.listenHost,
      port: server.port,
      seenDeliveryIds: seen.where,
      signatureToleranceSeconds: config.intake.signatureToleranceSeconds,
      webhooks: [
        '/webhooks/ilias',
        '/webhooks/anewspring',
        ...(config.intake.wiseflowSecret ? ['/webhooks/wiseflow'] : []),
      ],
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
    },
    'intake listening',
  );
  closeOnSignals(logger, 'intake', [
    () => server.close(),
    () => client.connection.close(),
    () => seen.close(),
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
