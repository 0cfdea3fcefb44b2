import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { assertStoreKey, StoreKeyNotFoundError, type SnapshotStore, type StoredRef } from './snapshot-store';

const TEMP_MARK = '.tmp-';

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * A {@link SnapshotStore} in a local folder: one file per key. Each write goes to a temporary file
 * beside the target and is renamed over it, which is atomic on one file system.
 */
export function createLocalStore(dir: string): SnapshotStore {
  const pathOf = (key: string): string => join(dir, ...assertStoreKey(key).split('/'));

  async function atomically(key: string, write: (temp: string) => Promise<void>): Promise<StoredRef> {
    const target = pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}${TEMP_MARK}${randomUUID()}`;
    try {
      await write(temp);
      const { size } = await stat(temp);
      await rename(temp, target);
      return { key, bytes: size };
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async function walk(folder: string): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const nested = await Promise.all(
      entries.map(async (e) => {
        const full = join(folder, e.name);
        if (e.isDirectory()) return walk(full);
        return e.name.includes(TEMP_MARK) ? [] : [relative(dir, full).split(sep).join('/')];
      }),
    );
    return nested.flat();
  }

  async function getJson(key: string, schema?: z.ZodType): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(pathOf(key), 'utf8');
    } catch (err) {
      if (isMissing(err)) throw new StoreKeyNotFoundError(key);
      throw err;
    }
    const value: unknown = JSON.parse(text);
    return schema ? schema.parse(value) : value;
  }

  return {
    putJson: (key, value) => atomically(key, (temp) => writeFile(temp, JSON.stringify(value))),
    getJson: getJson as SnapshotStore['getJson'],
    putStream: (key, body) =>
      atomically(key, (temp) =>
        pipeline(body instanceof Readable ? body : Readable.from(body), createWriteStream(temp)),
      ),
    async getStream(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch (err) {
        if (isMissing(err)) throw new StoreKeyNotFoundError(key);
        throw err;
      }
      return createReadStream(path);
    },
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    async list(prefix = '') {
      const keys = await walk(dir);
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    // Retention reads the file's modification time.
    async keep(key) {
      const now = new Date();
      try {
        await utimes(pathOf(key), now, now);
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    async removeOlderThan(cutoff) {
      const removed: string[] = [];
      for (const key of await walk(dir)) {
        const file = pathOf(key);
        if ((await stat(file)).mtimeMs >= cutoff.getTime()) continue;
        await rm(file, { force: true });
        removed.push(key);
        // Leave no empty run folders behind.
        for (
          let folder = dirname(file);
          folder !== dir && relative(dir, folder) !== '';
          folder = dirname(folder)
        ) {
          try {
            await rmdir(folder);
          } catch {
            break;
          }
        }
      }
      return removed.sort();
    },
  };
}
