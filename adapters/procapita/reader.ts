/** Reads one snapshot of ProCapita rows through an mssql pool the worker builds once (PC-1). */
import sql from 'mssql';
import { RejectedError } from '../../platform/errors';
import { parseAnswer } from '../http';
import {
  calendarDateSchema,
  procapitaRowsSchema,
  type CalendarDate,
  type ProcapitaRows,
} from '../../domain/procapita';
import { normalizeProcapitaRows } from '../../domain/procapita/rows-fast';
import { classifyMssqlError, PROCAPITA } from './errors';
import { loadProcapitaQueries, type ProcapitaQuery, type ProcapitaQueryParameter } from './queries';

/** The part of `mssql.ConnectionPool` the reader uses, so tests can hand in a recording stand-in. */
export interface ProcapitaPool {
  request(): {
    input(name: string, type: sql.ISqlTypeFactory | sql.ISqlType, value: unknown): unknown;
    query(command: string): Promise<{ recordset: unknown[] }>;
  };
}

export interface ProcapitaReader {
  /** All row sets for the sync date, read with parameterized queries only; rows are validated. */
  readSnapshot(syncDate: CalendarDate, schoolIds: readonly string[]): Promise<ProcapitaRows>;
}

export interface ProcapitaReaderOptions {
  /** Where the `.sql` files are; defaults to `sql/procapita` at the repository root. */
  sqlDir?: string;
}

function bind(parameter: ProcapitaQueryParameter, syncDate: CalendarDate, schoolIds: readonly string[]) {
  switch (parameter) {
    case 'syncDate':
      return { type: sql.Date, value: new Date(`${syncDate}T00:00:00Z`) };
    case 'schoolIds':
      return { type: sql.NVarChar(sql.MAX), value: schoolIds.join(',') };
  }
}

export function createProcapitaReader(
  pool: ProcapitaPool,
  options: ProcapitaReaderOptions = {},
): ProcapitaReader {
  const queries: ProcapitaQuery[] = loadProcapitaQueries(options.sqlDir);
  return {
    async readSnapshot(syncDate, schoolIds) {
      calendarDateSchema.parse(syncDate);
      if (schoolIds.length === 0 || schoolIds.some((id) => id === '' || id.includes(','))) {
        throw new RejectedError(
          PROCAPITA,
          'schoolIds must be non-empty ids without commas (they are sent comma-separated)',
          undefined,
          'InvalidConfiguration',
        );
      }
      const raw: Record<string, unknown[]> = {};
      // One query at a time: the nightly read is not urgent and the database is the customer's production system.
      for (const query of queries) {
        const request = pool.request();
        for (const parameter of query.parameters) {
          const { type, value } = bind(parameter, syncDate, schoolIds);
          request.input(parameter, type, value);
        }
        try {
          raw[query.key] = (await request.query(query.text)).recordset;
        } catch (err) {
          throw classifyMssqlError(err);
        }
      }
      return normalizeProcapitaRows(raw) ?? parseAnswer(PROCAPITA, 'rows', procapitaRowsSchema, raw);
    },
  };
}
