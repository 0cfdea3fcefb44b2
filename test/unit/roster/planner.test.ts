import {
  emptyTargetState,
  operationKey,
  planSync,
  RosterIntegrityError,
  summarizePlan,
  type PlanPipeline,
  type PlanPolicy,
  type Roster,
  type SyncPlan,
  type TargetState,
} from '../../../domain/roster';
import { smallRoster, SOURCE, syncedTarget } from './roster-fixture';

const policy: PlanPolicy = { syncKeySource: SOURCE };
const ops = (plan: SyncPlan) => plan.operations.map((o) => `${o.op} ${o.entityType} ${operationKey(o)}`);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('planSync', () => {
  it('[IMSE-1] creates everything in an empty target, parents before children', () => {
    const roster = smallRoster();
    const plan = planSync(roster, emptyTargetState(), policy);
    const summary = summarizePlan(plan);
    expect(summary.totals).toEqual({ create: 4 + 3 + 5 + 8, update: 0, delete: 0, held: 0 });
    expect(summary.byType.person.create).toBe(4);
    expect(summary.byType.term.create).toBe(1);
    expect(summary.byType.membership.create).toBe(8);
    const order = ops(plan);
    expect(order.indexOf('create unit u-kommun')).toBeLessThan(order.indexOf('create unit u-norra'));
    expect(order.indexOf('create term t-ht24')).toBeLessThan(order.indexOf('create course k-ma7a'));
    expect(order.indexOf('create class c-7a')).toBeLessThan(order.indexOf('create course k-ma7a'));
    expect(order.findIndex((o) => o.includes('membership'))).toBeGreaterThan(
      order.indexOf('create course k-ma7a'),
    );
  });

  it('[IMSE-1] an unchanged source gives an empty plan', () => {
    const roster = smallRoster();
    const plan = planSync(roster, syncedTarget(roster), policy);
    expect(plan.operations).toEqual([]);
    expect(summarizePlan(plan).totals).toEqual({ create: 0, update: 0, delete: 0, held: 0 });
  });

  it('[IMSE-1] updates only entities whose fields differ, and names the fields', () => {
    const roster = smallRoster();
    const target = syncedTarget(roster);
    const source: Roster = {
      ...roster,
      persons: roster.persons.map((p) =>
        p.sourcedId === 'p-bo' ? { ...p, familyName: 'Bergström', email: 'bo.b@skola.test' } : p,
      ),
      groups: roster.groups.map((g) => (g.sourcedId === 'c-7b' ? { ...g, name: '8B' } : g)),
      memberships: roster.memberships.map((m) =>
        m.groupId === 'tg-ma7' ? { ...m, role: 'Mentor' as const } : m,
      ),
    };
    const plan = planSync(source, target, policy);
    expect(plan.operations.map((o) => [o.op, operationKey(o), o.changed])).toEqual([
      ['update', 'p-bo', ['familyName', 'email']],
      ['update', 'c-7b', ['name']],
      ['update', 'tg-ma7\u001fp-anna', ['role']],
    ]);
  });

  it('[IMSE-1] deletes what left the source, memberships before groups before persons', () => {
    const roster = smallRoster();
    const target = syncedTarget(roster);
    const source: Roster = {
      ...roster,
      persons: roster.persons.filter((p) => p.sourcedId !== 'p-cia'),
      groups: roster.groups.filter((g) => g.sourcedId !== 'c-7b'),
      memberships: roster.memberships.filter((m) => m.groupId !== 'c-7b'),
    };
    const plan = planSync(source, target, policy);
    expect(ops(plan)).toEqual([
      'delete membership c-7b\u001fp-cia',
      'delete class c-7b',
      'delete person p-cia',
    ]);
    expect(plan.operations[2]?.record).toMatchObject({ givenName: 'Cia' });
  });

  it('[IMSE-2] a manual administrator in the target survives a full sync that does not mention it', () => {
    const roster = smallRoster();
    const target: TargetState = {
      ...syncedTarget(roster),
      persons: [
        ...syncedTarget(roster).persons,
        {
          sourcedId: 'itslearning-17',
          givenName: 'Ada',
          familyName: 'Admin',
          roles: ['staff'],
          syncSource: null,
        },
        {
          sourcedId: 'other-3',
          givenName: 'Olle',
          familyName: 'Other',
          roles: ['staff'],
          syncSource: 'another-integration',
        },
      ],
      groups: [
        ...syncedTarget(roster).groups,
        { sourcedId: 'manual-course', kind: 'course', name: 'Egen kurs', syncSource: null },
      ],
    };
    const plan = planSync({ ...roster, persons: [], memberships: [] }, target, policy);
    const deleted = plan.operations.filter((o) => o.op === 'delete').map(operationKey);
    expect(deleted).toContain('p-anna');
    expect(deleted).not.toContain('itslearning-17');
    expect(deleted).not.toContain('other-3');
    expect(deleted).not.toContain('manual-course');
  });

  it('[IMSE-2] a source entity that collides with one held without our sync key is skipped, not written', () => {
    const roster = smallRoster();
    const target = syncedTarget(roster);
    target.memberships = target.memberships.map((m) =>
      m.groupId === 'c-7b' ? { ...m, role: 'Mentor', syncSource: null } : m,
    );
    const plan = planSync(roster, target, policy);
    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([
      { entityType: 'membership', key: 'c-7b\u001fp-cia', reason: 'manual-in-target' },
    ]);
  });

  it('[IMSE-10] planning is pure: inputs are not changed and the same inputs give the same plan', () => {
    const roster = deepFreeze(smallRoster());
    const target = deepFreeze(syncedTarget({ ...smallRoster(), persons: [] }));
    const first = planSync(roster, target, policy);
    const second = planSync(roster, target, policy);
    expect(second).toEqual(first);
    expect(first.planId).toMatch(/^[0-9a-f]{28}$/);
    const other = planSync(roster, target, { ...policy, asOf: '2025-06-20' });
    expect(other.planId).not.toBe(first.planId);
  });

  it('sorts deterministically whatever the input order', () => {
    const roster = smallRoster();
    const shuffled: Roster = {
      persons: [...roster.persons].reverse(),
      units: [...roster.units].reverse(),
      groups: [...roster.groups].reverse(),
      memberships: [...roster.memberships].reverse(),
    };
    expect(planSync(shuffled, emptyTargetState(), policy)).toEqual(
      planSync(roster, emptyTargetState(), policy),
    );
  });

  it('refuses a source that names one sync key twice', () => {
    const roster = smallRoster();
    const twice = {
      ...roster,
      groups: [...roster.groups, { sourcedId: 'u-norra', kind: 'class' as const, name: 'X' }],
    };
    expect(() => planSync(twice, emptyTargetState(), policy)).toThrow(RosterIntegrityError);
  });

  it('runs the pipeline steps a policy brings, and re-sorts their result', () => {
    const roster = smallRoster();
    const holdDeletes: PlanPipeline = {
      source: [
        (source) => ({
          ...source,
          persons: [
            ...source.persons,
            { sourcedId: 'p-summer', givenName: 'Sam', familyName: 'Sommar', roles: ['student'] },
          ],
        }),
      ],
      plan: [
        (plan) => ({
          ...plan,
          operations: plan.operations.filter((o) => o.op !== 'delete').reverse(),
          held: plan.operations
            .filter((o) => o.op === 'delete')
            .map((operation) => ({ operation, reason: 'delay-delete', until: '2024-08-15' })),
        }),
      ],
    };
    const target = syncedTarget(roster);
    const plan = planSync(
      { ...roster, persons: roster.persons.slice(1), memberships: [] },
      target,
      policy,
      holdDeletes,
    );
    expect(ops(plan)).toEqual(['create person p-summer']);
    expect(summarizePlan(plan).totals.held).toBe(1 + 8);
    expect(plan.held[0]?.operation.entityType).toBe('membership');
    expect(plan.held.at(-1)?.operation.record).toMatchObject({ sourcedId: 'p-anna' });
  });
});
