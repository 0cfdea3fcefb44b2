/**
 * Maps ProCapita's export (PC-*) onto the canonical roster the itslearning sync plans with (IMSE-1).
 * Schools become hierarchy units; classes and teaching groups hang under their school; teachers
 * are instructors and students learners. Ids are ProCapita's own, prefixed per kind so that a class
 * and a school with the same id never share a sync key.
 */
import type { ProcapitaExport, ProcapitaSummary } from '../procapita/export';
import type { Group, Membership, Person, PersonRole, Roster, Unit } from '../roster';

export const rosterIds = {
  school: (id: string) => `school:${id}`,
  class: (id: string) => `class:${id}`,
  teachingGroup: (id: string) => `teaching-group:${id}`,
  person: (id: string) => id,
};

export function procapitaToRoster(exported: ProcapitaExport): Roster {
  const units = new Map<string, Unit>();
  for (const school of exported.schools) {
    const sourcedId = rosterIds.school(school.id);
    if (!units.has(sourcedId)) units.set(sourcedId, { sourcedId, name: school.name ?? school.id });
  }

  const persons = new Map<string, Person>();
  const addPerson = (p: ProcapitaExport['students'][number], role: PersonRole): void => {
    const sourcedId = rosterIds.person(p.id);
    const existing = persons.get(sourcedId);
    if (existing) {
      if (!existing.roles.includes(role)) existing.roles.push(role);
      return;
    }
    persons.set(sourcedId, {
      sourcedId,
      givenName: p.firstName,
      familyName: p.lastName,
      ...(p.email ? { email: p.email } : {}),
      ...(p.nationalId ? { nationalId: p.nationalId } : {}),
      roles: [role],
    });
  };
  for (const s of exported.staff) addPerson(s, 'teacher');
  for (const s of exported.students) addPerson(s, 'student');

  const groups: Group[] = [
    ...exported.classes.map((c): Group => ({
      sourcedId: rosterIds.class(c.id),
      kind: 'class',
      name: c.name ?? c.id,
      parentId: rosterIds.school(c.schoolId),
      // IMSE-12: the timeframe of the class goes to itslearning.
      start: c.startDate,
      end: c.endDate,
    })),
    ...exported.teachingGroups.map((g): Group => ({
      sourcedId: rosterIds.teachingGroup(g.id),
      kind: 'teaching-group',
      name: g.name ?? g.id,
      parentId: rosterIds.school(g.schoolId),
      ...(g.startDate ? { start: g.startDate } : {}),
      ...(g.endDate ? { end: g.endDate } : {}),
    })),
  ];

  const seen = new Set<string>();
  const memberships: Membership[] = [];
  const teachersFirst = [...exported.memberships].sort((a, b) =>
    a.role === b.role ? 0 : a.role === 'teacher' ? -1 : 1,
  );
  for (const m of teachersFirst) {
    const groupId =
      m.container === 'class' ? rosterIds.class(m.containerId) : rosterIds.teachingGroup(m.containerId);
    const personId = rosterIds.person(m.personId);
    const key = `${groupId}\u001f${personId}`;
    // One role per person and group; a teacher who is also listed as a student stays the teacher.
    if (seen.has(key)) continue;
    seen.add(key);
    memberships.push({ groupId, personId, role: m.role === 'teacher' ? 'Instructor' : 'Learner' });
  }
  return { persons: [...persons.values()], units: [...units.values()], groups, memberships };
}

/** The reader's summary with counts only, for workflow history: no person ids at all. */
export function summaryForHistory(summary: ProcapitaSummary): Record<string, unknown> {
  return {
    syncDate: summary.syncDate,
    counts: summary.counts,
    excluded: summary.excluded,
    email: {
      policy: summary.email.policy,
      fromProcapita: summary.email.fromProcapita,
      fromMapping: summary.email.fromMapping,
      withoutEmail: {
        students: summary.email.withoutEmail.students.length,
        staff: summary.email.withoutEmail.staff.length,
      },
    },
  };
}
