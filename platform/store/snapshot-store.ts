import type { Readable } from 'node:stream';
import type { z } from 'zod';

/** What an activity hands on instead of the data: where it is and how big it is. */
export interface StoredRef {
  key: string;
  bytes: number;
}

/**
 * Large JSON (snapshots, plans) kept outside workflow history. Keys are `/`-separated paths of
 * letters, digits, `.`, `_` and `-`, e.g. `roster-sync/<runId>/plan.json`. Writes are atomic:
 * a reader sees the old value or the new one, never half a file.
 */
export interface SnapshotStore {
  putJson(key: string, value: unknown): Promise<StoredRef>;
  /** Reads and, when a schema is given, validates; throws {@link StoreKeyNotFoundError} when absent. */
  getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S>>;
  getJson(key: string): Promise<unknown>;
  putStream(key: string, body: Readable | AsyncIterable<string | Uint8Array>): Promise<StoredRef>;
  getStream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix (`roster-sync/run-1/`), sorted. */
  list(prefix?: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /**
   * Keeps a value from retention as if it had just been written, without rewriting it (a document
   * still in use, e.g. a delay-delete window's summer report). False when nothing is stored there.
   */
  keep(key: string): Promise<boolean>;
  /** Retention: removes every value stored before `cutoff`; returns their keys, sorted. */
  removeOlderThan(cutoff: Date): Promise<string[]>;
}

export class StoreKeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`nothing stored under ${key}`);
    this.name = 'StoreKeyNotFoundError';
  }
}

export class InvalidStoreKeyError extends Error {
  constructor(readonly key: string) {
    super(
      `invalid store key ${JSON.stringify(key)}: use /-separated segments of letters, digits, '.', '_' and '-'`,
    );
    this.name = 'InvalidStoreKeyError';
  }
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Checks a key; segments may not be `..` or start with a dot, so a key never leaves the store. */
export function assertStoreKey(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 512 || !segments.every((s) => SEGMENT.test(s)))
    throw new InvalidStoreKeyError(key);
  return key;
}
