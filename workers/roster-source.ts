/**
 * Builds the roster source the worker hands to the roster-sync activities: ProCapita's database
 * through one mssql pool (read-only account, built once here), or a fixture file of the same rows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sql from 'mssql';
import type { RosterSource } from '../activities';
import { createProcapitaReader, readEmailMapping, readFixture } from '../adapters/procapita';
import { buildExport } from '../domain/procapita/build-export';
import { procapitaReaderConfigSchema, type ProcapitaReaderConfig } from '../domain/procapita/config';
import type { ProcapitaRows } from '../domain/procapita';
import { safetyThresholdsSchema, type SafetyThresholds } from '../domain/roster';
import { procapitaToRoster, summaryForHistory } from '../domain/roster-sync';
import type { AppConfig } from '../platform/config';
import { ConfigError } from '../platform/config';
import { repoRoot } from '../platform/tools';

const resolve = (file: string): string => path.resolve(repoRoot, file);

async function readJsonFile(file: string, variable: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(resolve(file), 'utf8'));
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read JSON from ${file} (${(err as Error).message})`]);
  }
}

export async function loadReaderConfig(file: string | undefined): Promise<ProcapitaReaderConfig> {
  if (!file) throw new ConfigError(['PROCAPITA_READER_CONFIG: is required when the roster sync is enabled']);
  const parsed = procapitaReaderConfigSchema.safeParse(await readJsonFile(file, 'PROCAPITA_READER_CONFIG'));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `PROCAPITA_READER_CONFIG ${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

export async function loadSafetyThresholds(file: string | undefined): Promise<SafetyThresholds> {
  const raw = file ? await readJsonFile(file, 'ROSTER_SAFETY_THRESHOLDS_FILE') : {};
  const parsed = safetyThresholdsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `ROSTER_SAFETY_THRESHOLDS_FILE ${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

export async function buildRosterSource(
  config: AppConfig,
): Promise<RosterSource & { close(): Promise<void> }> {
  const roster = config.rosterSync;
  const readerConfig = await loadReaderConfig(roster.readerConfigFile);
  // A mapping named in the reader configuration is relative to that file.
  const mappingFile =
    roster.emailMappingCsv ??
    (readerConfig.emailMappingCsv && roster.readerConfigFile
      ? path.resolve(path.dirname(resolve(roster.readerConfigFile)), readerConfig.emailMappingCsv)
      : undefined);

  let readRows: (syncDate: string) => Promise<ProcapitaRows>;
  let close = async (): Promise<void> => undefined;
  if (roster.source === 'procapita-db') {
    const pool = new sql.ConnectionPool(roster.connectionString?.reveal() ?? '');
    // The reader loads its SQL files first, so a file missing from the image stops start-up at once.
    const reader = createProcapitaReader(pool);
    await pool.connect();
    close = () => pool.close();
    const schoolIds = readerConfig.schools.map((s) => s.schoolId);
    readRows = (syncDate) => reader.readSnapshot(syncDate, schoolIds);
  } else {
    readRows = () => readFixture(resolve(roster.fixturePath));
  }

  return {
    async read(syncDate) {
      const [rows, mapping] = await Promise.all([
        readRows(syncDate),
        mappingFile ? readEmailMapping(resolve(mappingFile)) : Promise.resolve(undefined),
      ]);
      const result = buildExport(rows, readerConfig, syncDate, mapping);
      return {
        roster: procapitaToRoster(result.export),
        report: summaryForHistory(result.summary),
        warnings: result.warnings,
      };
    },
    close,
  };
}
