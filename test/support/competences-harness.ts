/**
 * The competence lifecycle's parts for tests: a worker on its own task queue with the real activities,
 * talking to the InfoCaption and WinLas simulators over HTTP within rate budgets, a local store and
 * the SMTP sink.
 */
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createCompetenceActivities } from '../../activities/competences';
import { createInfoCaptionClient } from '../../adapters/infocaption';
import { createMailer } from '../../adapters/mail';
import { createWinLasClient } from '../../adapters/winlas';
import type { LinkStatus } from '../../domain/competences';
import { taskQueues } from '../../platform/names';
import { createRateBudgets, rateBudgetsSetting, type RateBudgets } from '../../platform/rate-budget';
import { createLocalStore } from '../../platform/store';
import type { SmtpSink } from '../../services/smtp-sink';
import type { InfoCaptionSimulator } from '../../simulators/infocaption';
import type { WinLasSimulator } from '../../simulators/winlas';
import { createIntegrationWorker } from '../../workers/create-worker';
import { testCodec } from './codec';
import { workflowBundle } from './temporal';

export const COMPETENCE_OPS = 'competence-ops@school.test';

/** Budgets far above what a test asks, unless a test gives its own (RATE_BUDGETS JSON). */
export async function testBudgets(settings?: Record<string, unknown>): Promise<RateBudgets> {
  const definitions = rateBudgetsSetting.parse(
    JSON.stringify(
      settings ?? {
        'infocaption-api': { kind: 'token-bucket', limit: 1000, per: '1s', burst: 100 },
        'winlas-api': { kind: 'token-bucket', limit: 1000, per: '1s', burst: 100 },
      },
    ),
  );
  return createRateBudgets(definitions);
}

export async function competenceWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  infocaption: InfoCaptionSimulator;
  winlas: WinLasSimulator;
  smtp: SmtpSink;
  storeDir: string;
  budgets?: RateBudgets;
  hitsPerPage?: number;
}): Promise<Worker> {
  const budgets = opts.budgets ?? (await testBudgets());
  return createIntegrationWorker({
    connection: opts.connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    codec: testCodec(),
    workflows: { bundle: await workflowBundle(taskQueues.competences) },
    activities: createCompetenceActivities({
      infocaption: createInfoCaptionClient({
        baseUrl: opts.infocaption.url,
        clientId: 'integrations',
        clientSecret: 'local-infocaption-secret',
        rateBudget: budgets.get('infocaption-api'),
      }),
      winlas: createWinLasClient({
        baseUrl: opts.winlas.url,
        apiKey: 'local-winlas-key',
        rateBudget: budgets.get('winlas-api'),
      }),
      store: createLocalStore(opts.storeDir),
      mailer: createMailer({
        host: '127.0.0.1',
        port: opts.smtp.smtpPort,
        secure: false,
        from: 'integrations@school.test',
      }),
      reportRecipients: [COMPETENCE_OPS],
      timeZone: 'Europe/Stockholm',
      hitsPerPage: opts.hitsPerPage ?? 20,
      concurrency: 4,
      directoryPageSize: 50,
    }),
  });
}

/** Polls a link's status query until `done` holds (a plain client: the dev server runs in real time). */
export async function waitForLink(
  client: Client,
  workflowId: string,
  done: (s: LinkStatus) => boolean,
  timeoutMs = 60_000,
): Promise<LinkStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: LinkStatus | undefined;
  for (;;) {
    last = await client.workflow
      .getHandle(workflowId)
      .query<LinkStatus>('status')
      .catch(() => last);
    if (last && done(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`link ${workflowId} did not get there: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
