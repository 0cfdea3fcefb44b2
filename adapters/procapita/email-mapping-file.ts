import { readFile } from 'node:fs/promises';
import { parseEmailMappingCsv, type EmailMapping } from '../../domain/procapita';

/** Reads and parses the e-mail mapping CSV (PC-8). */
export async function readEmailMapping(path: string): Promise<EmailMapping> {
  return parseEmailMappingCsv(await readFile(path, 'utf8'));
}
