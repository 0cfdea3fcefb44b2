/**
 * Entry point of the codec server process (docker-compose, embedded stack). The Web UI is pointed at
 * it with `TEMPORAL_CODEC_ENDPOINT` (or the dev server's `--ui-codec-endpoint`), the CLI with
 * `--codec-endpoint`. In production it refuses to start without authentication (PLAT-15).
 */
import { codecFromConfig } from '../../platform/codec';
import { ConfigError, loadConfigOrExit } from '../../platform/config';
import { createLogger } from '../../platform/logging';
import { closeOnSignals } from '../../platform/shutdown';
import { codecAuthFromConfig, createAuthenticator, type CodecAuthOptions } from './auth';
import { startCodecServer } from './server';

function authOrExit(config: Parameters<typeof codecAuthFromConfig>[0]): CodecAuthOptions {
  try {
    return codecAuthFromConfig(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG, as loadConfigOrExit
    }
    throw err;
  }
}

async function main(): Promise<void> {
  // The codec server reads only the codec's secrets; the rest belong to the workers.
  const config = loadConfigOrExit(process.env, { usesSecret: (path) => path.startsWith('codec.') });
  const auth = authOrExit(config);
  const host = config.listenHost;
  const logger = createLogger(config.logLevel, 'codec-server');
  const server = await startCodecServer({
    port: config.codec.serverPort,
    host,
    codec: codecFromConfig(config.codec),
    corsOrigins: config.codec.corsOrigins,
    authenticate: createAuthenticator(auth),
    // Who had personal data decoded, and how much: the audit trail of the keys' use.
    audit: (entry) => logger.info(entry, `payloads ${entry.operation}d`),
  });
  logger.info(
    {
      url: server.url,
      host,
      corsOrigins: config.codec.corsOrigins,
      auth: {
        token: Boolean(auth.token),
        jwt: auth.jwt
          ? { jwksUrl: auth.jwt.jwksUrl, issuer: auth.jwt.issuer, audience: auth.jwt.audience }
          : false,
      },
    },
    auth.token || auth.jwt
      ? 'codec server listening'
      : 'codec server listening WITHOUT authentication (local only)',
  );
  closeOnSignals(logger, 'codec server', [() => server.close()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
