import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import type { z } from 'zod';
import type { Migration } from '../postgres';
import { jsonText } from './json-text';
import { assertStoreKey, StoreKeyNotFoundError, type SnapshotStore, type StoredRef } from './snapshot-store';

/**
 * The store's tables. A value is written as rows of about 1 MB (`snapshot_chunks`) under a fresh
 * version id; `snapshot_objects` points each key at its current version.
 */
export const snapshotStoreMigrations: readonly Migration[] = [
  {
    id: 'snapshot-store/001-objects-and-chunks',
    sql: `
      CREATE TABLE snapshot_objects (
        key text PRIMARY KEY,
        version uuid NOT NULL,
        bytes bigint NOT NULL,
        chunks integer NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX snapshot_objects_stored_at ON snapshot_objects (stored_at);
      CREATE TABLE snapshot_chunks (
        key text NOT NULL,
        version uuid NOT NULL,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (version, seq)
      );
      CREATE INDEX snapshot_chunks_key ON snapshot_chunks (key);
    `,
  },
];

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** Regroups whatever the source yields into pieces of about `size` bytes, pulling as it goes. */
async function* rechunk(
  body: Readable | AsyncIterable<string | Uint8Array> | Iterable<string>,
  size: number,
): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const piece of body as AsyncIterable<string | Uint8Array>) {
    let buf =
      typeof piece === 'string'
        ? Buffer.from(piece, 'utf8')
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (length + buf.length >= size) {
      const take = size - length;
      parts.push(buf.subarray(0, take));
      yield Buffer.concat(parts, size);
      parts = [];
      length = 0;
      buf = buf.subarray(take);
    }
    if (buf.length > 0) {
      // Copy: a source may reuse its buffer for the next piece.
      parts.push(Buffer.from(buf));
      length += buf.length;
    }
  }
  if (length > 0) yield Buffer.concat(parts, length);
}

async function rollback(client: PoolClient, err: unknown): Promise<never> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch {
    client.release(true); // the connection is broken: do not hand it out again
  }
  throw err;
}

export interface PostgresStoreOptions {
  /** Size of one stored row; 1 MB keeps memory flat and round trips few. */
  chunkBytes?: number;
}

/**
 * A {@link SnapshotStore} in the platform's PostgreSQL (PLAT-12), so every worker replica reads
 * what another wrote. Values stream in and out about 1 MB at a time: a write inserts rows as the
 * source yields them and a read fetches one row at a time, so a 60 MB plan never sits in memory
 * whole on its way through. A write is one transaction (a reader sees the old value or the new
 * one); a read runs in one REPEATABLE READ transaction, so a replace during a read does not cut it
 * short. A stream from {@link SnapshotStore.getStream} holds a connection until it is read to the
 * end or destroyed. The tables come from {@link snapshotStoreMigrations}.
 */
export function createPostgresStore(pool: Pool, options: PostgresStoreOptions = {}): SnapshotStore {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;

  async function put(
    key: string,
    body: Readable | AsyncIterable<string | Uint8Array> | Iterable<string>,
  ): Promise<StoredRef> {
    assertStoreKey(key);
    const version = randomUUID();
    const client = await pool.connect();
    let bytes = 0;
    let seq = 0;
    try {
      await client.query('BEGIN');
      for await (const chunk of rechunk(body, chunkBytes)) {
        await client.query('INSERT INTO snapshot_chunks (key, version, seq, data) VALUES ($1, $2, $3, $4)', [
          key,
          version,
          seq++,
          chunk,
        ]);
        bytes += chunk.length;
      }
      await client.query(
        `INSERT INTO snapshot_objects (key, version, bytes, chunks, stored_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (key) DO UPDATE
           SET version = EXCLUDED.version, bytes = EXCLUDED.bytes, chunks = EXCLUDED.chunks, stored_at = now()`,
        [key, version, bytes, seq],
      );
      // Holding the key's row lock now, so every other committed version of this key is gone for good.
      await client.query('DELETE FROM snapshot_chunks WHERE key = $1 AND version <> $2', [key, version]);
      await client.query('COMMIT');
    } catch (err) {
      return rollback(client, err);
    }
    client.release();
    return { key, bytes };
  }

  /** Opens a consistent read of one value; the chunks come one query at a time. */
  async function open(key: string): Promise<{ bytes: number; chunks: AsyncGenerator<Buffer> }> {
    assertStoreKey(key);
    const client = await pool.connect();
    let head: { version: string; bytes: string; chunks: number } | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // A reader that is never drained must not hold its snapshot for ever.
      await client.query("SET LOCAL idle_in_transaction_session_timeout = '15min'");
      const { rows } = await client.query<{ version: string; bytes: string; chunks: number }>(
        'SELECT version, bytes, chunks FROM snapshot_objects WHERE key = $1',
        [key],
      );
      head = rows[0];
    } catch (err) {
      return rollback(client, err);
    }
    if (!head) {
      await client.query('COMMIT');
      client.release();
      throw new StoreKeyNotFoundError(key);
    }
    const { version, chunks } = head;
    async function* read(): AsyncGenerator<Buffer> {
      let failed = false;
      try {
        for (let seq = 0; seq < chunks; seq++) {
          const { rows } = await client.query<{ data: Buffer }>(
            'SELECT data FROM snapshot_chunks WHERE version = $1 AND seq = $2',
            [version, seq],
          );
          const data = rows[0]?.data;
          if (!data) throw new Error(`stored value ${key} is missing chunk ${seq} of ${chunks}`);
          yield data;
        }
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        if (failed) {
          client.release(true);
        } else {
          await client.query('COMMIT').then(
            () => client.release(),
            () => client.release(true),
          );
        }
      }
    }
    return { bytes: Number(head.bytes), chunks: read() };
  }

  async function getJson(key: string, schema?: z.ZodType): Promise<unknown> {
    const { bytes, chunks } = await open(key);
    // One buffer of the known size: the text is held once, then parsed.
    const text = Buffer.allocUnsafe(bytes);
    let at = 0;
    for await (const chunk of chunks) at += chunk.copy(text, at);
    const value: unknown = JSON.parse(text.toString('utf8', 0, at));
    return schema ? schema.parse(value) : value;
  }

  return {
    putJson: (key, value) => put(key, jsonText(value)),
    getJson: getJson as SnapshotStore['getJson'],
    putStream: (key, body) => put(key, body),
    async getStream(key) {
      const { chunks } = await open(key);
      return Readable.from(chunks, { objectMode: false });
    },
    async exists(key) {
      assertStoreKey(key);
      const { rowCount } = await pool.query('SELECT 1 FROM snapshot_objects WHERE key = $1', [key]);
      return (rowCount ?? 0) > 0;
    },
    async list(prefix = '') {
      const { rows } = await pool.query<{ key: string }>(
        'SELECT key FROM snapshot_objects WHERE starts_with(key, $1) ORDER BY key COLLATE "C"',
        [prefix],
      );
      return rows.map((r) => r.key);
    },
    async delete(key) {
      assertStoreKey(key);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM snapshot_objects WHERE key = $1', [key]);
        await client.query('DELETE FROM snapshot_chunks WHERE key = $1', [key]);
        await client.query('COMMIT');
      } catch (err) {
        return rollback(client, err);
      }
      client.release();
    },
    // A retention run deleting this row at the same time waits for the update and then skips it.
    async keep(key) {
      assertStoreKey(key);
      const { rowCount } = await pool.query('UPDATE snapshot_objects SET stored_at = now() WHERE key = $1', [
        key,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async removeOlderThan(cutoff) {
      const client = await pool.connect();
      let keys: string[];
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ key: string; version: string }>(
          'DELETE FROM snapshot_objects WHERE stored_at < $1 RETURNING key, version',
          [cutoff],
        );
        await client.query('DELETE FROM snapshot_chunks WHERE version = ANY($1::uuid[])', [
          rows.map((r) => r.version),
        ]);
        keys = rows.map((r) => r.key).sort();
        await client.query('COMMIT');
      } catch (err) {
        return rollback(client, err);
      }
      client.release();
      return keys;
    },
  };
}
