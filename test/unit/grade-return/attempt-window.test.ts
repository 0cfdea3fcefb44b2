import { parseConfig, configSpec } from '../../../platform/config';
import { localParts, startOfLocalDay } from '../../../platform/rate-budget/policy';
import { nextAttemptInWindow, parseAttemptWindow } from '../../../domain/grade-return/spread';

const AMSTERDAM = { ...parseAttemptWindow('06:00-20:00')!, timeZone: 'Europe/Amsterdam' };
const localMinute = (at: number, timeZone: string): number => {
  const p = localParts(timeZone, at);
  return p.hour * 60 + p.minute;
};

describe("[CV-6] the daily attempts' window (GRADE_RETURN_ATTEMPT_WINDOW in COACHVIEW_TIME_ZONE)", () => {
  it('parses HH:MM-HH:MM and refuses anything else', () => {
    expect(parseAttemptWindow('06:00-20:00')).toEqual({ startMinute: 360, endMinute: 1200 });
    expect(parseAttemptWindow('00:00-24:00')).toEqual({ startMinute: 0, endMinute: 1440 });
    for (const bad of ['20:00-06:00', '06:00-06:00', '6:00-20:00', '06:60-20:00', '06:00-24:30', 'always'])
      expect(parseAttemptWindow(bad)).toBeNull();
  });

  it('is checked at start-up, with a message naming the setting', () => {
    const spec = { gradeReturn: configSpec.gradeReturn };
    expect(
      parseConfig(spec, { GRADE_RETURN_ATTEMPT_WINDOW: '08:30-17:00' }).gradeReturn.attemptWindow,
    ).toEqual({
      startMinute: 510,
      endMinute: 1020,
    });
    expect(() => parseConfig(spec, { GRADE_RETURN_ATTEMPT_WINDOW: '20:00-06:00' })).toThrow(
      /GRADE_RETURN_ATTEMPT_WINDOW.*HH:MM-HH:MM/,
    );
    expect(() =>
      parseConfig({ coachview: configSpec.coachview }, { COACHVIEW_TIME_ZONE: 'Mars/Olympus' }),
    ).toThrow(/COACHVIEW_TIME_ZONE/);
  });

  it("puts every run's attempts inside the window in the zone, one a day at the same wall-clock time, also across the change to winter time", () => {
    const after = Date.parse('2026-10-20T10:00:00Z');
    for (let run = 0; run < 200; run++) {
      const id = `grade-return:moodle:c:l-${run}`;
      let at = after;
      const minutes = new Set<number>();
      for (let day = 0; day < 14; day++) {
        const next = nextAttemptInWindow(at, id, AMSTERDAM, startOfLocalDay, localParts);
        expect(next - at).toBeGreaterThanOrEqual(12 * 3600_000);
        expect(next - at).toBeLessThanOrEqual(36 * 3600_000 + 3600_000);
        const minute = localMinute(next, 'Europe/Amsterdam');
        expect(minute).toBeGreaterThanOrEqual(AMSTERDAM.startMinute - 60);
        expect(minute).toBeLessThan(AMSTERDAM.endMinute + 60);
        minutes.add(minute);
        at = next;
      }
      // The same time of day, save the day the clocks change (kept as time since local midnight).
      expect(minutes.size).toBeLessThanOrEqual(2);
    }
  });
});
