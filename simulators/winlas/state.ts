/** WinLas's competence tree, persons and registrations, with the look-ups the API answers. */
import { generatedEmail, SeedError } from '../competence-common';
import {
  competenceSeedSchema,
  generateSpecSchema,
  personSeedSchema,
  registrationInputSchema,
  seedSchema,
  type Competence,
  type GenerateSpec,
  type Person,
  type Registration,
  type Seed,
} from './model';

/** Why a registration was refused: an unknown person or competence, or a key already used for another. */
export class RegistrationRefused extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** How WinLas compares e-mail addresses: trimmed, case-insensitive. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export class WinLasState {
  readonly competences = new Map<string, Competence>();
  readonly persons = new Map<string, Person>();
  readonly registrations = new Map<string, Registration>();
  #byEmail = new Map<string, Set<string>>();
  #byPerson = new Map<string, Registration[]>();
  #byExternalKey = new Map<string, Registration>();
  /** The directory in listing order, rebuilt after a change (a backfill pages through 100,000). */
  #personList: Person[] | undefined;
  #nextCompetence = 1;
  #nextPerson = 1;
  #nextRegistration = 1;

  constructor(private readonly now: () => number = Date.now) {}

  seed(input: Seed): { competenceIds: string[]; personIds: string[]; registrationIds: string[] } {
    const seed = seedSchema.parse(input);
    return {
      competenceIds: seed.competences.map((c) => this.addCompetence(c).id),
      personIds: seed.persons.map((p) => this.addPerson(p).id),
      registrationIds: seed.registrations.map((r) => this.register(r).registration.id),
    };
  }

  addCompetence(input: unknown): Competence {
    const c = competenceSeedSchema.parse(input);
    const id = c.id ?? `C-${this.#nextCompetence++}`;
    if (this.competences.has(id)) throw new SeedError(`competence ${id} exists`);
    if (c.parentId !== null && !this.competences.has(c.parentId))
      throw new SeedError(`parent competence ${c.parentId} does not exist`);
    const competence: Competence = {
      id,
      name: c.name,
      parentId: c.parentId,
      defaultValidityDays: c.defaultValidityDays,
    };
    this.competences.set(id, competence);
    return competence;
  }

  updateCompetence(id: string, patch: unknown): Competence | undefined {
    const competence = this.competences.get(id);
    if (!competence) return undefined;
    Object.assign(competence, competenceSeedSchema.omit({ id: true, parentId: true }).partial().parse(patch));
    return competence;
  }

  addPerson(input: unknown): Person {
    const p = personSeedSchema.parse(input);
    const id = p.id ?? `WP-${this.#nextPerson++}`;
    if (this.persons.has(id)) throw new SeedError(`person ${id} exists`);
    const person: Person = { id, email: p.email, firstName: p.firstName, lastName: p.lastName };
    this.persons.set(id, person);
    this.#index(person);
    return person;
  }

  /** Changes a person (e.g. fixes an e-mail address). */
  updatePerson(id: string, patch: unknown): Person | undefined {
    const person = this.persons.get(id);
    if (!person) return undefined;
    this.#unindex(person);
    Object.assign(person, personSeedSchema.omit({ id: true }).partial().parse(patch));
    this.#index(person);
    return person;
  }

  removePerson(id: string): boolean {
    const person = this.persons.get(id);
    if (!person) return false;
    this.#unindex(person);
    this.persons.delete(id);
    return true;
  }

  /** Persons whose e-mail matches, trimmed and case-insensitively, by id. */
  findByEmail(email: string): Person[] {
    const ids = this.#byEmail.get(emailKey(email));
    return ids ? [...ids].map((id) => this.persons.get(id) as Person) : [];
  }

  listPersons(
    page: number,
    pageSize: number,
  ): { results: Person[]; totalHits: number; totalPages: number; currentPage: number } {
    this.#personList ??= [...this.persons.values()];
    const all = this.#personList;
    return {
      results: all.slice((page - 1) * pageSize, page * pageSize),
      totalHits: all.length,
      totalPages: Math.ceil(all.length / pageSize),
      currentPage: page,
    };
  }

  registrationsOf(personId: string, competenceId?: string): Registration[] {
    const list = this.#byPerson.get(personId) ?? [];
    return competenceId === undefined ? list : list.filter((r) => r.competenceId === competenceId);
  }

  /**
   * Registers a competence on a person. Idempotent by `externalKey`: the same key again answers the
   * registration it made, created=false; the key with another person or competence is refused (409).
   */
  register(input: unknown): { registration: Registration; created: boolean } {
    const r = registrationInputSchema.parse(input);
    if (r.externalKey !== undefined) {
      const existing = this.#byExternalKey.get(r.externalKey);
      if (existing) {
        if (existing.personId !== r.personId || existing.competenceId !== r.competenceId)
          throw new RegistrationRefused(409, 'externalKey already used for another person or competence');
        return { registration: existing, created: false };
      }
    }
    if (!this.persons.has(r.personId)) throw new RegistrationRefused(404, 'Person not found');
    if (!this.competences.has(r.competenceId)) throw new RegistrationRefused(404, 'Competence not found');
    const registration: Registration = {
      id: `REG-${this.#nextRegistration++}`,
      personId: r.personId,
      competenceId: r.competenceId,
      validFrom: r.validFrom,
      validTo: r.validTo,
      source: r.source,
      ...(r.externalKey !== undefined ? { externalKey: r.externalKey } : {}),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.registrations.set(registration.id, registration);
    const list = this.#byPerson.get(r.personId) ?? [];
    list.push(registration);
    this.#byPerson.set(r.personId, list);
    if (r.externalKey !== undefined) this.#byExternalKey.set(r.externalKey, registration);
    return { registration, created: true };
  }

  removeRegistration(id: string): boolean {
    const registration = this.registrations.get(id);
    if (!registration) return false;
    this.registrations.delete(id);
    const list = this.#byPerson.get(registration.personId) ?? [];
    this.#byPerson.set(
      registration.personId,
      list.filter((r) => r.id !== id),
    );
    if (registration.externalKey !== undefined) this.#byExternalKey.delete(registration.externalKey);
    return true;
  }

  /** Many persons in one call (see {@link generateSpecSchema}). */
  generate(input: GenerateSpec): { persons: number; skipped: number } {
    const spec = generateSpecSchema.parse(input);
    let made = 0;
    let skipped = 0;
    for (let n = 1; n <= spec.persons; n++) {
      if (spec.skipEvery !== undefined && n % spec.skipEvery === 0) {
        skipped++;
        continue;
      }
      const number = spec.firstNumber + n - 1;
      const email = generatedEmail(number, spec.emailDomain);
      const messy = spec.messyEvery !== undefined && n % spec.messyEvery === 0;
      const id = `GP-${number}`;
      if (this.persons.has(id)) throw new SeedError(`person ${id} exists`);
      const person: Person = {
        id,
        email: messy ? `  ${email.toUpperCase()} ` : email,
        firstName: 'Learner',
        lastName: String(number),
      };
      this.persons.set(id, person);
      this.#index(person);
      made++;
    }
    return { persons: made, skipped };
  }

  /** Counts, and everything whole when small (the registrations always, filtered by competence if asked). */
  /**
   * Registrations by source and competence, and the person-and-competence pairs registered more than
   * once by one source (a retried or resumed integration must leave none, CW-5, CW-9).
   */
  registrationStats(): {
    total: number;
    bySource: Record<string, number>;
    byCompetence: Record<string, number>;
    duplicatePairs: number;
    duplicateExamples: { personId: string; competenceId: string; source: string; count: number }[];
  } {
    const bySource: Record<string, number> = {};
    const byCompetence: Record<string, number> = {};
    const pairs = new Map<
      string,
      { personId: string; competenceId: string; source: string; count: number }
    >();
    for (const r of this.registrations.values()) {
      bySource[r.source] = (bySource[r.source] ?? 0) + 1;
      byCompetence[r.competenceId] = (byCompetence[r.competenceId] ?? 0) + 1;
      const key = `${r.source}\u0000${r.personId}\u0000${r.competenceId}`;
      const pair = pairs.get(key) ?? {
        personId: r.personId,
        competenceId: r.competenceId,
        source: r.source,
        count: 0,
      };
      pair.count++;
      pairs.set(key, pair);
    }
    const duplicates = [...pairs.values()].filter((p) => p.count > 1);
    return {
      total: this.registrations.size,
      bySource,
      byCompetence,
      duplicatePairs: duplicates.length,
      duplicateExamples: duplicates.slice(0, 10),
    };
  }

  summary(): Record<string, unknown> {
    const small = this.persons.size <= 1000;
    return {
      competences: [...this.competences.values()],
      personCount: this.persons.size,
      registrationCount: this.registrations.size,
      registrationStats: this.registrationStats(),
      ...(small ? { persons: [...this.persons.values()] } : {}),
      ...(this.registrations.size <= 1000 ? { registrations: [...this.registrations.values()] } : {}),
    };
  }

  reset(): void {
    this.competences.clear();
    this.persons.clear();
    this.registrations.clear();
    this.#byEmail.clear();
    this.#byPerson.clear();
    this.#byExternalKey.clear();
    this.#personList = undefined;
    this.#nextCompetence = this.#nextPerson = this.#nextRegistration = 1;
  }

  #index(person: Person): void {
    this.#personList = undefined;
    const key = emailKey(person.email);
    const ids = this.#byEmail.get(key) ?? new Set<string>();
    ids.add(person.id);
    this.#byEmail.set(key, ids);
  }

  #unindex(person: Person): void {
    this.#personList = undefined;
    const key = emailKey(person.email);
    const ids = this.#byEmail.get(key);
    ids?.delete(person.id);
    if (ids?.size === 0) this.#byEmail.delete(key);
  }
}
