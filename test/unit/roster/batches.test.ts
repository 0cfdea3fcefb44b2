import { batchPlan, emptyTargetState, phases, planSync, type Batch } from '../../../domain/roster';
import { smallRoster, SOURCE, syncedTarget } from './roster-fixture';

const policy = { syncKeySource: SOURCE };

describe('batchPlan', () => {
  it('[IMSE-1] cuts a plan into single-phase batches in dependency order, none larger than asked', () => {
    const plan = planSync(smallRoster(), emptyTargetState(), policy);
    const batches = batchPlan(plan, 3);
    expect(batches.flatMap((b) => b.operations)).toEqual(plan.operations);
    expect(batches.every((b) => b.operations.length <= 3 && b.operations.length > 0)).toBe(true);
    const phaseOrder = batches.map((b) => phases.indexOf(b.phase));
    expect([...phaseOrder].sort((a, b) => a - b)).toEqual(phaseOrder);
    expect(batches.map((b) => b.phase)).toEqual([
      'upsert:person',
      'upsert:person',
      'upsert:unit',
      'upsert:term',
      'upsert:class',
      'upsert:teaching-group',
      'upsert:course',
      'upsert:membership',
      'upsert:membership',
      'upsert:membership',
    ]);
    expect(batches.map((b) => b.index)).toEqual(batches.map((_, i) => i));
  });

  it('[IMSE-1] deletes memberships before groups, groups before units, units before persons', () => {
    const roster = smallRoster();
    const plan = planSync(
      { persons: [], units: [], groups: [], memberships: [] },
      syncedTarget(roster),
      policy,
    );
    const phasesSeen = batchPlan(plan, 100).map((b) => b.phase);
    expect(phasesSeen).toEqual([
      'delete:membership',
      'archive:course',
      'delete:teaching-group',
      'delete:class',
      'archive:term',
      'delete:unit',
      'delete:person',
    ]);
    const units = batchPlan(plan, 100).find((b) => b.phase === 'delete:unit') as Batch;
    expect(units.operations.map((o) => o.record)).toEqual([
      expect.objectContaining({ sourcedId: 'u-norra' }),
      expect.objectContaining({ sourcedId: 'u-sodra' }),
      expect.objectContaining({ sourcedId: 'u-kommun' }),
    ]);
  });

  it('[IMSE-1] gives each batch a deterministic idempotency key that differs per batch, plan and run', () => {
    const plan = planSync(smallRoster(), emptyTargetState(), policy);
    const keys = batchPlan(plan, 3, { runId: 'run-1' }).map((b) => b.idempotencyKey);
    expect(batchPlan(plan, 3, { runId: 'run-1' }).map((b) => b.idempotencyKey)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(batchPlan(plan, 3, { runId: 'run-2' })[0]?.idempotencyKey).not.toBe(keys[0]);
    const otherPlan = planSync(
      { ...smallRoster(), persons: smallRoster().persons.slice(1) },
      emptyTargetState(),
      policy,
    );
    expect(batchPlan(otherPlan, 3, { runId: 'run-1' })[0]?.idempotencyKey).not.toBe(keys[0]);
  });

  it('an empty plan has no batches; a bad size is refused', () => {
    const roster = smallRoster();
    expect(batchPlan(planSync(roster, syncedTarget(roster), policy), 10)).toEqual([]);
    expect(() => batchPlan(planSync(roster, emptyTargetState(), policy), 0)).toThrow(RangeError);
  });
});
