#!/usr/bin/env node
/**
 * Preview of the ProCapita export for any date (PC-9): reads a fixture or the database, applies the
 * rules and prints the export and its summary as JSON on stdout. It writes nothing anywhere else.
 *
 *   node dist/client/procapita-preview.js --date 2026-08-20 --fixture test/fixtures/procapita/small.json
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import sql from 'mssql';
import { createProcapitaReader, readEmailMapping, readFixture } from '../adapters/procapita';
import {
  buildExport,
  calendarDateSchema,
  emptyEmailMapping,
  procapitaReaderConfigSchema,
  stockholmDate,
  type ProcapitaExportResult,
  type ProcapitaReaderConfig,
  type ProcapitaRows,
} from '../domain/procapita';

export interface PreviewOptions {
  /** Stockholm calendar date; today in Stockholm when absent. */
  date?: string;
  fixture?: string;
  connectionString?: string;
  config?: string;
  emailMapping?: string;
}

/** `small.json` -> `small.config.json` beside it, the fixture's default configuration. */
function defaultConfigPath(fixture: string | undefined): string | undefined {
  const candidate = fixture?.replace(/\.json$/, '.config.json');
  return candidate !== undefined && candidate !== fixture && existsSync(candidate) ? candidate : undefined;
}

async function loadReaderConfig(path: string): Promise<{ config: ProcapitaReaderConfig; dir: string }> {
  const result = procapitaReaderConfigSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new Error(`Invalid ProCapita reader configuration ${path}:\n  - ${problems.join('\n  - ')}`);
  }
  return { config: result.data, dir: dirname(resolve(path)) };
}

async function readRows(
  opts: PreviewOptions,
  config: ProcapitaReaderConfig,
  date: string,
): Promise<ProcapitaRows> {
  if (opts.fixture) return readFixture(opts.fixture);
  const pool = new sql.ConnectionPool(opts.connectionString!);
  await pool.connect();
  try {
    const schoolIds = config.schools.map((s) => s.schoolId);
    return await createProcapitaReader(pool).readSnapshot(date, schoolIds);
  } finally {
    await pool.close();
  }
}

/** The export and summary the preview prints. */
export async function previewProcapita(opts: PreviewOptions): Promise<ProcapitaExportResult> {
  if (Boolean(opts.fixture) === Boolean(opts.connectionString)) {
    throw new Error(
      'give either --fixture or a connection string (--connection-string or PROCAPITA_CONNECTION_STRING)',
    );
  }
  const date = calendarDateSchema.parse(opts.date ?? stockholmDate(new Date()));
  const configPath = opts.config ?? defaultConfigPath(opts.fixture);
  if (configPath === undefined) throw new Error('give --config (the reader configuration JSON)');
  const { config, dir } = await loadReaderConfig(configPath);
  const mappingPath =
    opts.emailMapping ?? (config.emailMappingCsv ? resolve(dir, config.emailMappingCsv) : undefined);
  const mapping = mappingPath ? await readEmailMapping(mappingPath) : emptyEmailMapping;
  return buildExport(await readRows(opts, config, date), config, date, mapping);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('procapita-preview')
    .description('Print the ProCapita export and summary for a date, writing nothing')
    .option('--date <YYYY-MM-DD>', 'sync date (Stockholm calendar date); default today')
    .option('--fixture <path>', 'rows from a JSON fixture instead of the database')
    .option(
      '--connection-string <mssql>',
      'SQL Server connection string (prefer env PROCAPITA_CONNECTION_STRING)',
    )
    .option('--config <path>', 'reader configuration JSON; default <fixture>.config.json')
    .option('--email-mapping <csv>', 'e-mail mapping CSV; default emailMappingCsv from the configuration')
    .option('--summary-only', 'print the summary only')
    .parse(argv);
  const opts = program.opts<PreviewOptions & { summaryOnly?: boolean }>();
  const result = await previewProcapita({
    ...opts,
    connectionString:
      opts.connectionString ?? (opts.fixture ? undefined : process.env.PROCAPITA_CONNECTION_STRING),
  });
  const output = opts.summaryOnly ? { summary: result.summary } : result;
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

if (require.main === module) {
  main(process.argv).catch((err: unknown) => {
    // Only the message: a connection string never reaches it, and row errors name paths, not values.
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
