/**
 * The daily attempts spread over the day (CV-6): each run's slot is a hash of its workflow id.
 */
import {
  MIN_ATTEMPT_GAP_MS,
  attemptSlotOfDay,
  nextDailyAttemptAt,
} from '../../../domain/grade-return/spread';

const DAY = 24 * 60 * 60 * 1000;
const ids = Array.from({ length: 10_000 }, (_, i) => `grade-return:moodle:course-${i % 40}:learner-${i}`);

describe('[CV-6] attempt slots', () => {
  it('[CV-6] 10,000 runs started in the same minute attempt spread over the whole day, not in one minute', () => {
    const start = Date.parse('2026-11-02T14:30:00Z');
    const perMinute = new Map<number, number>();
    for (const id of ids) {
      const minute = Math.floor(nextDailyAttemptAt(start, id) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    // 1,440 minutes a day: about 7 a minute, never dozens.
    expect(perMinute.size).toBeGreaterThan(1_300);
    expect(Math.max(...perMinute.values())).toBeLessThan(25);
    const perHour = new Map<number, number>();
    for (const id of ids) {
      const hour = new Date(nextDailyAttemptAt(start, id)).getUTCHours();
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    expect(perHour.size).toBe(24);
    for (const n of perHour.values()) expect(n).toBeLessThan(10_000 / 24 + 120);
  });

  it('[CV-6] a slot is deterministic (the same on replay) and lies in the window', () => {
    const window = { startMs: 60 * 60_000, lengthMs: 4 * 60 * 60_000 };
    for (const id of ids.slice(0, 500)) {
      const slot = attemptSlotOfDay(id, window);
      expect(attemptSlotOfDay(id, window)).toBe(slot);
      expect(slot).toBeGreaterThanOrEqual(window.startMs);
      expect(slot).toBeLessThan(window.startMs + window.lengthMs);
    }
  });

  it('[CV-6] the first gap is 12 to 36 hours, then attempts are 24 hours apart at the slot', () => {
    for (const id of ids.slice(0, 500)) {
      let at = Date.parse('2026-11-02T14:30:00Z');
      const first = nextDailyAttemptAt(at, id);
      expect(first - at).toBeGreaterThanOrEqual(MIN_ATTEMPT_GAP_MS);
      expect(first - at).toBeLessThan(MIN_ATTEMPT_GAP_MS + DAY);
      at = first;
      for (let day = 0; day < 5; day++) {
        // An attempt takes a few seconds; the next is still the next day's slot.
        const next = nextDailyAttemptAt(at + 5_000, id);
        expect(next - at).toBe(DAY);
        at = next;
      }
      expect(at % DAY).toBe(attemptSlotOfDay(id));
    }
  });
});
