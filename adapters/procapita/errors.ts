import { RejectedError, TransientError } from '../../platform/errors';

export const PROCAPITA = 'ProCapita';

/** SQL Server error numbers that retrying will not fix: the account or the views need a DBA. */
const REJECTED_NUMBERS: Record<number, string> = {
  207: 'MissingColumn',
  208: 'MissingView',
  229: 'PermissionDenied',
  230: 'PermissionDenied',
  4060: 'DatabaseUnavailable',
  18456: 'LoginFailed',
};

interface MssqlLikeError {
  name?: string;
  code?: string;
  number?: number;
}

/**
 * Maps an mssql error to the platform's error types. The server's message is left out on purpose:
 * conversion errors quote column values, which may be personal data.
 */
export function classifyMssqlError(err: unknown): TransientError | RejectedError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as MssqlLikeError;
  const what = [e.name, e.code, e.number !== undefined ? `number ${e.number}` : undefined]
    .filter(Boolean)
    .join(' ');
  const reason =
    e.number !== undefined ? REJECTED_NUMBERS[e.number] : e.code === 'ELOGIN' ? 'LoginFailed' : undefined;
  if (reason !== undefined) return new RejectedError(PROCAPITA, `query refused (${what})`, undefined, reason);
  return new TransientError(PROCAPITA, `query failed (${what || 'unknown error'})`);
}
