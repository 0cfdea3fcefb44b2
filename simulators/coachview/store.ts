/**
 * Coachview's in-memory state and the rules it applies to a result push: matching (CV-5), what a
 * processed result changes (CV-2) and that a registered result is never replaced (CV-3).
 */
import {
  enrolmentSeedSchema,
  personSeedSchema,
  seedSchema,
  type CoachviewSnapshot,
  type ElearningComponent,
  type EnrolmentSeed,
  type Person,
  type PersonSeed,
  type PushOutcome,
  type ResultPush,
  type Seed,
} from './model';

export class SeedError extends Error {}

export interface PushApplication {
  outcome: Extract<
    PushOutcome,
    'processed' | 'person-not-recognized' | 'course-not-recognized' | 'already-completed'
  >;
  componentId?: string;
}

export class CoachviewStore {
  #persons = new Map<string, Person>();
  #components: ElearningComponent[] = [];
  #nextId = 1;

  seed(input: Seed): void {
    const { persons, enrolments } = seedSchema.parse(input);
    persons.forEach((p) => this.addPerson(p));
    enrolments.forEach((e) => this.addEnrolment(e));
  }

  addPerson(input: PersonSeed): Person {
    const person = personSeedSchema.parse(input);
    if (this.#persons.has(person.id)) throw new SeedError(`person ${person.id} exists`);
    this.#persons.set(person.id, person);
    return { ...person };
  }

  addEnrolment(input: EnrolmentSeed): ElearningComponent {
    const seed = enrolmentSeedSchema.parse(input);
    if (!this.#persons.has(seed.personId)) throw new SeedError(`person ${seed.personId} does not exist`);
    const componentId =
      seed.componentId ?? this.#freshId('ec', (id) => this.#components.some((c) => c.componentId === id));
    if (this.#components.some((c) => c.componentId === componentId)) {
      throw new SeedError(`e-learning component ${componentId} exists`);
    }
    const registered = seed.registered;
    const component: ElearningComponent = {
      componentId,
      personId: seed.personId,
      trainingId: seed.trainingId,
      elearningCourseId: seed.elearningCourseId,
      result: registered?.result,
      presence: registered !== undefined,
      passed: registered?.passed ?? false,
      locked: registered !== undefined,
      trainingRequestComponent: {
        id:
          seed.trainingRequestComponentId ??
          this.#freshId('tr', (id) => this.#components.some((c) => c.trainingRequestComponent.id === id)),
        completed: registered?.approvalDate !== undefined,
        approved: registered?.approvalDate !== undefined,
        approvalDate: registered?.approvalDate,
      },
    };
    this.#components.push(component);
    return structuredClone(component);
  }

  personsById(id: string): Person[] {
    const person = this.#persons.get(id);
    return person ? [{ ...person }] : [];
  }

  /** Every person, in the order they were added. */
  allPersons(): Person[] {
    return [...this.#persons.values()].map((p) => ({ ...p }));
  }

  personsByExternalId(externalId: string): Person[] {
    return [...this.#persons.values()].filter((p) => p.externalId === externalId).map((p) => ({ ...p }));
  }

  /** The e-learning components of a person's enrolments that carry the given course id, oldest first. */
  components(filter: { personId?: string; courseId?: string }): ElearningComponent[] {
    return this.#components
      .filter((c) => filter.personId === undefined || c.personId === filter.personId)
      .filter((c) => filter.courseId === undefined || c.elearningCourseId === filter.courseId)
      .map((c) => structuredClone(c));
  }

  /** Registers a pushed result on the oldest open matching component, as Coachview does. */
  applyResult(push: ResultPush): PushApplication {
    const person = this.#persons.get(push.personId) ?? this.personsByExternalId(push.personId)[0];
    if (!person) return { outcome: 'person-not-recognized' };
    const matching = this.#components.filter(
      (c) => c.personId === person.id && c.elearningCourseId === push.courseId,
    );
    if (matching.length === 0) return { outcome: 'course-not-recognized' };
    const open = matching.find((c) => c.result === undefined);
    if (!open) return { outcome: 'already-completed' };
    open.result = push.grade;
    open.presence = true;
    open.passed = push.passed;
    open.locked = true;
    open.trainingRequestComponent.completed = true;
    open.trainingRequestComponent.approved = true;
    open.trainingRequestComponent.approvalDate = push.completionDate;
    return { outcome: 'processed', componentId: open.componentId };
  }

  snapshot(): CoachviewSnapshot {
    return {
      persons: [...this.#persons.values()].map((p) => ({ ...p })),
      enrolments: this.#components.map((c) => structuredClone(c)),
    };
  }

  #freshId(prefix: string, taken: (id: string) => boolean): string {
    let id: string;
    do id = `${prefix}-${this.#nextId++}`;
    while (taken(id));
    return id;
  }

  reset(): void {
    this.#persons.clear();
    this.#components = [];
    this.#nextId = 1;
  }
}
