import { personAttributes } from './attributes';
import type { ProcapitaReaderConfig } from './config';
import { zeroCounts } from './counts';
import { resolveEmail, type EmailMapping } from './email-mapping';
import type { ExportedPerson } from './export';

/** The fields of a student or staff row the selection reads; the id through `idOf`. */
export interface PersonRecord {
  firstName: string | null;
  lastName: string | null;
  nationalId: string | null;
  email: string | null;
}

export interface PersonSelection<Reason extends string> {
  persons: ExportedPerson[];
  ids: Set<string>;
  excluded: Record<Reason | 'missingEmail', number>;
  fromProcapita: number;
  fromMapping: number;
  /** ProCapita ids of selected persons without e-mail, whether exported or held back. */
  withoutEmail: string[];
}

/**
 * Applies a person rule (PC-3 or PC-4), then the e-mail mapping and policy (PC-8) and the
 * attributes (PC-7). An excluded person leaves nothing behind but one count under its reason.
 */
export function selectPersons<R extends PersonRecord, Reason extends string>(
  records: Iterable<R>,
  idOf: (record: R) => string,
  reasons: readonly Reason[],
  exclusion: (record: R) => Reason | null,
  schoolIdsOf: (id: string) => readonly string[],
  config: Pick<ProcapitaReaderConfig, 'includeNationalId' | 'personsWithoutEmail'>,
  mapping: EmailMapping,
): PersonSelection<Reason> {
  const selection: PersonSelection<Reason> = {
    persons: [],
    ids: new Set(),
    excluded: zeroCounts([...reasons, 'missingEmail'] as const),
    fromProcapita: 0,
    fromMapping: 0,
    withoutEmail: [],
  };
  const seen = new Set<string>();
  for (const record of records) {
    const id = idOf(record);
    if (seen.has(id)) continue;
    seen.add(id);
    const reason = exclusion(record);
    if (reason !== null) {
      selection.excluded[reason] += 1;
      continue;
    }
    // The person rules exclude a missing name; this only narrows the type.
    if (record.firstName === null || record.lastName === null) continue;
    const person = {
      id,
      firstName: record.firstName,
      lastName: record.lastName,
      nationalId: record.nationalId,
      email: record.email,
    };
    const email = resolveEmail(person, mapping);
    if (email === null) {
      selection.withoutEmail.push(id);
      if (config.personsWithoutEmail === 'hold-back') {
        selection.excluded.missingEmail += 1;
        continue;
      }
    } else if (email.source === 'mapping') selection.fromMapping += 1;
    else selection.fromProcapita += 1;
    selection.persons.push(
      personAttributes(person, email?.email ?? null, schoolIdsOf(id), config.includeNationalId),
    );
    selection.ids.add(id);
  }
  return selection;
}
