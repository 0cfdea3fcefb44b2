/**
 * Shared set-up for flow-sync workflow tests and the history recorder: a worker on the wiseflow
 * bundle, calling the WISEflow and Praktikportalen simulators over HTTP through the real adapters and
 * mailing the SMTP sink; and the demo period and flow they start from.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createFlowSyncActivities } from '../../activities/wiseflow';
import { createMailer } from '../../adapters/mail';
import { createPraktikportalenClient } from '../../adapters/praktikportalen';
import { createWiseflowClient } from '../../adapters/wiseflow';
import { taskQueues } from '../../platform/names';
import type { RateBudget } from '../../platform/rate-budget';
import { Secret } from '../../platform/secret';
import type { SmtpSink } from '../../services/smtp-sink';
import type { PraktikportalenSimulator } from '../../simulators/praktikportalen';
import type { WiseflowSimulator } from '../../simulators/wiseflow';
import { createIntegrationWorker } from '../../workers/create-worker';
import { testCodec } from './codec';
import { workflowBundle } from './temporal';

export const WISEFLOW_OPS = 'wiseflow-ops@school.test';
export const FLOW_ID = 501;
export const PERIOD = 'PP-2027-04';

export const supervisor = (n: number) => ({
  praktikportalenId: `pp-sup-${n}`,
  firstName: `Vejleder${n}`,
  lastName: 'Hansen',
  email: `vejleder${n}@praktik.example.dk`,
});

/** A flow in WISEflow and its internship period in Praktikportalen with `supervisors`. */
export function seedInternship(
  wiseflow: WiseflowSimulator,
  praktikportalen: PraktikportalenSimulator,
  opts: { supervisors?: number[]; flowId?: number; periodNumber?: string } = {},
): void {
  wiseflow.state.seed({
    flows: [{ id: opts.flowId ?? FLOW_ID, title: 'Praktik 4. semester', state: 'ACTIVATED' }],
  });
  praktikportalen.state.seed({
    periods: [
      {
        periodNumber: opts.periodNumber ?? PERIOD,
        title: 'Praktikperiode 4, forår 2027',
        startDate: '2027-02-01',
        endDate: '2027-04-30',
        students: [
          {
            praktikportalenId: 'pp-stud-1',
            firstName: 'Emma',
            lastName: 'Nielsen',
            email: 'emma@stud.example.dk',
          },
        ],
        supervisors: (opts.supervisors ?? [1, 2]).map(supervisor),
      },
    ],
  });
}

export async function flowSyncWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  wiseflow: WiseflowSimulator;
  praktikportalen: PraktikportalenSimulator;
  smtp: SmtpSink;
  namespace?: string;
  /** The `wiseflow-api` budget every WISEflow call takes from (PLAT-16). */
  rateBudget?: RateBudget;
}): Promise<Worker> {
  return createIntegrationWorker({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    codec: testCodec(),
    workflows: { bundle: await workflowBundle(taskQueues.wiseflow) },
    activities: createFlowSyncActivities({
      wiseflow: createWiseflowClient({
        baseUrl: `${opts.wiseflow.url}/v1`,
        clientId: 'integrations',
        clientSecret: new Secret('local-wiseflow-secret'),
        clientName: 'school-integrations-test',
        ...(opts.rateBudget ? { rateBudget: opts.rateBudget } : {}),
      }),
      praktikportalen: createPraktikportalenClient({
        baseUrl: `${opts.praktikportalen.url}/api/v1`,
        apiKey: new Secret('local-praktikportalen-key'),
      }),
      mailer: createMailer({
        host: '127.0.0.1',
        port: opts.smtp.smtpPort,
        secure: false,
        from: 'integrations@school.test',
      }),
      operatorRecipients: [WISEFLOW_OPS],
    }),
  });
}
