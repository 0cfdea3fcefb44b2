/**
 * Exporting and replaying workflow histories (PLAT-7). Histories are written as proto JSON, the format
 * the Web UI and `temporal workflow show --output json` produce, so any of them replays here.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { dataConverter } from '../platform/codec';

export async function exportHistory(
  client: Client,
  workflowId: string,
  file: string,
  runId?: string,
): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await writeFile(file, historyToJSON(history) + '\n');
  return history.events?.length ?? 0;
}

export interface ReplayOutcome {
  file: string;
  workflowId: string;
  error?: Error;
}

/** Replays each history file against the current workflow code; a non-deterministic change shows as an error. */
export async function replayHistoryFiles(
  files: string[],
  opts: {
    codec?: PayloadCodec;
    workflowsPath?: string;
    workflowBundle?: ReplayWorkerOptions['workflowBundle'];
  } = {},
): Promise<ReplayOutcome[]> {
  const histories = await Promise.all(
    files.map(async (file) => ({
      file,
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(await readFile(file, 'utf8'))),
    })),
  );
  const options: ReplayWorkerOptions = {
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: opts.workflowsPath ?? require.resolve('../workflows') }),
    dataConverter: opts.codec ? dataConverter(opts.codec) : undefined,
    replayName: 'history-replay',
  };
  const outcomes: ReplayOutcome[] = [];
  const byId = new Map(histories.map((h) => [h.workflowId, h.file]));
  for await (const result of Worker.runReplayHistories(options, histories)) {
    outcomes.push({
      file: byId.get(result.workflowId) ?? result.workflowId,
      workflowId: result.workflowId,
      error: result.error,
    });
  }
  return outcomes;
}
