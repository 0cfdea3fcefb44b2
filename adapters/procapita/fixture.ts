import { readFile } from 'node:fs/promises';
import { parseAnswer } from '../http';
import { procapitaRowsSchema, type ProcapitaRows } from '../../domain/procapita';
import { normalizeProcapitaRows } from '../../domain/procapita/rows-fast';
import { PROCAPITA } from './errors';

/** Rows of the same shape as {@link ProcapitaReader.readSnapshot}, from a JSON fixture file. */
export async function readFixture(path: string): Promise<ProcapitaRows> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not JSON`);
  }
  return normalizeProcapitaRows(json) ?? parseAnswer(PROCAPITA, `fixture ${path}`, procapitaRowsSchema, json);
}
