import {
  formatPersonnummer,
  isValidPersonnummer,
  normalizePersonnummer,
  personnummerCheckDigit,
} from '../../../domain/procapita';

describe('personnummer', () => {
  it("[PC-7] computes the Luhn check digit of Skatteverket's example 811218-987(6)", () => {
    expect(personnummerCheckDigit('811218987')).toBe(6);
  });

  it('[PC-7] accepts a correct number with or without the hyphen', () => {
    expect(isValidPersonnummer('19811218-9876')).toBe(true);
    expect(isValidPersonnummer('198112189876')).toBe(true);
  });

  it('[PC-7] rejects a wrong check digit, an impossible date and the ten-digit form', () => {
    expect(isValidPersonnummer('19811218-9875')).toBe(false);
    expect(isValidPersonnummer('20230230-1234')).toBe(false);
    expect(isValidPersonnummer('811218-9876')).toBe(false);
    expect(isValidPersonnummer('not a number')).toBe(false);
  });

  it('[PC-7] every formatted number validates, for every check digit', () => {
    const digits = new Set<string>();
    for (let n = 0; n < 1000; n += 7) {
      const pnr = formatPersonnummer('2012-03-14', n);
      expect(isValidPersonnummer(pnr)).toBe(true);
      digits.add(pnr.slice(-1));
    }
    expect(digits.size).toBe(10);
  });

  it('[PC-8] normalizes to YYYYMMDD-NNNN', () => {
    expect(normalizePersonnummer('198112189876')).toBe('19811218-9876');
    expect(normalizePersonnummer(' 19811218-9876 ')).toBe('19811218-9876');
    expect(normalizePersonnummer('8b2f-guid')).toBeNull();
  });
});
