import type { Unit } from './model';
import {
  operationKey,
  phaseIndexOf,
  phases,
  type HeldOperation,
  type Operation,
  type SkippedEntity,
} from './plan';

/** Depth of each unit in its hierarchy (0 = top); a cycle or a missing parent ends the walk. */
export function unitDepths(units: readonly Unit[]): Map<string, number> {
  const parents = new Map(units.map((u) => [u.sourcedId, u.parentId]));
  const depths = new Map<string, number>();
  for (const unit of units) {
    let depth = 0;
    let parent = unit.parentId;
    const visited = new Set([unit.sourcedId]);
    while (parent !== undefined && parents.has(parent) && !visited.has(parent)) {
      visited.add(parent);
      depth++;
      parent = parents.get(parent);
    }
    depths.set(unit.sourcedId, depth);
  }
  return depths;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const opRank = { create: 0, update: 1, delete: 2, archive: 3 } as const;

// A character at or below the membership key's separator (U+001F) in a group id would make comparing
// (group, person) differ from comparing `group U+001F person`; such plans compare the joined key.
const CONTROL = /[\u0000-\u001f]/;

/**
 * Sorts operations into apply order: phase, then unit depth (parents first for upserts, children
 * first for deletes), then key, then the kind of write. Code-unit order, not locale order, so every
 * machine agrees. Operations are first put into their phase's bucket; a membership bucket is sorted
 * group by group (a few thousand group ids, then each group's persons) instead of comparing ~420,000
 * memberships of a municipality's plan with each other, which orders exactly as comparing the joined
 * {@link operationKey} does.
 */
export function sortOperations(
  operations: readonly Operation[],
  sourceDepths: ReadonlyMap<string, number>,
  targetDepths: ReadonlyMap<string, number>,
): Operation[] {
  const buckets: Operation[][] = phases.map(() => []);
  buckets.push([]); // an archive of anything but a course or a term: no phase, last
  for (const operation of operations) (buckets[phaseIndexOf(operation)] as Operation[]).push(operation);
  const sorted = new Array<Operation>(operations.length);
  let at = 0;
  for (const [phase, bucket] of buckets.entries()) {
    if (bucket.length === 0) continue;
    const inOrder = membershipPhases.has(phase)
      ? sortMemberships(bucket as MembershipOperation[])
      : sortByKey(bucket, sourceDepths, targetDepths);
    for (const operation of inOrder) sorted[at++] = operation;
  }
  return sorted;
}

type MembershipOperation = Extract<Operation, { entityType: 'membership' }>;
const membershipPhases = new Set(
  phases.flatMap((phase, index) => (phase.endsWith(':membership') ? [index] : [])),
);

const byRank = (a: Operation, b: Operation): number => opRank[a.op] - opRank[b.op];

function sortByKey(
  operations: readonly Operation[],
  sourceDepths: ReadonlyMap<string, number>,
  targetDepths: ReadonlyMap<string, number>,
): Operation[] {
  const keyed = operations.map((operation) => {
    const key = operationKey(operation);
    const isDelete = operation.op === 'delete' || operation.op === 'archive';
    const depth =
      operation.entityType === 'unit' ? ((isDelete ? targetDepths : sourceDepths).get(key) ?? 0) : 0;
    return { operation, key, depth: isDelete ? -depth : depth };
  });
  keyed.sort((a, b) => a.depth - b.depth || compareText(a.key, b.key) || byRank(a.operation, b.operation));
  return keyed.map((k) => k.operation);
}

function sortMemberships(operations: readonly MembershipOperation[]): readonly Operation[] {
  const byGroup = new Map<string, MembershipOperation[]>();
  // Plans list a group's memberships together: the last group is looked up once.
  let lastId: string | undefined;
  let last: MembershipOperation[] = [];
  for (const operation of operations) {
    const { groupId } = operation.record;
    if (groupId === lastId) {
      last.push(operation);
      continue;
    }
    const group = byGroup.get(groupId);
    lastId = groupId;
    if (group) (last = group).push(operation);
    else if (CONTROL.test(groupId)) return sortByKey(operations, new Map(), new Map());
    else byGroup.set(groupId, (last = [operation]));
  }
  const sorted = new Array<Operation>(operations.length);
  let at = 0;
  for (const groupId of [...byGroup.keys()].sort(compareText)) {
    const group = byGroup.get(groupId) as MembershipOperation[];
    group.sort((a, b) => compareText(a.record.personId, b.record.personId) || byRank(a, b));
    for (const operation of group) sorted[at++] = operation;
  }
  return sorted;
}

export function sortHeld(
  held: readonly HeldOperation[],
  sourceDepths: ReadonlyMap<string, number>,
  targetDepths: ReadonlyMap<string, number>,
): HeldOperation[] {
  const byOperation = new Map(held.map((h) => [h.operation, h]));
  return sortOperations(
    held.map((h) => h.operation),
    sourceDepths,
    targetDepths,
  ).map((operation) => byOperation.get(operation) as HeldOperation);
}

export function sortSkipped(skipped: readonly SkippedEntity[]): SkippedEntity[] {
  return [...skipped].sort((a, b) => compareText(a.entityType, b.entityType) || compareText(a.key, b.key));
}
