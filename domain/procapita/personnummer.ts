/**
 * Swedish personal identity numbers (personnummer), `YYYYMMDD-NNNC`. The check digit C is the Luhn
 * digit over the ten-digit form's first nine digits `YYMMDDNNN` (Skatteverket SKV 704).
 */

const PATTERN = /^(\d{4})(\d{2})(\d{2})-?(\d{3})(\d)$/;

/** The Luhn check digit for nine digits `YYMMDDNNN`. */
export function personnummerCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error('expected nine digits YYMMDDNNN');
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/** `YYYYMMDD-NNNC` for a birth date and a three-digit birth number, with its check digit. */
export function formatPersonnummer(birthDate: string, birthNumber: number): string {
  const ymd = birthDate.replaceAll('-', '');
  const nnn = String(birthNumber).padStart(3, '0');
  return `${ymd}-${nnn}${personnummerCheckDigit(ymd.slice(2) + nnn)}`;
}

function isRealDate(y: string, m: string, d: string): boolean {
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === `${y}-${m}-${d}`;
}

/** True for a twelve-digit personnummer (with or without the hyphen), a real birth date and a correct check digit. */
export function isValidPersonnummer(value: string): boolean {
  const m = PATTERN.exec(value.trim());
  if (!m) return false;
  const [, y, mo, d, nnn, check] = m as unknown as [string, string, string, string, string, string];
  if (!isRealDate(y, mo, d)) return false;
  return personnummerCheckDigit(y.slice(2) + mo + d + nnn) === Number(check);
}

/** The canonical `YYYYMMDD-NNNC` form, or null when `value` is not a twelve-digit personnummer shape. */
export function normalizePersonnummer(value: string): string | null {
  const m = PATTERN.exec(value.trim());
  return m ? `${m[1]}${m[2]}${m[3]}-${m[4]}${m[5]}` : null;
}
