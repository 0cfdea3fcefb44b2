/**
 * Records the year-end histories CI replays (PLAT-7), under test/histories/year-end: the freeze and
 * the delay-delete window (new workflow types), and the roster run's patched paths (refused by a
 * freeze, a partial approval). Run after a deliberate, patched change to one of them:
 *
 *   node dist/test/support/record-year-end-histories.js [scenario]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { exportHistory } from '../../client/history';
import { dataConverter } from '../../platform/codec';
import { delayDeleteWorkflowId, yearEndFreezeWorkflowId } from '../../platform/names';
import { startOfStockholmDay } from '../../domain/roster-sync';
import { repoRoot } from '../../platform/tools';
import { startSmtpSink, type SmtpSink } from '../../services/smtp-sink';
import { startItslearningSimulator, type ItslearningSimulator } from '../../simulators/itslearning';
import {
  delayDeleteStatusQuery,
  delayDeleteWindowWorkflow,
  previewCloseUpdate,
  setEndDateUpdate,
} from '../../workflows/delay-delete-window';
import { approveUpdate, rosterSyncStatusQuery, rosterSyncWorkflow } from '../../workflows/roster-sync';
import { freezeStatusQuery, resumeUpdate, yearEndFreezeWorkflow } from '../../workflows/year-end-freeze';
import { testCodec } from './codec';
import { createTimeSkippingEnv } from './temporal';
import { changingSource, school, yearEndWorker } from './year-end-harness';

type TestEnv = Awaited<ReturnType<typeof createTimeSkippingEnv>>;
const outDir = path.join(repoRoot, 'test/histories/year-end');

interface Ctx {
  env: TestEnv;
  plain: Client;
  taskQueue: string;
  source: ReturnType<typeof changingSource>;
  itslearning: ItslearningSimulator;
  smtp: SmtpSink;
  day: (mmdd: string) => string;
}

const poll = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
  for (let i = 0; i < 600; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
};

/** Each returns the workflow ids to export, in file-name order. */
const scenarios: { name: string; files: string[]; drive: (c: Ctx) => Promise<string[]> }[] = [
  {
    name: 'freeze',
    files: ['freeze-resumed', 'refused-by-freeze'],
    drive: async ({ env, plain, taskQueue, day }) => {
      const integrationId = 'rec-freeze';
      await env.client.workflow.start(yearEndFreezeWorkflow, {
        taskQueue,
        workflowId: yearEndFreezeWorkflowId(integrationId),
        args: [{ integrationId, lastTeachingDay: day('06-12'), reason: 'summer break' }],
      });
      const freeze = plain.workflow.getHandle(yearEndFreezeWorkflowId(integrationId));
      await poll(
        () => freeze.query(freezeStatusQuery),
        (s) => s.startedBy !== null,
      );
      await env.sleep(Date.parse(`${day('06-12')}T06:00:00Z`) - (await env.currentTimeMs()));
      await poll(
        () => freeze.query(freezeStatusQuery),
        (s) => s.phase === 'frozen',
      );
      const run = await plain.workflow.start(rosterSyncWorkflow, {
        taskQueue,
        workflowId: 'rec-refused-by-freeze',
        args: [{ integrationId, syncDate: day('06-13') }],
      });
      await run.result().catch(() => undefined);
      await freeze.executeUpdate(resumeUpdate, { args: [{ operator: 'ops@school.test' }] });
      await freeze.result();
      return [freeze.workflowId, run.workflowId];
    },
  },
  {
    name: 'delay-delete',
    files: ['delay-delete-closed'],
    drive: async ({ env, plain, taskQueue, source, day }) => {
      const integrationId = 'rec-window';
      await (
        await plain.workflow.start(rosterSyncWorkflow, {
          taskQueue,
          workflowId: 'rec-window-first',
          args: [{ integrationId, syncDate: day('06-01') }],
        })
      ).result();
      const started = await env.client.workflow.start(delayDeleteWindowWorkflow, {
        taskQueue,
        workflowId: delayDeleteWorkflowId(integrationId),
        args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15') }],
      });
      const window = plain.workflow.getHandle(started.workflowId);
      source.roster = school(['s-bo']);
      await (
        await plain.workflow.start(rosterSyncWorkflow, {
          taskQueue,
          workflowId: 'rec-window-held',
          args: [{ integrationId, syncDate: day('06-20') }],
        })
      ).result();
      await poll(
        () => window.query(delayDeleteStatusQuery),
        (s) => s.held !== null,
      );
      await window.executeUpdate(previewCloseUpdate, { args: [{}] });
      await window.executeUpdate(setEndDateUpdate, {
        args: [{ operator: 'ops@school.test', endDate: day('07-01') }],
      });
      await started.result();
      return [started.workflowId];
    },
  },
  {
    // The window's summer report (IMSE-6): after closing it waits for the closing run, then e-mails.
    name: 'summer-report',
    files: ['delay-delete-summer-report'],
    drive: async ({ env, plain, taskQueue, source, day }) => {
      const integrationId = 'rec-summer-report';
      const runFor = (workflowId: string, syncDate: string) =>
        plain.workflow.start(rosterSyncWorkflow, {
          taskQueue,
          workflowId,
          args: [{ integrationId, syncDate }],
        });
      await (await runFor('rec-summer-report-first', day('06-01'))).result();
      const started = await env.client.workflow.start(delayDeleteWindowWorkflow, {
        taskQueue,
        workflowId: delayDeleteWorkflowId(integrationId),
        args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15') }],
      });
      const window = plain.workflow.getHandle(started.workflowId);
      source.roster = school(['s-bo', 's-cia']);
      await (await runFor('rec-summer-report-june', day('06-20'))).result();
      await env.sleep(startOfStockholmDay(day('08-15')).getTime() + 3_600_000 - (await env.currentTimeMs()));
      await poll(
        () => window.query(delayDeleteStatusQuery),
        (s) => s.report?.state === 'waiting-for-closing-run',
      );
      const closing = await runFor('rec-summer-report-closing', day('08-16'));
      await poll(
        () => closing.query(rosterSyncStatusQuery),
        (s) => s.phase === 'awaiting-approval',
      );
      await closing.executeUpdate(approveUpdate, { args: [{ operator: 'ops@school.test' }] });
      await closing.result();
      await started.result();
      return [started.workflowId];
    },
  },
  {
    name: 'partial-approval',
    files: ['partial-approval'],
    drive: async ({ plain, taskQueue, source, day }) => {
      const integrationId = 'rec-partial';
      await (
        await plain.workflow.start(rosterSyncWorkflow, {
          taskQueue,
          workflowId: 'rec-partial-first',
          args: [{ integrationId, syncDate: day('06-01') }],
        })
      ).result();
      source.roster = school(['s-bo']);
      const run = await plain.workflow.start(rosterSyncWorkflow, {
        taskQueue,
        workflowId: 'rec-partial-approval',
        args: [{ integrationId, syncDate: day('06-20') }],
      });
      await poll(
        () => run.query(rosterSyncStatusQuery),
        (s) => s.phase === 'awaiting-approval',
      );
      await run.executeUpdate(approveUpdate, {
        args: [{ operator: 'ops@school.test', hold: [{ entityType: 'person', op: 'delete' }] }],
      });
      await run.result();
      return [run.workflowId];
    },
  },
];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const only = process.argv[2];
  const env = await createTimeSkippingEnv();
  const itslearning = await startItslearningSimulator({ syncKeySource: 'procapita' });
  const smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  const storeDir = mkdtempSync(path.join(tmpdir(), 'record-year-end-'));
  const plain = new Client({
    connection: env.connection,
    namespace: env.namespace,
    dataConverter: dataConverter(testCodec()),
  });
  try {
    for (const scenario of scenarios.filter((s) => !only || s.name === only)) {
      itslearning.state.reset();
      itslearning.importer.reset();
      const source = changingSource(school(['s-anna', 's-bo']));
      const taskQueue = `record-year-end-${scenario.name}`;
      const worker = await yearEndWorker({
        connection: env.nativeConnection,
        taskQueue,
        itslearning,
        smtp,
        storeDir,
        thresholds: { perType: { person: { deletes: { max: 0 } } } },
        source,
      });
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const day = (mmdd: string) => `${year}-${mmdd}`;
      const ids = await worker.runUntil(
        scenario.drive({ env, plain, taskQueue, source, itslearning, smtp, day }),
      );
      for (const [i, workflowId] of ids.entries()) {
        const file = path.join(outDir, `${scenario.files[i]}.json`);
        const events = await exportHistory(env.client, workflowId, file);
        console.log(`recorded year-end/${scenario.files[i]}: ${events} events`);
      }
    }
  } finally {
    await itslearning.close();
    await smtp.close();
    await env.teardown();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
