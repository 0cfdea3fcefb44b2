/**
 * PC-8: the mapping table that fills e-mail addresses missing in ProCapita, typically exported from
 * the directory (AD). A CSV with a header row and the columns `id` and `email`; `id` is a ProCapita
 * id (guid, compared case-insensitively) or a personnummer (`YYYYMMDD-NNNN` or `YYYYMMDDNNNN`).
 * Comma or semicolon separated, as Excel writes it in Swedish locales.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { normalizePersonnummer } from './personnummer';

export interface EmailMapping {
  readonly byProcapitaId: ReadonlyMap<string, string>;
  readonly byNationalId: ReadonlyMap<string, string>;
}

export const emptyEmailMapping: EmailMapping = { byProcapitaId: new Map(), byNationalId: new Map() };

/** Problems name line numbers only: the file holds personal data that must not reach logs. */
export class EmailMappingError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid e-mail mapping CSV:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EmailMappingError';
  }
}

const emailSchema = z.email();

/** True when `value` is a usable e-mail address. */
export function isEmail(value: string): boolean {
  return emailSchema.safeParse(value).success;
}

function put(map: Map<string, string>, key: string, email: string, line: number, problems: string[]): void {
  const existing = map.get(key);
  if (existing !== undefined && existing.toLowerCase() !== email.toLowerCase()) {
    problems.push(`line ${line}: the id is listed earlier with a different e-mail`);
    return;
  }
  map.set(key, email);
}

/** Parses the mapping CSV; throws one {@link EmailMappingError} naming every bad line. */
export function parseEmailMappingCsv(text: string): EmailMapping {
  const records = parse(text, {
    bom: true,
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    delimiter: [',', ';'],
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string | undefined>[];
  const problems: string[] = [];
  const byProcapitaId = new Map<string, string>();
  const byNationalId = new Map<string, string>();
  if (records.length > 0 && !('id' in records[0]! && 'email' in records[0]!)) {
    throw new EmailMappingError(['the header must name the columns id and email']);
  }
  records.forEach((record, index) => {
    const line = index + 2;
    const id = record.id ?? '';
    const email = record.email ?? '';
    if (id === '') return problems.push(`line ${line}: id is empty`);
    if (!isEmail(email)) return problems.push(`line ${line}: email is not a valid e-mail address`);
    const nationalId = normalizePersonnummer(id);
    if (nationalId !== null) put(byNationalId, nationalId, email, line, problems);
    else put(byProcapitaId, id.toLowerCase(), email, line, problems);
  });
  if (problems.length > 0) throw new EmailMappingError(problems);
  return { byProcapitaId, byNationalId };
}

export type EmailSource = 'procapita' | 'mapping';

/** ProCapita's own e-mail when it is usable, else the mapping by ProCapita id, then by personnummer. */
export function resolveEmail(
  person: { id: string; nationalId: string | null; email: string | null },
  mapping: EmailMapping,
): { email: string; source: EmailSource } | null {
  if (person.email !== null && isEmail(person.email)) return { email: person.email, source: 'procapita' };
  const byId = mapping.byProcapitaId.get(person.id.toLowerCase());
  if (byId !== undefined) return { email: byId, source: 'mapping' };
  const nationalId = person.nationalId === null ? null : normalizePersonnummer(person.nationalId);
  const byNationalId = nationalId === null ? undefined : mapping.byNationalId.get(nationalId);
  return byNationalId === undefined ? null : { email: byNationalId, source: 'mapping' };
}
