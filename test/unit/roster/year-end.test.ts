import {
  emptyTargetState,
  operationKey,
  planSync,
  restrictPlan,
  summarizePlan,
  type PlanPolicy,
  type Roster,
  type SyncPlan,
} from '../../../domain/roster';
import { smallRoster, SOURCE, syncedTarget } from './roster-fixture';

const ops = (plan: SyncPlan) => plan.operations.map((o) => `${o.op} ${o.entityType} ${operationKey(o)}`);
const held = (plan: SyncPlan) =>
  plan.held.map(
    (h) => `${h.operation.op} ${h.operation.entityType} ${operationKey(h.operation)} ${h.reason}`,
  );

/** Bo left (with his class membership), Eva arrived. */
function nextYear(): Roster {
  const roster = smallRoster();
  roster.persons = [
    ...roster.persons.filter((p) => p.sourcedId !== 'p-bo'),
    { sourcedId: 'p-eva', givenName: 'Eva', familyName: 'Ek', roles: ['student'] },
  ];
  roster.memberships = [
    ...roster.memberships.filter((m) => m.personId !== 'p-bo'),
    { groupId: 'c-7a', personId: 'p-eva', role: 'Learner' },
  ];
  return roster;
}

const window = { start: '2027-06-13', end: '2027-08-15' };

describe('delay-delete window', () => {
  it('[IMSE-6] inside the window deletes are held until the end date, creates and updates still run', () => {
    const plan = planSync(nextYear(), syncedTarget(smallRoster()), {
      syncKeySource: SOURCE,
      asOf: '2027-06-20',
      delayDelete: window,
    });
    expect(ops(plan)).toEqual(['create person p-eva', 'create membership c-7a\u001fp-eva']);
    expect(held(plan)).toEqual([
      `delete membership c-7a\u001fp-bo delay-delete`,
      'delete person p-bo delay-delete',
    ]);
    expect(plan.held.every((h) => h.until === window.end)).toBe(true);
    expect(summarizePlan(plan).totals).toEqual({ create: 2, update: 0, delete: 0, held: 2 });
    expect(plan.notes.join('\n')).toContain('2 delete(s) held until 2027-08-15');
  });

  it('[IMSE-6] before the start and from the end date on the deletes go through; the plan id differs with the window', () => {
    const target = syncedTarget(smallRoster());
    for (const asOf of ['2027-06-12', '2027-08-15']) {
      const plan = planSync(nextYear(), target, { syncKeySource: SOURCE, asOf, delayDelete: window });
      expect(plan.held).toEqual([]);
      expect(ops(plan)).toContain('delete person p-bo');
    }
    const inside = planSync(nextYear(), target, {
      syncKeySource: SOURCE,
      asOf: '2027-07-01',
      delayDelete: window,
    });
    const outside = planSync(nextYear(), target, { syncKeySource: SOURCE, asOf: '2027-07-01' });
    expect(inside.planId).not.toBe(outside.planId);
  });

  it('[IMSE-6] someone who returns to the source during the window is no longer a held delete', () => {
    const policy: PlanPolicy = { syncKeySource: SOURCE, asOf: '2027-08-01', delayDelete: window };
    const plan = planSync(smallRoster(), syncedTarget(smallRoster()), policy);
    expect(plan.held).toEqual([]);
    expect(plan.operations).toEqual([]);
  });
});

describe('summer data', () => {
  const summer = {
    integrationId: 'procapita-itslearning',
    validFrom: '2027-06-13',
    validUntil: '2027-08-10',
    persons: [],
    groups: [
      { sourcedId: 'k-sommar', kind: 'course' as const, name: 'Sommarskola matte', parentId: 'u-norra' },
    ],
    memberships: [
      { groupId: 'k-sommar', personId: 'p-bo', role: 'Learner' as const },
      { groupId: 'c-7a', personId: 'p-bo', role: 'Learner' as const },
    ],
  };

  it('[IMSE-7] summer data is merged into the source while valid: its course is created and its members are not deleted', () => {
    const target = syncedTarget(smallRoster());
    // Bo's class membership ends with the school year; he goes to summer school.
    const source = smallRoster();
    source.memberships = source.memberships.filter((m) => m.personId !== 'p-bo');
    const plan = planSync(source, target, { syncKeySource: SOURCE, asOf: '2027-07-01', summerData: summer });
    expect(ops(plan)).toEqual(['create course k-sommar', 'create membership k-sommar\u001fp-bo']);
  });

  it('[IMSE-7] after its validity period the summer data is gone from the source like anything else', () => {
    const target = syncedTarget(smallRoster());
    const source = smallRoster();
    source.memberships = source.memberships.filter((m) => m.personId !== 'p-bo');
    const plan = planSync(source, target, { syncKeySource: SOURCE, asOf: '2027-08-11', summerData: summer });
    expect(ops(plan)).toEqual(['delete membership c-7a\u001fp-bo']);
  });

  it('[IMSE-7] the source wins when it names the same key as the summer data', () => {
    const plan = planSync(smallRoster(), emptyTargetState(), {
      syncKeySource: SOURCE,
      asOf: '2027-07-01',
      summerData: { ...summer, groups: [{ sourcedId: 'c-7a', kind: 'class', name: 'Sommar 7A' }] },
    });
    const created = plan.operations.find((o) => o.op === 'create' && operationKey(o) === 'c-7a');
    expect(created?.record).toMatchObject({ name: '7A' });
  });
});

describe('partial approval', () => {
  const full = () => {
    const source = nextYear();
    source.groups = source.groups.filter((g) => g.sourcedId !== 'k-ma7a');
    source.memberships = source.memberships.filter((m) => m.groupId !== 'k-ma7a');
    // Course archiving off (IMSE-8): these cases are about course deletes.
    return planSync(source, syncedTarget(smallRoster()), { syncKeySource: SOURCE, courseArchiving: false });
  };

  it('[IMSE-3] approving membership changes and person deletes applies them and holds the course delete and the rest', () => {
    const plan = restrictPlan(full(), {
      apply: [{ entityType: 'membership' }, { entityType: 'person', op: 'delete' }],
    });
    expect(ops(plan)).toEqual([
      'delete membership c-7a\u001fp-bo',
      'delete membership k-ma7a\u001fp-anna',
      'delete membership k-ma7a\u001fp-dan',
      'delete person p-bo',
    ]);
    // Eva's membership needs Eva, whose create is not approved: held with her.
    expect(held(restrictPlan(full(), { apply: [{ entityType: 'membership' }] }))).toEqual(
      expect.arrayContaining([
        'create person p-eva not-approved',
        'create membership c-7a\u001fp-eva not-approved',
        'delete course k-ma7a not-approved',
      ]),
    );
    expect(summarizePlan(plan).totals).toMatchObject({ delete: 4, held: 3 });
    expect(plan.planId).not.toBe(full().planId);
  });

  it('[IMSE-3] holding course deletes applies everything else', () => {
    const plan = restrictPlan(full(), { hold: [{ entityType: 'course', op: 'delete' }] });
    expect(held(plan)).toEqual(['delete course k-ma7a not-approved']);
    expect(plan.operations).toHaveLength(full().operations.length - 1);
  });
});
