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

  // A municipality has ~400,000 memberships in ~8,000 groups: one id string per group, shared by its
  // memberships, rather than a composite key string per membership. The export lists a group's
  // memberships together, so the last group is remembered.
  interface GroupMembers {
    groupId: string;
    teachers: Set<string>;
  }
  const membersOf = {
    class: new Map<string, GroupMembers>(),
    'teaching-group': new Map<string, GroupMembers>(),
  };
  let last: { m: ProcapitaExport['memberships'][number]; group: GroupMembers } | undefined;
  const groupOf = (m: ProcapitaExport['memberships'][number]): GroupMembers => {
    if (last && last.m.containerId === m.containerId && last.m.container === m.container) return last.group;
    const groups = membersOf[m.container];
    let group = groups.get(m.containerId);
    if (!group) {
      const groupId =
        m.container === 'class' ? rosterIds.class(m.containerId) : rosterIds.teachingGroup(m.containerId);
      group = { groupId, teachers: new Set() };
      groups.set(m.containerId, group);
    }
    last = { m, group };
    return group;
  };
  const memberships: Membership[] = [];
  // One role per person and group: a teacher who is also listed as a student stays the teacher.
  // Teachers first, then students, each in the export's order (two passes rather than a sort). The
  // export lists a person once per group and role (buildExport joins through sets); should it list one
  // twice, the planner reports the sync key as named twice rather than this hiding it.
  for (const m of exported.memberships) {
    if (m.role !== 'teacher') continue;
    const group = groupOf(m);
    const personId = rosterIds.person(m.personId);
    if (group.teachers.has(personId)) continue;
    group.teachers.add(personId);
    memberships.push({ groupId: group.groupId, personId, role: 'Instructor' });
  }
  for (const m of exported.memberships) {
    if (m.role === 'teacher') continue;
    const group = groupOf(m);
    const personId = rosterIds.person(m.personId);
    if (group.teachers.size > 0 && group.teachers.has(personId)) continue;
    memberships.push({ groupId: group.groupId, personId, role: 'Learner' });
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
