/**
 * `year-end` commands of the operator CLI (IMSE-6, IMSE-7): summer data in and out of the store, the
 * held deletes of a delay-delete window, its summer report so far, and the closing run's preview.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { ClosingPreview, DelayDeleteStatus } from '../domain/roster-sync';
import type { AppConfig } from '../platform/config';
import { createLogger } from '../platform/logging';
import { delayDeleteWorkflowId } from '../platform/names';
import { createPool } from '../platform/postgres';
import { snapshotStoreFromConfig, yearEndKeys, type SnapshotStore } from '../platform/store';
import {
  deletesOfPlan,
  heldDeletesList,
  removeSummerData,
  storeSummerData,
  summerReportSoFar,
} from './year-end';

export interface YearEndCliDeps {
  loadConfig: () => AppConfig;
  connect: () => Promise<{ client: Client }>;
  print: (value: unknown) => void;
}

/** The store the workers use (STORE_BACKEND): the local folder, or the platform's PostgreSQL. */
async function withStore<T>(config: AppConfig, fn: (store: SnapshotStore) => Promise<T>): Promise<T> {
  let pool: Pool | undefined;
  const database = (neededBy: string) =>
    (pool = createPool(config.database, createLogger('warn', 'client'), neededBy));
  try {
    const { store } = await snapshotStoreFromConfig(config, database);
    return await fn(store);
  } finally {
    await pool?.end();
  }
}

export function addYearEndCommands(program: Command, deps: YearEndCliDeps): void {
  const yearEnd = program
    .command('year-end')
    .description('the roster sync year-end: summer data, held deletes');

  yearEnd
    .command('summer-data')
    .description(
      'store summer data (extra classes, courses, memberships with a validity period) from a JSON file',
    )
    .argument(
      '[file]',
      'summer data JSON: {integrationId, validFrom, validUntil, persons?, groups, memberships}',
    )
    .option('--show <integrationId>', 'print the stored summer data instead')
    .option('--remove <integrationId>', 'remove the stored summer data instead')
    .action(async (file: string | undefined, opts: { show?: string; remove?: string }) => {
      await withStore(deps.loadConfig(), async (store) => {
        if (opts.remove) return deps.print({ removed: await removeSummerData(store, opts.remove) });
        if (opts.show) {
          const key = yearEndKeys(opts.show).summerData;
          return deps.print((await store.exists(key)) ? await store.getJson(key) : { none: key });
        }
        if (!file) throw new Error('give the summer data JSON file, or --show/--remove <integrationId>');
        const { key, summer } = await storeSummerData(store, JSON.parse(await readFile(file, 'utf8')));
        deps.print({
          stored: key,
          validFrom: summer.validFrom,
          validUntil: summer.validUntil,
          persons: summer.persons.length,
          groups: summer.groups.length,
          memberships: summer.memberships.length,
        });
      });
    });

  yearEnd
    .command('held')
    .description('list the deletes the delay-delete window holds, as of the last daily run')
    .argument('[integrationId]', 'integration', 'procapita-itslearning')
    .action(async (integrationId: string) => {
      await withStore(deps.loadConfig(), async (store) => {
        const list = await heldDeletesList(store, integrationId);
        deps.print(list ?? { none: `no run of ${integrationId} has held a delete yet` });
      });
    });

  yearEnd
    .command('report')
    .description(
      "the delay-delete window's summer report as it stands: what its runs created, archived and deleted so far, per school",
    )
    .argument('[integrationId]', 'integration', 'procapita-itslearning')
    .action(async (integrationId: string) => {
      const { client } = await deps.connect();
      try {
        const workflowId = delayDeleteWorkflowId(integrationId);
        const status = await client.workflow.getHandle(workflowId).query<DelayDeleteStatus>('status');
        const report = await withStore(deps.loadConfig(), (store) =>
          summerReportSoFar(store, status, workflowId),
        );
        deps.print({ key: report.key, runs: report.runs, report: report.text.split('\n') });
      } finally {
        await client.connection.close();
      }
    });

  yearEnd
    .command('preview')
    .description(
      'preview the run that closes the delay-delete window: what it will delete, and whether the filter stops it',
    )
    .argument('[integrationId]', 'integration', 'procapita-itslearning')
    .action(async (integrationId: string) => {
      const { client } = await deps.connect();
      try {
        const preview = await client.workflow
          .getHandle(delayDeleteWorkflowId(integrationId))
          .executeUpdate<ClosingPreview, [unknown]>('previewClose', { args: [{}] });
        const deletes = preview.planKey
          ? await withStore(deps.loadConfig(), (store) => deletesOfPlan(store, preview.planKey!))
          : [];
        deps.print({ ...preview, deletes });
      } finally {
        await client.connection.close();
      }
    });
}
