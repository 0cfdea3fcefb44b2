/**
 * Entry point of the codec server process (docker-compose, embedded stack). The Web UI is pointed at
 * it with `TEMPORAL_CODEC_ENDPOINT` (or the dev server's `--ui-codec-endpoint`), the CLI with
 * `--codec-endpoint`.
 */
import { z } from 'zod';
import { codecFromConfig } from '../../platform/codec';
import { ConfigError, loadConfigOrExit, parseConfig, setting } from '../../platform/config';
import { createLogger } from '../../platform/logging';
import { startCodecServer } from './server';

/** Bind address only this process needs: loopback locally, 0.0.0.0 inside a container. */
const serviceSpec = { host: setting('CODEC_SERVER_HOST', z.string().min(1).default('127.0.0.1')) };

function loadServiceConfig(): { host: string } {
  try {
    return parseConfig(serviceSpec);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG, as loadConfigOrExit
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const { host } = loadServiceConfig();
  const logger = createLogger(config.logLevel, 'codec-server');
  const server = await startCodecServer({
    port: config.codec.serverPort,
    host,
    codec: codecFromConfig(config.codec),
    corsOrigins: config.codec.corsOrigins,
    token: config.codec.serverToken,
  });
  logger.info(
    {
      url: server.url,
      host,
      corsOrigins: config.codec.corsOrigins,
      tokenRequired: Boolean(config.codec.serverToken),
    },
    'codec server listening',
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'codec server stopping');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'codec server did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
