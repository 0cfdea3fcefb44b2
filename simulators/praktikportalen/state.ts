/**
 * Praktikportalen as the simulator models it (no public API; seed 003): internship periods by
 * number with their students and supervisors, and the place where each supervisor's WISEflow access
 * link is shown. Everything here is an assumption, listed in docs/wiseflow-apis.md.
 */
import { z } from 'zod';
import type { InternshipPeriod, InternshipSupervisor } from '../../adapters/praktikportalen/types';

const person = z.object({
  praktikportalenId: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  email: z.email(),
});

const date = z.iso.date();

export const periodSeedSchema = z.object({
  periodNumber: z.string().regex(/^[a-zA-Z0-9-_]+$/, 'period numbers are letters, digits, - and _'),
  title: z.string().min(1),
  startDate: date,
  endDate: date,
  students: z.array(person).default([]),
  supervisors: z.array(person).default([]),
});

export const seedSchema = z.object({ periods: z.array(periodSeedSchema).default([]) });
export const supervisorSchema = person;
export const supervisorPatchSchema = person.omit({ praktikportalenId: true }).partial();
export const accessLinkSchema = z.object({ url: z.url(), expires: z.number().int().positive() });

export type PraktikportalenSeed = z.input<typeof seedSchema>;

/** The link shown to one supervisor in a period; `replaced` counts the links shown before it. */
export interface ShownLink {
  periodNumber: string;
  praktikportalenId: string;
  url: string;
  expires: number;
  publishedAt: string;
  replaced: number;
}

export class PraktikportalenProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export class PraktikportalenState {
  readonly periods = new Map<string, InternshipPeriod>();
  /** Key `<period>/<praktikportalenId>`. */
  readonly links = new Map<string, ShownLink>();
  /** Every publish received, oldest first (also the unchanged ones). */
  readonly publishLog: Array<{
    periodNumber: string;
    praktikportalenId: string;
    url: string;
    changed: boolean;
  }> = [];

  seed(input: PraktikportalenSeed): void {
    for (const period of seedSchema.parse(input).periods) this.periods.set(period.periodNumber, period);
  }

  reset(): void {
    this.periods.clear();
    this.links.clear();
    this.publishLog.length = 0;
  }

  period(periodNumber: string): InternshipPeriod {
    const period = this.periods.get(periodNumber);
    if (!period) throw new PraktikportalenProblem(404, `internship period ${periodNumber} not found`);
    return period;
  }

  addSupervisor(periodNumber: string, input: unknown): InternshipSupervisor {
    const supervisor = supervisorSchema.parse(input);
    const period = this.period(periodNumber);
    if (period.supervisors.some((s) => s.praktikportalenId === supervisor.praktikportalenId)) {
      throw new PraktikportalenProblem(
        409,
        `supervisor ${supervisor.praktikportalenId} is already on ${periodNumber}`,
      );
    }
    period.supervisors.push(supervisor);
    return supervisor;
  }

  /** Corrects a supervisor's name or e-mail; the Praktikportalen id stays. */
  updateSupervisor(periodNumber: string, praktikportalenId: string, input: unknown): InternshipSupervisor {
    const patch = supervisorPatchSchema.parse(input);
    const supervisor = this.#supervisor(periodNumber, praktikportalenId);
    Object.assign(supervisor, patch);
    return supervisor;
  }

  removeSupervisor(periodNumber: string, praktikportalenId: string): void {
    const period = this.period(periodNumber);
    this.#supervisor(periodNumber, praktikportalenId);
    period.supervisors = period.supervisors.filter((s) => s.praktikportalenId !== praktikportalenId);
    this.links.delete(`${periodNumber}/${praktikportalenId}`);
  }

  /** One supervisor leaves and another takes their place (a new Praktikportalen id). */
  replaceSupervisor(periodNumber: string, praktikportalenId: string, input: unknown): InternshipSupervisor {
    const next = supervisorSchema.parse(input);
    this.removeSupervisor(periodNumber, praktikportalenId);
    return this.addSupervisor(periodNumber, next);
  }

  addStudent(periodNumber: string, input: unknown): void {
    const student = supervisorSchema.parse(input);
    const period = this.period(periodNumber);
    period.students = [
      ...period.students.filter((s) => s.praktikportalenId !== student.praktikportalenId),
      student,
    ];
  }

  removeStudent(periodNumber: string, praktikportalenId: string): void {
    const period = this.period(periodNumber);
    period.students = period.students.filter((s) => s.praktikportalenId !== praktikportalenId);
  }

  /** Shows a supervisor's link, replacing the one shown before; the same link again changes nothing. */
  publishLink(
    periodNumber: string,
    praktikportalenId: string,
    input: unknown,
  ): { changed: boolean; link: ShownLink } {
    const { url, expires } = accessLinkSchema.parse(input);
    this.#supervisor(periodNumber, praktikportalenId);
    const key = `${periodNumber}/${praktikportalenId}`;
    const shown = this.links.get(key);
    const changed = shown?.url !== url || shown.expires !== expires;
    if (changed) {
      this.links.set(key, {
        periodNumber,
        praktikportalenId,
        url,
        expires,
        publishedAt: new Date().toISOString(),
        replaced: shown ? shown.replaced + 1 : 0,
      });
    }
    this.publishLog.push({ periodNumber, praktikportalenId, url, changed });
    return { changed, link: this.links.get(key) as ShownLink };
  }

  linksOf(periodNumber: string): ShownLink[] {
    this.period(periodNumber);
    return [...this.links.values()].filter((l) => l.periodNumber === periodNumber);
  }

  snapshot() {
    return structuredClone({
      periods: [...this.periods.values()],
      links: [...this.links.values()],
      publishLog: this.publishLog,
    });
  }

  #supervisor(periodNumber: string, praktikportalenId: string): InternshipSupervisor {
    const supervisor = this.period(periodNumber).supervisors.find(
      (s) => s.praktikportalenId === praktikportalenId,
    );
    if (!supervisor) {
      throw new PraktikportalenProblem(
        404,
        `supervisor ${praktikportalenId} is not on period ${periodNumber}`,
      );
    }
    return supervisor;
  }
}
