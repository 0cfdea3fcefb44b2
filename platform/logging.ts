/**
 * Structured JSON logs (PLAT-11). The Temporal runtime logger is backed by the same pino logger, so
 * workflow and activity logs carry their workflowId, runId and activity metadata as fields.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import pino, { type Logger as PinoLogger } from 'pino';

export type AppLogger = PinoLogger;

const MAX_CAUSES = 5;

/**
 * An error as log fields: its type, message, stack and causes. An Error's own fields are not
 * enumerable, so without this the SDK's `{ error }` printed as `{}`. A failure's `details` are left
 * out on purpose: they hold personal values the codec keeps encrypted (docs/failure-messages.md).
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = {
    type: value instanceof ApplicationFailure && value.type ? value.type : value.name,
    message: value.message,
  };
  if (value instanceof ApplicationFailure) out.nonRetryable = value.nonRetryable;
  if (value.stack) out.stack = value.stack;
  if (value.cause !== undefined && depth < MAX_CAUSES) out.cause = serializeError(value.cause, depth + 1);
  return out;
}

/** `destination` defaults to stdout; tests pass a stream to read the lines. */
export function createLogger(level: string, name: string, destination?: pino.DestinationStream): AppLogger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // `err` by our own code, `error` by the Temporal SDK's log calls (activity and workflow failures).
    serializers: { err: serializeError, error: serializeError },
    // Defence in depth: the config never logs secrets, but redact anything that looks like one.
    redact: {
      paths: ['*.password', '*.secret', '*.token', '*.apiKey', '*.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
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
