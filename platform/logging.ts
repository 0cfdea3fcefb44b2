/**
 * Structured JSON logs (PLAT-11). The Temporal runtime logger is backed by the same pino logger, so
 * workflow and activity logs carry their workflowId, runId and activity metadata as fields.
 */
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import pino, { type Logger as PinoLogger } from 'pino';

export type AppLogger = PinoLogger;

export function createLogger(level: string, name: string): AppLogger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Defence in depth: the config never logs secrets, but redact anything that looks like one.
    redact: {
      paths: ['*.password', '*.secret', '*.token', '*.apiKey', '*.authorization'],
      censor: '[redacted]',
    },
  });
}

const levels: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** A Temporal `Logger` that writes through pino. */
export function temporalLogger(logger: AppLogger): DefaultLogger {
  const level = logger.level.toUpperCase() as 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  return new DefaultLogger(level, (entry: LogEntry) => {
    logger[levels[entry.level] ?? 'info']({ ...entry.meta }, entry.message);
  });
}
