import type { ProcapitaExport } from '../../../domain/procapita/export';
import { emptyTargetState, planSync, RosterIntegrityError } from '../../../domain/roster';
import { procapitaToRoster } from '../../../domain/roster-sync';

const person = (id: string) => ({ id, firstName: 'F', lastName: 'L', email: null, schoolIds: ['S1'] });
const exported = (memberships: ProcapitaExport['memberships']): ProcapitaExport => ({
  syncDate: '2026-09-15',
  schools: [{ id: 'S1', name: 'Skola', schoolForm: 'GR' }],
  students: [person('s1'), person('s2'), person('t1')],
  staff: [person('t1')],
  classes: [
    {
      id: 'C1',
      name: '7A',
      schoolId: 'S1',
      startDate: '2026-08-18',
      endDate: '2027-06-12',
      studentsIncluded: true,
    },
  ],
  teachingGroups: [
    {
      id: 'T1',
      name: 'Ma 7A',
      schoolId: 'S1',
      startDate: null,
      endDate: null,
      classIds: ['C1'],
      groupIds: [],
      studentsIncluded: true,
    },
  ],
  memberships,
});

describe('ProCapita export to roster memberships', () => {
  it('[IMSE-1] gives one membership per person and group; a teacher also listed as a student stays the teacher', () => {
    const roster = procapitaToRoster(
      exported([
        { container: 'class', containerId: 'C1', personId: 's1', role: 'student' },
        { container: 'class', containerId: 'C1', personId: 't1', role: 'student' },
        { container: 'class', containerId: 'C1', personId: 't1', role: 'teacher' },
        { container: 'teaching-group', containerId: 'T1', personId: 't1', role: 'teacher' },
        { container: 'teaching-group', containerId: 'T1', personId: 's1', role: 'student' },
        { container: 'class', containerId: 'C1', personId: 's2', role: 'student' },
      ]),
    );
    expect(roster.memberships).toEqual([
      { groupId: 'class:C1', personId: 't1', role: 'Instructor' },
      { groupId: 'teaching-group:T1', personId: 't1', role: 'Instructor' },
      { groupId: 'class:C1', personId: 's1', role: 'Learner' },
      { groupId: 'teaching-group:T1', personId: 's1', role: 'Learner' },
      { groupId: 'class:C1', personId: 's2', role: 'Learner' },
    ]);
    expect(roster.persons.find((p) => p.sourcedId === 't1')?.roles).toEqual(['teacher', 'student']);
  });

  it('[IMSE-1] a student the export lists twice in one group is reported by the planner, not hidden', () => {
    const roster = procapitaToRoster(
      exported([
        { container: 'class', containerId: 'C1', personId: 's1', role: 'student' },
        { container: 'class', containerId: 'C1', personId: 's1', role: 'student' },
      ]),
    );
    expect(() => planSync(roster, emptyTargetState(), { syncKeySource: 'procapita' })).toThrow(
      RosterIntegrityError,
    );
  });
});
