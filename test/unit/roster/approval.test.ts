import { checkAgainstApproval, planSync, type Roster } from '../../../domain/roster';
import { smallRoster, SOURCE, syncedTarget } from './roster-fixture';

const policy = { syncKeySource: SOURCE };
const target = syncedTarget(smallRoster());
const without = (ids: string[]): Roster => {
  const r = smallRoster();
  return {
    ...r,
    persons: r.persons.filter((p) => !ids.includes(p.sourcedId)),
    memberships: r.memberships.filter((m) => !ids.includes(m.personId)),
  };
};
const planFor = (roster: Roster) => planSync(roster, target, policy);

describe('checkAgainstApproval', () => {
  it('[IMSE-11] the same plan again is within what was approved', () => {
    const plan = planFor(without(['p-cia', 'p-bo']));
    expect(checkAgainstApproval(plan, planFor(without(['p-cia', 'p-bo'])))).toEqual({
      within: true,
      changes: [],
      unapprovedDeletes: {},
    });
  });

  it('[IMSE-11] fewer deletes of the approved entities are within, and the change is reported', () => {
    const check = checkAgainstApproval(planFor(without(['p-cia', 'p-bo'])), planFor(without(['p-cia'])));
    expect(check.within).toBe(true);
    expect(check.changes).toContainEqual({ entityType: 'person', op: 'delete', approved: 2, now: 1 });
    expect(check.unapprovedDeletes).toEqual({});
  });

  it('[IMSE-11] a delete of an entity the approved plan did not delete is not within, even at the same count', () => {
    const check = checkAgainstApproval(planFor(without(['p-cia'])), planFor(without(['p-bo'])));
    expect(check.within).toBe(false);
    expect(check.changes.filter((c) => c.entityType === 'person')).toEqual([]);
    expect(check.unapprovedDeletes).toMatchObject({ person: 1 });
  });

  it('[IMSE-11] more operations of a kind than approved are not within', () => {
    const approved = planFor(without(['p-cia']));
    const r = without(['p-cia']);
    const fresh = planFor({
      ...r,
      persons: r.persons.map((p) => (p.sourcedId === 'p-anna' ? { ...p, email: 'new@skola.test' } : p)),
    });
    const check = checkAgainstApproval(approved, fresh);
    expect(check).toMatchObject({ within: false, unapprovedDeletes: {} });
    expect(check.changes).toEqual([{ entityType: 'person', op: 'update', approved: 0, now: 1 }]);
  });
});
