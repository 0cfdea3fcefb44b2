#!/usr/bin/env node
/**
 * Operator and engineer CLI: start a workflow from a JSON file, read its status, send signals and
 * updates, export a history, replay histories. Uses the same configuration and codec as the worker.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { Pool } from 'pg';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { completionSchema } from '../domain/grade-return';
import { summarizePlan, syncPlanSchema } from '../domain/roster';
import { snapshotStoreFromConfig } from '../platform/store';
import { codecFromConfig } from '../platform/codec';
import { loadConfigOrExit } from '../platform/config';
import { createLogger } from '../platform/logging';
import { createPool } from '../platform/postgres';
import { taskQueues, wiseflowFlowSyncWorkflowId, workflowTypes } from '../platform/names';
import { connectClient, operatorIdentity } from '../platform/temporal';
import { repoRoot } from '../platform/tools';
import { withLocalCodecKeys } from '../stack/codec-keys';
import { linkCompetences, unlinkCompetences } from './competences';
import { gradeReturnStarter } from './grade-return';
import { linkFlowToPeriod } from './wiseflow';
import { exportHistory, replayHistoryFiles } from './history';
import { startMetadataFor } from './start-metadata';
import { addYearEndCommands } from './year-end-cli';

async function readJson(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  return JSON.parse(await readFile(file, 'utf8'));
}

const loadConfig = () => loadConfigOrExit(withLocalCodecKeys(process.env, path.join(repoRoot, '.data')));

async function connect() {
  const config = loadConfig();
  const codec = codecFromConfig(config.codec);
  // Decisions sent from here (approve, reject) record who sent them (PLAT-15).
  return { config, codec, client: await connectClient(config, codec, { identity: operatorIdentity() }) };
}

const print = (value: unknown): void => console.log(JSON.stringify(value, null, 2));

const program = new Command('integrations').description('Start, steer and inspect integration workflows');

program
  .command('start-grade-return')
  .description('start a grade return from a completion JSON file (deterministic id: a repeat is a no-op)')
  .requiredOption('-i, --input <file>', 'completion JSON')
  .action(async (opts: { input: string }) => {
    const { config, client } = await connect();
    const completion = completionSchema.parse(await readJson(opts.input));
    const outcome = await gradeReturnStarter(client, {
      maxDailyAttempts: config.gradeReturn.maxDailyAttempts,
    })(completion);
    print({ outcome });
    await client.connection.close();
  });

program
  .command('start')
  .description('start any workflow type with a JSON input file')
  .argument('<workflowType>', `e.g. ${Object.values(workflowTypes).join(', ')}`)
  .requiredOption('--workflow-id <id>', 'workflow id')
  .option('-i, --input <file>', 'JSON input file')
  .option('-q, --task-queue <queue>', 'task queue', taskQueues.gradeReturn)
  .option('--summary <text>', 'one-line summary shown in the Web UI (default: from the type and input)')
  .option('--details <text>', 'details shown in the Web UI (default: from the type and input)')
  .action(
    async (
      workflowType: string,
      opts: { workflowId: string; input?: string; taskQueue: string; summary?: string; details?: string },
    ) => {
      const { client } = await connect();
      const input = await readJson(opts.input);
      const metadata = startMetadataFor(workflowType, input);
      const handle = await client.workflow.start(workflowType, {
        workflowId: opts.workflowId,
        taskQueue: opts.taskQueue,
        args: input === undefined ? [] : [input],
        staticSummary: opts.summary ?? metadata.staticSummary,
        staticDetails: opts.details ?? metadata.staticDetails,
      });
      print({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
      await client.connection.close();
    },
  );

program
  .command('status')
  .description("print a workflow's status query")
  .argument('<workflowId>')
  .option('--query <name>', 'query name', 'status')
  .action(async (workflowId: string, opts: { query: string }) => {
    const { client } = await connect();
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    let status: unknown;
    try {
      status = await handle.query(opts.query);
    } catch (err) {
      status = { unavailable: (err as Error).message };
    }
    const closedUnsuccessfully = ['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'].includes(
      description.status.name,
    );
    // What the Web UI shows as the summary and the current details (PLAT-13).
    const metadata = await handle
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata')
      .catch(() => undefined);
    print({
      workflowId,
      runId: description.runId,
      type: description.type,
      state: description.status.name,
      summary: (await description.staticSummary()) ?? null,
      currentDetails: metadata?.currentDetails || null,
      status,
      // Its message is readable anywhere; its details only decoded, as here (docs/failure-messages.md).
      ...(closedUnsuccessfully ? { failure: await failureOf(handle) } : {}),
    });
    await client.connection.close();
  });

/** Why a closed workflow did not complete: the innermost cause's type, message and details, decoded. */
async function failureOf(handle: WorkflowHandle): Promise<FailureReason> {
  try {
    await handle.result();
    return { message: 'completed' };
  } catch (err) {
    return reasonOf(err instanceof WorkflowFailedError ? (err.cause ?? err) : err);
  }
}

interface FailureReason {
  type?: string;
  message: string;
  details?: unknown[];
}

/** The innermost cause of a failure: the reason an operator acts on. */
function reasonOf(err: unknown): FailureReason {
  let cause: unknown = err;
  // Client errors (WorkflowUpdateFailedError, WorkflowFailedError) wrap the failure they report.
  while (
    cause instanceof Error &&
    cause.cause instanceof Error &&
    (cause instanceof TemporalFailure || cause.cause instanceof TemporalFailure)
  )
    cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    return {
      type: cause.type ?? undefined,
      message: cause.message,
      ...(cause.details?.length ? { details: [...cause.details] } : {}),
    };
  }
  return cause instanceof Error ? { type: cause.name, message: cause.message } : { message: String(cause) };
}

program
  .command('signal')
  .description('send a signal, e.g. retryNow')
  .argument('<workflowId>')
  .argument('<signal>')
  .option('-i, --input <file>', 'JSON argument file')
  .action(async (workflowId: string, signal: string, opts: { input?: string }) => {
    const { client } = await connect();
    const arg = await readJson(opts.input);
    await client.workflow.getHandle(workflowId).signal(signal, ...(arg === undefined ? [] : [arg]));
    print({ signalled: signal, workflowId });
    await client.connection.close();
  });

program
  .command('update')
  .description('send an update and print its result, e.g. approve or reject')
  .argument('<workflowId>')
  .argument('<update>')
  .option('-i, --input <file>', 'JSON argument file')
  .action(async (workflowId: string, update: string, opts: { input?: string }) => {
    const { client } = await connect();
    const arg = await readJson(opts.input);
    const handle = client.workflow.getHandle(workflowId);
    try {
      const result =
        arg === undefined
          ? await handle.executeUpdate(update)
          : await handle.executeUpdate(update, { args: [arg] });
      print({ update, workflowId, result });
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      // The workflow refused the update (its validator) or the update failed: say why, exit 1.
      console.error(`Update ${update} refused: ${reasonOf(err.cause).message}`);
      print({ update, workflowId, refused: reasonOf(err.cause) });
      process.exitCode = 1;
    } finally {
      await client.connection.close();
    }
  });

program
  .command('link-competences')
  .description('link InfoCaption courses to WinLas competences (CW-1): checked, then backfilled (CW-4)')
  .requiredOption('-g, --guide <id...>', 'InfoCaption guide ids (published Course or Physical guides)')
  .requiredOption('-c, --competence <id...>', 'WinLas competence ids (with a default validity)')
  .action(async (opts: { guide: string[]; competence: string[] }) => {
    const { client } = await connect();
    try {
      const outcome = await linkCompetences(client, {
        guideIds: opts.guide.map(Number),
        competenceIds: opts.competence,
      });
      if (outcome.outcome === 'refused') {
        console.error(outcome.reason);
        process.exitCode = 1;
      }
      print(outcome);
    } finally {
      await client.connection.close();
    }
  });

program
  .command('unlink-competences')
  .description('remove a competence link (CW-7): no further registrations; those made stay')
  .argument('<workflowId>', 'the link, e.g. competence-link:101_FIRE-SAFETY')
  .option('--operator <who>', 'who removes it (recorded in its status)')
  .action(async (workflowId: string, opts: { operator?: string }) => {
    const { client } = await connect();
    try {
      print({ unlinked: workflowId, status: await unlinkCompetences(client, workflowId, opts.operator) });
    } finally {
      await client.connection.close();
    }
  });

const wiseflow = program
  .command('wiseflow')
  .description('Praktikportalen → WISEflow flow syncs (docs/wiseflow.md)');

wiseflow
  .command('link')
  .description('link a WISEflow flow to an internship period: starts its flow sync (a repeat is a no-op)')
  .argument('<flowId>', 'the WISEflow flow id')
  .argument('<periodNumber>', 'the internship period number in Praktikportalen')
  .option('--sync-every-minutes <n>', 'periodic sync (default WISEFLOW_SYNC_EVERY_MINUTES)')
  .action(async (flowId: string, periodNumber: string, opts: { syncEveryMinutes?: string }) => {
    const { config, client } = await connect();
    try {
      print(
        await linkFlowToPeriod(client, {
          flowId: Number(flowId),
          periodNumber,
          syncEveryMinutes: Number(opts.syncEveryMinutes ?? config.wiseflow.syncEveryMinutes),
        }),
      );
    } finally {
      await client.connection.close();
    }
  });

wiseflow
  .command('request-sync')
  .description(
    "sync a linked flow now, as WISEflow's update does (the answer to WISEflow is only for its own requests)",
  )
  .argument('<flowId>')
  .argument('<periodNumber>')
  .action(async (flowId: string, periodNumber: string) => {
    const { client } = await connect();
    const workflowId = wiseflowFlowSyncWorkflowId(Number(flowId), periodNumber);
    try {
      await client.workflow.getHandle(workflowId).signal('requestSync', {});
      print({ signalled: 'requestSync', workflowId });
    } finally {
      await client.connection.close();
    }
  });

wiseflow
  .command('status')
  .description("a flow sync's status: where it stands, the last sync, supervisors, answered requests")
  .argument('<flowId>')
  .argument('<periodNumber>')
  .action(async (flowId: string, periodNumber: string) => {
    const { client } = await connect();
    const handle = client.workflow.getHandle(wiseflowFlowSyncWorkflowId(Number(flowId), periodNumber));
    try {
      const description = await handle.describe();
      print({
        workflowId: handle.workflowId,
        state: description.status.name,
        status: await handle.query('status'),
      });
    } finally {
      await client.connection.close();
    }
  });

program
  .command('show-stored')
  .description('print a stored snapshot or plan (e.g. a roster-sync plan key from the status query)')
  .argument('<key>', 'store key, e.g. roster-sync/<runId>/plan.json')
  .option('--summary', 'only counts per entity type and operation (plans)')
  .action(async (key: string, opts: { summary?: boolean }) => {
    const config = loadConfig();
    // The store the workers use (STORE_BACKEND): the local folder, or the platform's PostgreSQL.
    let pool: Pool | undefined;
    const database = (neededBy: string) =>
      (pool = createPool(config.database, createLogger('warn', 'client'), neededBy));
    try {
      const { store } = await snapshotStoreFromConfig(config, database);
      const value = await store.getJson(key);
      print(opts.summary ? summarizePlan(syncPlanSchema.parse(value)) : value);
    } finally {
      await pool?.end();
    }
  });

program
  .command('export-history')
  .description('write a workflow history as proto JSON (replayable)')
  .argument('<workflowId>')
  .requiredOption('-o, --out <file>', 'output file')
  .option('--run-id <runId>', 'a specific run')
  .action(async (workflowId: string, opts: { out: string; runId?: string }) => {
    const { client } = await connect();
    const events = await exportHistory(client, workflowId, opts.out, opts.runId);
    print({ workflowId, events, file: opts.out });
    await client.connection.close();
  });

program
  .command('replay')
  .description('replay history files against the current workflow code')
  .argument('<files...>')
  .action(async (files: string[]) => {
    const config = loadConfig();
    // The replayer bundles the workflow code first; its INFO lines would bury the verdicts.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const outcomes = await replayHistoryFiles(files, { codec: codecFromConfig(config.codec) });
    for (const o of outcomes)
      console.log(`${o.error ? 'FAIL' : 'ok  '} ${o.file}${o.error ? `: ${o.error.message}` : ''}`);
    if (outcomes.some((o) => o.error)) process.exitCode = 1;
  });

addYearEndCommands(program, { loadConfig, connect, print });

program.parseAsync(process.argv).catch((err: unknown) => {
  // A Temporal error's own message is generic ("Workflow Update failed"); its cause says why.
  const reason = reasonOf(err);
  const message = err instanceof Error ? err.message : String(err);
  console.error(reason.message === message ? message : `${message}: ${reason.message}`);
  process.exit(1);
});
