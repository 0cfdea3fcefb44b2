import type { Membership, Person, Roster, TargetState } from '../../../domain/roster';

export const SOURCE = 'procapita-test';

/** A small municipality: two schools, a term, two classes, a teaching group and a course. */
export function smallRoster(): Roster {
  return {
    persons: [
      {
        sourcedId: 'p-anna',
        givenName: 'Anna',
        familyName: 'Andersson',
        email: 'anna@skola.test',
        userName: 'anna.andersson',
        roles: ['student'],
      },
      { sourcedId: 'p-bo', givenName: 'Bo', familyName: 'Berg', email: 'bo@skola.test', roles: ['student'] },
      {
        sourcedId: 'p-cia',
        givenName: 'Cia',
        familyName: 'Carlsson',
        roles: ['student'],
        nationalId: '201001012384',
      },
      {
        sourcedId: 'p-dan',
        givenName: 'Dan',
        familyName: 'Dahl',
        email: 'dan@skola.test',
        roles: ['teacher', 'staff'],
      },
    ],
    units: [
      { sourcedId: 'u-kommun', name: 'Exempel kommun' },
      { sourcedId: 'u-norra', name: 'Norra skolan', parentId: 'u-kommun' },
      { sourcedId: 'u-sodra', name: 'Södra skolan', parentId: 'u-kommun' },
    ],
    groups: [
      { sourcedId: 't-ht24', kind: 'term', name: 'HT 2024', start: '2024-08-19', end: '2025-01-17' },
      { sourcedId: 'c-7a', kind: 'class', name: '7A', parentId: 'u-norra' },
      { sourcedId: 'c-7b', kind: 'class', name: '7B', parentId: 'u-sodra' },
      {
        sourcedId: 'tg-ma7',
        kind: 'teaching-group',
        name: 'Ma 7',
        description: 'Matematik åk 7',
        parentId: 'u-norra',
      },
      { sourcedId: 'k-ma7a', kind: 'course', name: 'Matematik 7A', parentId: 'c-7a', termId: 't-ht24' },
    ],
    memberships: [
      { groupId: 'c-7a', personId: 'p-anna', role: 'Learner' },
      { groupId: 'c-7a', personId: 'p-bo', role: 'Learner' },
      { groupId: 'c-7a', personId: 'p-dan', role: 'Instructor' },
      { groupId: 'c-7b', personId: 'p-cia', role: 'Learner' },
      { groupId: 'tg-ma7', personId: 'p-anna', role: 'Learner' },
      { groupId: 'k-ma7a', personId: 'p-anna', role: 'Learner' },
      { groupId: 'k-ma7a', personId: 'p-dan', role: 'Instructor' },
      { groupId: 'u-norra', personId: 'p-dan', role: 'Member' },
    ],
  };
}

/** The target after a perfect earlier import of `roster` under `source`. */
export function syncedTarget(roster: Roster, source = SOURCE): TargetState {
  return {
    persons: roster.persons.map((p) => ({ ...p, syncSource: source })),
    units: roster.units.map((u) => ({ ...u, syncSource: source })),
    groups: roster.groups.map((g) => ({ ...g, syncSource: source })),
    memberships: roster.memberships.map((m) => ({ ...m, syncSource: source })),
  };
}

const pad = (n: number, width = 6): string => String(n).padStart(width, '0');

/**
 * A municipality-sized roster: `students` students in classes of 25, one teacher per 10 students,
 * each student in one class and `groupsPerStudent` teaching groups of 25.
 */
export function largeRoster(opts: { students: number; groupsPerStudent: number }): Roster {
  const schools = 40;
  const classes = Math.ceil(opts.students / 25);
  const teachers = Math.ceil(opts.students / 10);
  const teachingGroups = Math.ceil((opts.students * opts.groupsPerStudent) / 25);
  const persons: Person[] = [];
  const memberships: Membership[] = [];
  for (let i = 0; i < opts.students; i++) {
    persons.push({
      sourcedId: `s${pad(i)}`,
      givenName: `Elev${i}`,
      familyName: 'Svensson',
      email: `s${i}@skola.test`,
      roles: ['student'],
    });
    memberships.push({ groupId: `c${pad(i % classes)}`, personId: `s${pad(i)}`, role: 'Learner' });
    for (let g = 0; g < opts.groupsPerStudent; g++) {
      memberships.push({
        groupId: `g${pad((i * opts.groupsPerStudent + g) % teachingGroups)}`,
        personId: `s${pad(i)}`,
        role: 'Learner',
      });
    }
  }
  for (let i = 0; i < teachers; i++) {
    persons.push({
      sourcedId: `t${pad(i)}`,
      givenName: `Lärare${i}`,
      familyName: 'Lind',
      roles: ['teacher'],
    });
  }
  for (let c = 0; c < classes; c++)
    memberships.push({ groupId: `c${pad(c)}`, personId: `t${pad(c % teachers)}`, role: 'Instructor' });
  for (let g = 0; g < teachingGroups; g++)
    memberships.push({ groupId: `g${pad(g)}`, personId: `t${pad(g % teachers)}`, role: 'Instructor' });
  return {
    persons,
    units: [
      { sourcedId: 'u-root', name: 'Kommun' },
      ...Array.from({ length: schools }, (_, s) => ({
        sourcedId: `u${pad(s)}`,
        name: `Skola ${s}`,
        parentId: 'u-root',
      })),
    ],
    groups: [
      ...Array.from({ length: classes }, (_, c) => ({
        sourcedId: `c${pad(c)}`,
        kind: 'class' as const,
        name: `Klass ${c}`,
        parentId: `u${pad(c % schools)}`,
      })),
      ...Array.from({ length: teachingGroups }, (_, g) => ({
        sourcedId: `g${pad(g)}`,
        kind: 'teaching-group' as const,
        name: `Grupp ${g}`,
        parentId: `u${pad(g % schools)}`,
      })),
    ],
    memberships,
  };
}
