import type { Operation, SyncPlan } from '../../../domain/roster';
import { planIdOf } from '../../../domain/roster/plan-id';

const person: Operation = {
  entityType: 'person',
  op: 'create',
  record: {
    sourcedId: 'p1',
    givenName: 'Tyra',
    familyName: 'Nyberg',
    email: 'tyra@example.org',
    roles: ['student'],
  },
};
const group: Operation = {
  entityType: 'class',
  op: 'update',
  record: { sourcedId: 'class:7D', kind: 'class', name: '7D', parentId: 'school:1', start: '2026-08-18' },
  changed: ['name'],
};
const membership = (groupId: string, personId: string): Operation => ({
  entityType: 'membership',
  op: 'create',
  record: { groupId, personId, role: 'Learner' },
});
const plan = (over: Partial<SyncPlan> = {}): SyncPlan => ({
  planId: '',
  syncKeySource: 'procapita',
  asOf: '2026-09-15',
  operations: [person, group, membership('class:7D', 'p1'), membership('class:7D', 'p2')],
  held: [{ operation: { ...person, op: 'delete' }, reason: 'delay-delete', until: '2026-08-20' }],
  skipped: [],
  notes: [],
  ...over,
});

describe('plan id', () => {
  it('[IMSE-1] is the same for the same content and 28 hex digits', () => {
    expect(planIdOf(plan())).toBe(planIdOf(structuredClone(plan())));
    expect(planIdOf(plan())).toMatch(/^[0-9a-f]{28}$/);
  });

  it('[IMSE-1] changes with any field, the kind of write, an operation more or less, the held list and the date', () => {
    const base = planIdOf(plan());
    const variants: SyncPlan[] = [
      plan({ asOf: '2026-09-16' }),
      plan({ syncKeySource: 'other' }),
      plan({
        operations: [
          { ...person, record: { ...person.record, givenName: 'Tyr' } },
          ...plan().operations.slice(1),
        ],
      }),
      plan({
        operations: [
          { ...person, record: { ...person.record, roles: ['student', 'teacher'] } },
          ...plan().operations.slice(1),
        ],
      }),
      plan({ operations: [{ ...person, op: 'update' }, ...plan().operations.slice(1)] }),
      plan({ operations: [person, { ...group, changed: ['start'] }, ...plan().operations.slice(2)] }),
      plan({ operations: [...plan().operations, plan().operations[3]!] }),
      plan({ operations: [person, group, membership('class:7D', 'p1'), membership('class:7E', 'p2')] }),
      plan({ operations: [person, group, membership('class:7D', 'p1')] }),
      plan({ held: [] }),
      plan({ held: [{ ...plan().held[0]!, until: '2026-08-21' }] }),
      plan({ held: [{ ...plan().held[0]!, reason: 'other' }] }),
    ];
    const ids = variants.map(planIdOf);
    expect(new Set([base, ...ids]).size).toBe(variants.length + 1);
  });

  it('[IMSE-1] does not depend on the order the operations are listed in (the apply order follows from them)', () => {
    const reversed = plan({ operations: [...plan().operations].reverse() });
    expect(planIdOf(reversed)).toBe(planIdOf(plan()));
  });

  it('[IMSE-1] keeps a value apart from the field it sits in (no run-together texts)', () => {
    const a = plan({
      operations: [{ ...person, record: { ...person.record, givenName: 'Ab', familyName: 'c' } }],
    });
    const b = plan({
      operations: [{ ...person, record: { ...person.record, givenName: 'A', familyName: 'bc' } }],
    });
    const withoutEmail = { ...person.record };
    delete withoutEmail.email;
    const c = plan({
      operations: [{ ...person, record: { ...withoutEmail, userName: 'tyra@example.org' } }],
    });
    const d = plan({ operations: [person] });
    expect(new Set([a, b, c, d].map(planIdOf)).size).toBe(4);
  });
});
