/**
 * The assessor plan (WF-1, WF-6): which supervisors of the internship period become WISEflow users,
 * which are added to the flow as assessors of the external type, and what happens to one who left
 * the period. Pure: the activity reads WISEflow and Praktikportalen, calls these, and writes what
 * they say. No imports: workflow code reads the types.
 */

export interface Supervisor {
  praktikportalenId: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** A WISEflow user as found by the supervisor's Praktikportalen external id. */
export interface ExistingUser {
  userId: number;
  firstName: string;
  lastName: string;
  emails: readonly string[];
}

export type UserAction =
  | { kind: 'create'; supervisor: Supervisor }
  | {
      kind: 'update';
      supervisor: Supervisor;
      userId: number;
      fields: Array<'firstName' | 'lastName' | 'email'>;
    }
  | { kind: 'keep'; supervisor: Supervisor; userId: number };

/** One entry per Praktikportalen id: a period listing a supervisor twice still makes one user. */
export function distinctSupervisors(supervisors: readonly Supervisor[]): Supervisor[] {
  const byId = new Map<string, Supervisor>();
  for (const s of supervisors) if (!byId.has(s.praktikportalenId)) byId.set(s.praktikportalenId, s);
  return [...byId.values()];
}

const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What to do with each supervisor's WISEflow user (WF-1): create it when no user carries their
 * Praktikportalen id, update it when the name or e-mail changed in Praktikportalen (an e-mail
 * corrected), else leave it. Users are only ever found by the external id, never by e-mail or name.
 */
export function planUsers(
  supervisors: readonly Supervisor[],
  found: ReadonlyMap<string, ExistingUser | undefined>,
): UserAction[] {
  return distinctSupervisors(supervisors).map((supervisor): UserAction => {
    const user = found.get(supervisor.praktikportalenId);
    if (!user) return { kind: 'create', supervisor };
    const fields: Array<'firstName' | 'lastName' | 'email'> = [];
    if (user.firstName !== supervisor.firstName) fields.push('firstName');
    if (user.lastName !== supervisor.lastName) fields.push('lastName');
    if (user.emails.length !== 1 || !sameEmail(user.emails[0] ?? '', supervisor.email)) fields.push('email');
    return fields.length > 0
      ? { kind: 'update', supervisor, userId: user.userId, fields }
      : { kind: 'keep', supervisor, userId: user.userId };
  });
}

export interface CurrentAssessor {
  assessorId: number;
  userId: number;
  assessorTypeId: number;
}

/** A supervisor's WISEflow user, by Praktikportalen id. */
export interface SupervisorUser {
  praktikportalenId: string;
  userId: number;
}

export interface AssessorPlanInput {
  /** The period's supervisors now, with their WISEflow users. */
  desired: readonly SupervisorUser[];
  /** The supervisors this sync put on the flow before (carried by the workflow), by Praktikportalen id. */
  known: Readonly<Record<string, number>>;
  /** The flow's assessors now, as WISEflow lists them. */
  assessors: readonly CurrentAssessor[];
  externalAssessorTypeId: number;
  markingStarted: boolean;
}

export interface AssessorPlan {
  /** Supervisors not yet assessors of the external type on the flow. */
  add: SupervisorUser[];
  /** Supervisors who left the period before marking started: their assessor entries go (WF-6). */
  remove: Array<SupervisorUser & { assessorIds: number[] }>;
  /** Supervisors who left after marking started: they stay assessors, and the operator is told (WF-6). */
  keptAfterMarking: SupervisorUser[];
  /** Supervisors already assessors: nothing to write. */
  present: number;
  /** What the next sync knows as this sync's supervisors: the desired ones and those kept. */
  known: Record<string, number>;
}

/**
 * Compares the desired supervisors with the flow's current assessors (WF-1, WF-6). Only assessors of
 * the external type whose user this sync put there are ever removed: an assessor a manager added by
 * hand, or of another type, is never touched. Comparing with the current assessors makes a repeated
 * sync (a retry after a worker died mid-sync) add nobody twice.
 */
export function planFlowAssessors(input: AssessorPlanInput): AssessorPlan {
  const external = input.assessors.filter((a) => a.assessorTypeId === input.externalAssessorTypeId);
  const entriesOf = (userId: number): number[] =>
    external.filter((a) => a.userId === userId).map((a) => a.assessorId);
  const desiredIds = new Set(input.desired.map((d) => d.praktikportalenId));
  const desiredUsers = new Set(input.desired.map((d) => d.userId));

  const add: SupervisorUser[] = [];
  let present = 0;
  const known: Record<string, number> = {};
  for (const d of input.desired) {
    known[d.praktikportalenId] = d.userId;
    if (entriesOf(d.userId).length > 0) present++;
    else if (!add.some((a) => a.userId === d.userId)) add.push(d);
  }

  const remove: AssessorPlan['remove'] = [];
  const keptAfterMarking: SupervisorUser[] = [];
  for (const [praktikportalenId, userId] of Object.entries(input.known).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (desiredIds.has(praktikportalenId) || desiredUsers.has(userId)) continue;
    const assessorIds = entriesOf(userId);
    if (assessorIds.length === 0) continue; // already gone: nothing to do, forgotten
    if (input.markingStarted) {
      keptAfterMarking.push({ praktikportalenId, userId });
      known[praktikportalenId] = userId;
    } else {
      remove.push({ praktikportalenId, userId, assessorIds });
    }
  }
  return { add, remove, keptAfterMarking, present, known };
}
