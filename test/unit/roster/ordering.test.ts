import { membershipKey, operationKey, phaseIndexOf, type Operation } from '../../../domain/roster';
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

describe('apply order of a mixed plan', () => {
  /** The order as one comparison of every pair: phase, unit depth, joined key, kind of write. */
  function referenceOrder(
    ops: readonly Operation[],
    sourceDepths: Map<string, number>,
    targetDepths: Map<string, number>,
  ): Operation[] {
    const rank = { create: 0, update: 1, delete: 2, archive: 3 } as const;
    const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const keyed = ops.map((operation) => {
      const key = operationKey(operation);
      const isDelete = operation.op === 'delete' || operation.op === 'archive';
      const depth =
        operation.entityType === 'unit' ? ((isDelete ? targetDepths : sourceDepths).get(key) ?? 0) : 0;
      return { operation, key, phase: phaseIndexOf(operation), depth: isDelete ? -depth : depth };
    });
    keyed.sort(
      (a, b) =>
        a.phase - b.phase ||
        a.depth - b.depth ||
        text(a.key, b.key) ||
        rank[a.operation.op] - rank[b.operation.op],
    );
    return keyed.map((k) => k.operation);
  }

  it('[IMSE-1] orders persons, units, groups, courses, terms and memberships as one comparison of all would', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const kinds: Operation['op'][] = ['create', 'update', 'delete', 'archive'];
    const ids = ['a', 'b', 'ab', 'b0', 'B', 'a\u0020b', 'class:1', 'class:10', 'teaching-group:2'];
    const id = () => `${ids[next(ids.length)]}${next(3) === 0 ? '' : next(40)}`;
    const ops: Operation[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const op = kinds[next(3)] as Operation['op'];
      const type = next(9);
      let operation: Operation;
      if (type < 3) operation = { ...membership(id(), id(), op) };
      else if (type === 3)
        operation = {
          entityType: 'person',
          op,
          record: { sourcedId: id(), givenName: 'g', familyName: 'f', roles: ['student'] },
        };
      else if (type === 4) operation = { entityType: 'unit', op, record: { sourcedId: id(), name: 'u' } };
      else {
        const kind = (['class', 'teaching-group', 'course', 'term'] as const)[type - 5] ?? 'class';
        const archive = (kind === 'course' || kind === 'term') && next(2) === 0;
        operation = {
          entityType: kind,
          op: archive ? 'archive' : op,
          record: {
            sourcedId: id(),
            kind,
            name: 'n',
            ...(kind === 'term' ? { start: '2026-08-01', end: '2027-06-30' } : {}),
          },
        };
      }
      const unique = `${operation.entityType}|${operation.op}|${operationKey(operation)}`;
      if (seen.has(unique)) continue;
      seen.add(unique);
      ops.push(operation);
    }
    const sourceDepths = new Map<string, number>();
    const targetDepths = new Map<string, number>();
    for (const o of ops)
      if (o.entityType === 'unit') {
        sourceDepths.set(o.record.sourcedId, next(4));
        targetDepths.set(o.record.sourcedId, next(4));
      }
    expect(new Set(ops.map((o) => o.entityType)).size).toBe(7);
    expect(sortOperations(ops, sourceDepths, targetDepths)).toEqual(
      referenceOrder(ops, sourceDepths, targetDepths),
    );
  });
});
