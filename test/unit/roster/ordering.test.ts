import { membershipKey, type Operation } from '../../../domain/roster';
import { sortOperations } from '../../../domain/roster/ordering';

const membership = (groupId: string, personId: string, op: Operation['op'] = 'create'): Operation => ({
  entityType: 'membership',
  op,
  record: { groupId, personId, role: 'Learner' },
});

/** The order the joined key gives: group U+001F person, code units, then create before update. */
const byJoinedKey = (ops: Operation[]): string[] =>
  ops
    .map((o) => membershipKey(o.record as { groupId: string; personId: string }))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('apply order of memberships', () => {
  const depths = new Map<string, number>();

  it('[IMSE-1] compares (group, person) exactly as the joined sync key, prefixes included', () => {
    const ops = [
      membership('g1', 'a'),
      membership('g', 'z'),
      membership('g', 'b'),
      membership('g!', 'a'),
      membership('G', 'a'),
      membership('g1', 'a0'),
      membership('teaching-group:x', 'p'),
    ];
    const sorted = sortOperations(ops, depths, depths).map((o) =>
      membershipKey(o.record as { groupId: string; personId: string }),
    );
    expect(sorted).toEqual(byJoinedKey(ops));
    expect(sorted.slice(0, 3)).toEqual(['G\u001fa', 'g\u001fb', 'g\u001fz']);
  });

  it('[IMSE-1] falls back to the joined key when a group id holds a control character', () => {
    // "g\u0001" sorts before "g\u001f…" joined, but after "g" compared as a pair.
    const ops = [membership('g', 'a'), membership('g\u0001', 'a'), membership('g\u0001', '0')];
    const sorted = sortOperations(ops, depths, depths).map((o) =>
      membershipKey(o.record as { groupId: string; personId: string }),
    );
    expect(sorted).toEqual(byJoinedKey(ops));
    expect(sorted[0]).toBe('g\u0001\u001f0');
  });
});
