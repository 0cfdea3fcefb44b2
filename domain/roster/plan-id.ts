/**
 * A plan's id: a 106-bit digest of its content (sync key source, date, operations and held
 * operations), so the same source, target and policy give the same id. The operations enter as a
 * multiset: each one is digested on its own and the digests are summed lane by lane. A plan's order
 * is a function of its content (ordering.ts), so this identifies the ordered plan too, and it lets
 * the planner digest the operations in the order they were made: at a region's size (2 million
 * memberships) walking them in apply order, scattered over the heap, took twice as long.
 *
 * The digest walks each record's canonical fields directly instead of hashing a JSON text of every
 * operation: a municipality's plan is ~475,000 operations, and stringifying them cost more than the
 * rest of the planning. Every value is preceded by its field's index and every string by its length,
 * so two different plans never feed the same sequence. Membership ids repeat (a group id in every
 * membership of the group), so each distinct id is hashed once and its 53-bit hash mixed in after.
 * Plain TypeScript (no node:crypto) so this folder stays importable from workflow code.
 */
import { laneDigest, laneValue } from './hash';
import { entityTypes, membershipRoles, type EntityType } from './model';
import { operationKinds, type HeldOperation, type Operation, type SyncPlan } from './plan';

const imul = Math.imul;

/** The compared fields of each entity type, in the order they enter the digest. */
const personFields = ['sourcedId', 'givenName', 'familyName', 'userName', 'email', 'nationalId', 'roles'];
const unitFields = ['sourcedId', 'name', 'parentId'];
const groupFields = ['sourcedId', 'kind', 'name', 'description', 'parentId', 'termId', 'start', 'end'];
const fieldsOf: Record<EntityType, readonly string[]> = {
  person: personFields,
  unit: unitFields,
  class: groupFields,
  'teaching-group': groupFields,
  course: groupFields,
  term: groupFields,
  membership: ['groupId', 'personId', 'role'],
};
const roleIndex: Record<string, number> = Object.fromEntries(membershipRoles.map((r, i) => [r, i]));
const entityIndex: Record<string, number> = Object.fromEntries(entityTypes.map((t, i) => [t, i]));
const opIndex: Record<string, number> = Object.fromEntries(operationKinds.map((k, i) => [k, i]));

// Markers between the parts of the digest input; any values outside the field indexes.
const HELD = 0x48454c44;
const CHANGED = 0x43484e47;
const ARRAY = 0x41525259;
const END = 0x454e4421;

/** cyrb53 of one string, as a number below 2^53 (kept for ids that repeat). */
function stringHash(text: string): number {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = imul(h1 ^ ch, 2654435761);
    h2 = imul(h2 ^ ch, 1597334677);
  }
  return laneValue(h1, h2);
}

/** The digest's state: two cyrb53 lanes (seeds 0x9e3779b9 and 0x85ebca6b), each two 32-bit halves. */
class PlanDigest {
  private a1 = 0xdeadbeef ^ 0x9e3779b9;
  private a2 = 0x41c6ce57 ^ 0x9e3779b9;
  private b1 = 0xdeadbeef ^ 0x85ebca6b;
  private b2 = 0x41c6ce57 ^ 0x85ebca6b;
  private readonly ids = new Map<string, number>();
  // Memberships come group by group: the last id asked for is usually asked for again.
  private lastId = '';
  private lastHash = stringHash('');

  /** Mixes a 32-bit integer. */
  int(value: number): void {
    this.a1 = imul(this.a1 ^ value, 2654435761);
    this.a2 = imul(this.a2 ^ value, 1597334677);
    this.b1 = imul(this.b1 ^ value, 2654435761);
    this.b2 = imul(this.b2 ^ value, 1597334677);
  }

  /** Mixes a string's length and characters. */
  text(value: string): void {
    this.int(value.length);
    let { a1, a2, b1, b2 } = this;
    for (let i = 0; i < value.length; i++) {
      const ch = value.charCodeAt(i);
      a1 = imul(a1 ^ ch, 2654435761);
      a2 = imul(a2 ^ ch, 1597334677);
      b1 = imul(b1 ^ ch, 2654435761);
      b2 = imul(b2 ^ ch, 1597334677);
    }
    this.a1 = a1;
    this.a2 = a2;
    this.b1 = b1;
    this.b2 = b2;
  }

  /** Mixes a string that recurs across the plan through its cached 53-bit hash. */
  id(value: string): void {
    let hash = this.lastHash;
    if (value !== this.lastId) {
      const known = this.ids.get(value);
      hash = known ?? stringHash(value);
      if (known === undefined) this.ids.set(value, hash);
      this.lastId = value;
      this.lastHash = hash;
    }
    this.int(hash >>> 0);
    this.int(Math.floor(hash / 4294967296));
  }

  value(field: number, value: unknown): void {
    if (value === undefined) return;
    this.int(field);
    if (typeof value === 'string') this.text(value);
    else if (Array.isArray(value)) {
      this.int(ARRAY);
      this.int(value.length);
      for (const item of value) this.text(String(item));
    } else this.text(JSON.stringify(value));
  }

  operation(operation: Operation): void {
    this.int(((opIndex[operation.op] ?? 15) << 4) | (entityIndex[operation.entityType] ?? 15));
    const record = operation.record as unknown as Record<string, unknown>;
    if (operation.entityType === 'membership') {
      this.id(operation.record.groupId);
      this.text(operation.record.personId);
      this.int(roleIndex[operation.record.role] ?? -1);
    } else {
      const fields = fieldsOf[operation.entityType];
      for (let i = 0; i < fields.length; i++) this.value(i, record[fields[i] as string]);
    }
    if (operation.changed) {
      this.int(CHANGED);
      this.value(0, operation.changed);
    }
    this.int(END);
  }

  held(held: HeldOperation): void {
    this.operation(held.operation);
    this.text(held.reason);
    this.value(1, held.until);
    this.int(END);
  }

  /** Starts a fresh digest of one operation (the per-id cache is kept). */
  reset(): void {
    this.a1 = 0xdeadbeef ^ 0x9e3779b9;
    this.a2 = 0x41c6ce57 ^ 0x9e3779b9;
    this.b1 = 0xdeadbeef ^ 0x85ebca6b;
    this.b2 = 0x41c6ce57 ^ 0x85ebca6b;
  }

  /** Adds this digest, fully mixed, to a sum of four 32-bit lanes. */
  addTo(sum: Int32Array): void {
    sum[0] = ((sum[0] as number) + fmix(this.a1 ^ imul(this.a2, 0x27d4eb2f))) | 0;
    sum[1] = ((sum[1] as number) + fmix(this.a2 ^ imul(this.b1, 0x165667b1))) | 0;
    sum[2] = ((sum[2] as number) + fmix(this.b1 ^ imul(this.b2, 0x27d4eb2f))) | 0;
    sum[3] = ((sum[3] as number) + fmix(this.b2 ^ imul(this.a1, 0x165667b1))) | 0;
  }

  digest(): string {
    const a1 = imul(this.a1, 2654435761);
    const a2 = imul(this.a2, 1597334677);
    const b1 = imul(this.b1, 2654435761);
    const b2 = imul(this.b2, 1597334677);
    return laneDigest(a1, a2) + laneDigest(b1, b2);
  }
}

/** The final mix of murmur3: every input bit changes every output bit with probability about 1/2. */
function fmix(h: number): number {
  h = imul(h ^ (h >>> 16), 0x85ebca6b);
  h = imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** The id of a plan; the same whatever order its operations and held operations are listed in. */
export function planIdOf(plan: Pick<SyncPlan, 'syncKeySource' | 'asOf' | 'operations' | 'held'>): string {
  const digest = new PlanDigest();
  const operations = new Int32Array(4);
  for (const operation of plan.operations) {
    digest.reset();
    digest.operation(operation);
    digest.addTo(operations);
  }
  const held = new Int32Array(4);
  for (const h of plan.held) {
    digest.reset();
    digest.held(h);
    digest.addTo(held);
  }
  digest.reset();
  digest.text(plan.syncKeySource);
  digest.value(1, plan.asOf);
  digest.int(plan.operations.length);
  for (const lane of operations) digest.int(lane);
  digest.int(HELD);
  digest.int(plan.held.length);
  for (const lane of held) digest.int(lane);
  return digest.digest();
}
