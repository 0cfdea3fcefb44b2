/**
 * Calendar dates (`YYYY-MM-DD`) in Europe/Stockholm. ProCapita's dates are school-day dates with no
 * time of day, so every rule compares calendar dates, never instants.
 */
import { z } from 'zod';

export const PROCAPITA_TIME_ZONE = 'Europe/Stockholm';

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const calendarDateSchema = z.iso.date();
export type CalendarDate = z.output<typeof calendarDateSchema>;

const stockholmParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: PROCAPITA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Stockholm at `instant` (23:30 UTC on 31 Jan is already 1 Feb there). */
export function stockholmDate(instant: Date): CalendarDate {
  const parts = Object.fromEntries(stockholmParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// The export asks for the same few hundred dates hundreds of thousands of times (placement starts).
const addDaysCache = new Map<string, CalendarDate>();
const ADD_DAYS_CACHE_LIMIT = 10_000;

/** `date` moved by `days` calendar days (negative moves back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const key = `${date}|${days}`;
  const cached = addDaysCache.get(key);
  if (cached !== undefined) return cached;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  const moved = d.toISOString().slice(0, 10);
  if (addDaysCache.size >= ADD_DAYS_CACHE_LIMIT) addDaysCache.clear();
  addDaysCache.set(key, moved);
  return moved;
}
