/**
 * The licence gate (WF-4): the integration runs only for a WISEflow licence that carries a
 * Praktikportalen id, i.e. a user data type for the Praktikportalen id among the licence's
 * `userDataTypes`. No imports: workflow code reads this.
 */

export interface LicenceFacts {
  licenseId: number;
  name: string;
  userDataTypes: ReadonlyArray<{ id: number; name: string }>;
}

export type LicenceVerdict =
  { ok: true; userDataTypeId: number; userDataTypeName: string } | { ok: false; message: string };

/** How a Praktikportalen user data type is recognised when no id is configured. */
const PRAKTIKPORTALEN_NAME = /praktikportal/i;

/**
 * Checks the licence against the configured Praktikportalen user data type id; without one, a user
 * data type named like Praktikportalen is taken. The refusal says what the licence has, never a person.
 */
export function checkLicence(licence: LicenceFacts, configuredUserDataTypeId?: number): LicenceVerdict {
  const types = licence.userDataTypes;
  const found =
    configuredUserDataTypeId !== undefined
      ? types.find((t) => t.id === configuredUserDataTypeId)
      : types.find((t) => PRAKTIKPORTALEN_NAME.test(t.name));
  if (found) return { ok: true, userDataTypeId: found.id, userDataTypeName: found.name };
  const has = types.length === 0 ? 'none' : types.map((t) => `${t.id} (${t.name})`).join(', ');
  const wanted =
    configuredUserDataTypeId !== undefined
      ? `the configured Praktikportalen user data type ${configuredUserDataTypeId} (WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID)`
      : 'a Praktikportalen user data type';
  return {
    ok: false,
    message:
      `WISEflow licence ${licence.licenseId} (${licence.name}) carries no Praktikportalen id: ${wanted} ` +
      `is not among its user data types (it has: ${has}). The Praktikportalen integration runs only for ` +
      'licences with one (WF-4); nothing was changed in WISEflow.',
  };
}
