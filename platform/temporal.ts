/**
 * Connecting to Temporal from configuration alone (PLAT-3): address, namespace, TLS or mTLS, API key.
 * The same options serve the worker's NativeConnection and the client's Connection.
 */
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { AppConfig } from './config';
import { dataConverter } from './codec';

export interface TemporalConnectionSettings {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

export function temporalConnectionSettings(config: AppConfig['temporal']): TemporalConnectionSettings {
  const useTls =
    config.tls || Boolean(config.tlsCertFile) || Boolean(config.tlsCaFile) || Boolean(config.apiKey);
  let tls: TLSConfig | boolean | undefined;
  if (useTls) {
    const cfg: TLSConfig = {};
    if (config.tlsServerName) cfg.serverNameOverride = config.tlsServerName;
    if (config.tlsCaFile) cfg.serverRootCACertificate = readFileSync(config.tlsCaFile);
    if (config.tlsCertFile && config.tlsKeyFile) {
      cfg.clientCertPair = { crt: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) };
    }
    tls = Object.keys(cfg).length > 0 ? cfg : true;
  }
  return { address: config.address, tls, apiKey: config.apiKey?.reveal() };
}

/**
 * A client with the payload codec, for CLIs, services and activities that start workflows.
 * `identity` is what Temporal records as the caller of every start, signal and update (PLAT-15).
 */
export async function connectClient(
  config: AppConfig,
  codec: PayloadCodec,
  options: { identity?: string } = {},
): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionSettings(config.temporal));
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: dataConverter(codec),
    identity: options.identity,
  });
}

/** The operator at this terminal, as the `temporal` CLI names its caller: `user@host`. */
export function operatorIdentity(): string {
  return `${userInfo().username}@${hostname()}`;
}
