import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { dataConverter } from '../../platform/codec';
import { DevServerExitedError, startDevServer, type RunningDevServer } from '../../stack/temporal-dev-server';
import { testCodec } from './codec';
import { shutDownLeftoverWorkers } from './leftover-workers';
import { freePort } from './ports';

export interface TestDevServer {
  server: RunningDevServer;
  /** A client with the test codec. */
  client: Client;
  /** A scratch folder that `stop()` removes. */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The real Temporal dev server on free ports with state in a scratch folder, for tests that run the
 * worker as a separate process (which needs the server's address up front).
 */
export async function startTestDevServer(name: string): Promise<TestDevServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `${name}-`));
  const server = await startOnFreePorts(dataDir);
  const client = new Client({
    connection: await Connection.connect({ address: server.address }),
    dataConverter: dataConverter(testCodec()),
  });
  return {
    server,
    client,
    dataDir,
    async stop() {
      await shutDownLeftoverWorkers();
      await client.connection.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A free port can be taken by another process between our probe and the server's bind (several
 * servers start during a test run); such a start is tried again on other ports.
 */
async function startOnFreePorts(dataDir: string, tries = 3): Promise<RunningDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({
        dataDir,
        port: await freePort(),
        uiPort: await freePort(),
        namespace: 'default',
        log: () => undefined,
      });
    } catch (err) {
      if (!(err instanceof DevServerExitedError) || attempt >= tries) throw err;
    }
  }
}
