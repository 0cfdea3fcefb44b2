import type { ExportedPerson } from './export';

/** PC-7: the attributes exported for a student or staff member; the national id only when configured. */
export function personAttributes(
  person: { id: string; firstName: string; lastName: string; nationalId: string | null },
  email: string | null,
  schoolIds: readonly string[],
  includeNationalId: boolean,
): ExportedPerson {
  return {
    id: person.id,
    firstName: person.firstName,
    lastName: person.lastName,
    email,
    ...(includeNationalId && person.nationalId !== null ? { nationalId: person.nationalId } : {}),
    schoolIds: [...schoolIds].sort(),
  };
}
