import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createEncryptionCodec, dataConverter } from '../../../platform/codec';
import { temporalCliPath } from '../../../platform/tools';
import { startCodecServer, type CodecServer } from '../../../services/codec-server';
import { createDevServerEnv, uniqueTaskQueue } from '../../support/temporal';

const run = promisify(execFile);
const personnummer = '19121212-1212';
const codec = createEncryptionCodec({
  keys: { 'k-2026': randomBytes(32).toString('base64') },
  activeKeyId: 'k-2026',
});

/** The part of `temporal workflow show --output json` read here (proto JSON: bytes are base64). */
interface CliHistory {
  events: {
    workflowExecutionStartedEventAttributes?: {
      input?: { payloads: { metadata: Record<string, string>; data: string }[] };
    };
  }[];
}

let env: TestWorkflowEnvironment;
let codecServer: CodecServer;

beforeAll(async () => {
  env = await createDevServerEnv();
  codecServer = await startCodecServer({ port: 0, codec, corsOrigins: [] });
});

afterAll(async () => {
  await codecServer?.close();
  await env?.teardown();
});

describe('payload encryption against a real Temporal server', () => {
  it('[PLAT-9] the history holds only ciphertext, and the temporal CLI shows it decoded through the codec server', async () => {
    const client = new Client({ connection: env.connection, dataConverter: dataConverter(codec) });
    const workflowId = `codec-probe-${Date.now()}`;
    // No worker is needed: the input is written to the history when the workflow starts.
    const handle = await client.workflow.start('codecProbeWorkflow', {
      taskQueue: uniqueTaskQueue('codec-probe'),
      workflowId,
      args: [{ learner: 'Tolvan Tolvansson', personnummer }],
    });
    try {
      const history = await handle.fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
      expect(Buffer.from(input?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k-2026');
      expect(JSON.stringify(history)).not.toContain(personnummer);
      expect(Buffer.from(input?.data ?? []).includes(personnummer)).toBe(false);

      const shownInput = async (extra: string[]): Promise<unknown> => {
        const args = [
          'workflow',
          'show',
          '--address',
          env.address,
          '--workflow-id',
          workflowId,
          '--output',
          'json',
        ];
        const { stdout } = await run(temporalCliPath(), [...args, ...extra]);
        const payload = (JSON.parse(stdout) as CliHistory).events[0]?.workflowExecutionStartedEventAttributes
          ?.input?.payloads[0];
        const encoding = Buffer.from(payload?.metadata.encoding ?? '', 'base64').toString();
        return encoding === 'json/plain'
          ? JSON.parse(Buffer.from(payload?.data ?? '', 'base64').toString())
          : encoding;
      };
      expect(await shownInput([])).toBe('binary/encrypted');
      expect(await shownInput(['--codec-endpoint', codecServer.url])).toEqual({
        learner: 'Tolvan Tolvansson',
        personnummer,
      });
    } finally {
      await handle.terminate('probe done');
    }
  });
});
