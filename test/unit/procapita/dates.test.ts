import { addDays, stockholmDate } from '../../../domain/procapita';

describe('Stockholm calendar dates', () => {
  it('[PC-2] 23:30 UTC on 31 January is already 1 February in Stockholm (UTC+1 in winter)', () => {
    expect(stockholmDate(new Date('2026-01-31T23:30:00Z'))).toBe('2026-02-01');
    expect(stockholmDate(new Date('2026-01-31T22:59:00Z'))).toBe('2026-01-31');
  });

  it('[PC-2] in summer (UTC+2) the date turns at 22:00 UTC', () => {
    expect(stockholmDate(new Date('2026-07-31T21:59:00Z'))).toBe('2026-07-31');
    expect(stockholmDate(new Date('2026-07-31T22:00:00Z'))).toBe('2026-08-01');
  });

  it('[PC-2] the daylight-saving change does not skip or repeat a date', () => {
    expect(stockholmDate(new Date('2026-03-29T00:30:00Z'))).toBe('2026-03-29');
    expect(stockholmDate(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-26');
  });

  it('[PC-5] adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-08-31', 1)).toBe('2026-09-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-09-03', -14)).toBe('2026-08-20');
  });
});
