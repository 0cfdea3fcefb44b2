/**
 * The one way adapters make HTTP calls: an axios instance per outside system whose failures are
 * classified into {@link TransientError} / {@link RejectedError}, and zod parsing of every answer.
 */
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { RejectedError, SchemaError, TransientError } from '../platform/errors';

export interface HttpClientOptions {
  system: string;
  baseURL: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(
  headers: AxiosResponse['headers'] | undefined,
  now = Date.now(),
): number | undefined {
  const value = headers?.['retry-after'] as string | undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classifies a failed request the same way for every system. */
export function classifyHttpError(system: string, err: unknown): Error {
  if (!(err instanceof AxiosError)) return err instanceof Error ? err : new Error(String(err));
  const res = err.response;
  const where = `${err.config?.method?.toUpperCase() ?? 'HTTP'} ${err.config?.url ?? ''}`.trim();
  if (!res) {
    return new TransientError(system, `${where} failed without an answer (${err.code ?? err.message})`);
  }
  const status = res.status;
  if (status === 408 || status === 429 || status >= 500) {
    return new TransientError(system, `${where} answered ${status}`, status, retryAfterMs(res.headers));
  }
  return new RejectedError(system, `${where} answered ${status}`, status, httpReason(status));
}

function httpReason(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 422:
      return 'Unprocessable';
    default:
      return `Http${status}`;
  }
}

export function createHttpClient(opts: HttpClientOptions): AxiosInstance {
  const instance = axios.create({
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs,
    headers: opts.headers,
    // Keep bodies as text when they are not JSON so zod reports "malformed" instead of axios throwing.
    transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: true },
  });
  instance.interceptors.response.use(undefined, (err: unknown) =>
    Promise.reject(classifyHttpError(opts.system, err)),
  );
  return instance;
}

/**
 * Checks a caller's input before anything is sent: a caller's mistake is not worth retrying, so it is
 * a non-retryable {@link RejectedError} (`InvalidInput`) naming the first bad field.
 */
export function validInput<S extends z.ZodType>(
  system: string,
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new RejectedError(
    system,
    `invalid ${what}: ${issue?.path.join('.')} ${issue?.message}`,
    undefined,
    'InvalidInput',
  );
}

/** Validates an answer against its documented shape; a mismatch is a {@link SchemaError}. */
export function parseAnswer<S extends z.ZodType>(
  system: string,
  what: string,
  schema: S,
  data: unknown,
): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new SchemaError(system, what, issues);
  }
  return result.data;
}
