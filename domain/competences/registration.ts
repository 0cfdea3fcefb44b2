/**
 * What a passing result becomes in WinLas (CW-2, CW-5, CW-6): a registration valid from the pass
 * date to the pass date plus the competence's default days, unless the person already holds the
 * competence. The idempotency key is per person and competence, not per course, so two courses
 * linked to one competence give one registration.
 */
import type { LinkedCompetence } from './link';

export interface ParticipantResult {
  resultId: string;
  email: string;
  passed: boolean;
  completedAt: string;
}

export interface HeldRegistration {
  competenceId: string;
}

export interface RegistrationToMake {
  personId: string;
  competenceId: string;
  validFrom: string;
  validTo: string;
  externalKey: string;
}

export type RegistrationDecision =
  { kind: 'register'; registration: RegistrationToMake } | { kind: 'already-held'; competenceId: string };

/** The integration's key for a person's competence: one per person and competence, ever (CW-5). */
export function registrationKey(personId: string, competenceId: string): string {
  return `infocaption:${personId}:${competenceId}`;
}

/** The calendar day of an instant in a time zone (YYYY-MM-DD): the pass date in WinLas' time zone. */
export function passDate(completedAt: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(completedAt));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A calendar date plus whole days (leap years counted). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The registrations a passing result of a matched person gives, one decision per linked competence:
 * a competence the person holds already (made by anyone) stays as it is (CW-5); otherwise valid-to is
 * the pass date plus the competence's default days (CW-6).
 */
export function decideRegistrations(input: {
  personId: string;
  result: ParticipantResult;
  competences: readonly LinkedCompetence[];
  held: readonly HeldRegistration[];
  timeZone: string;
}): RegistrationDecision[] {
  const from = passDate(input.result.completedAt, input.timeZone);
  return input.competences.map((c) =>
    input.held.some((h) => h.competenceId === c.competenceId)
      ? { kind: 'already-held', competenceId: c.competenceId }
      : {
          kind: 'register',
          registration: {
            personId: input.personId,
            competenceId: c.competenceId,
            validFrom: from,
            validTo: addDays(from, c.defaultValidityDays),
            externalKey: registrationKey(input.personId, c.competenceId),
          },
        },
  );
}
