import {
  planSync,
  summarizePlan,
  evaluateSafetyFilter,
  safetyThresholdsSchema,
  type TargetState,
} from '../../../domain/roster';
import { smallRoster, SOURCE, syncedTarget } from './roster-fixture';

const withoutCourseAndTerm = () => {
  const r = smallRoster();
  return {
    ...r,
    groups: r.groups.filter((g) => g.kind !== 'course' && g.kind !== 'term'),
    memberships: r.memberships.filter((m) => m.groupId !== 'k-ma7a'),
  };
};
const flagged = (flags: { archived?: boolean; detachedFromHierarchy?: boolean }): TargetState => {
  const target = syncedTarget(smallRoster());
  target.groups = target.groups.map((g) =>
    g.kind === 'course' || g.kind === 'term' ? { ...g, ...flags } : g,
  );
  return target;
};

describe('course and term archiving plan step', () => {
  it('[IMSE-8] [IMSE-9] deletes of our courses and terms become archives; the course keeps its memberships', () => {
    const plan = planSync(withoutCourseAndTerm(), syncedTarget(smallRoster()), { syncKeySource: SOURCE });
    expect(plan.operations.map((o) => `${o.op} ${o.entityType}`)).toEqual(['archive course', 'archive term']);
    expect(summarizePlan(plan).totals).toMatchObject({ delete: 0, archive: 2 });
  });

  it('[IMSE-8] a course already detached (archived earlier, or un-archived by hand since) and an archived term are left alone', () => {
    for (const flags of [
      { archived: true, detachedFromHierarchy: true },
      { archived: false, detachedFromHierarchy: true },
    ]) {
      const target = flagged(flags);
      const plan = planSync(withoutCourseAndTerm(), target, { syncKeySource: SOURCE });
      expect(
        plan.operations.filter((o) => o.entityType === 'course' || o.entityType === 'membership'),
      ).toEqual([]);
      expect(plan.operations.filter((o) => o.entityType === 'term')).toEqual(
        flags.archived ? [] : [expect.objectContaining({ op: 'archive' })],
      );
    }
  });

  it('[IMSE-8] with courseArchiving false course deletes stay deletes (with their memberships); terms are still archived', () => {
    const plan = planSync(withoutCourseAndTerm(), syncedTarget(smallRoster()), {
      syncKeySource: SOURCE,
      courseArchiving: false,
    });
    expect(plan.operations.map((o) => `${o.op} ${o.entityType}`)).toEqual([
      'delete membership',
      'delete membership',
      'delete course',
      'archive term',
    ]);
  });

  it('[IMSE-8] [IMSE-6] a delay-delete window holds archives like deletes', () => {
    const plan = planSync(withoutCourseAndTerm(), syncedTarget(smallRoster()), {
      syncKeySource: SOURCE,
      asOf: '2027-07-01',
      delayDelete: { start: '2027-06-15', end: '2027-08-15' },
    });
    expect(plan.operations).toEqual([]);
    expect(plan.held.map((h) => `${h.operation.op} ${h.operation.entityType} ${h.reason}`)).toEqual([
      'archive course delay-delete',
      'archive term delay-delete',
    ]);
  });

  it('[IMSE-8] archives count as changes for the safety filter', () => {
    const plan = planSync(withoutCourseAndTerm(), syncedTarget(smallRoster()), { syncKeySource: SOURCE });
    const thresholds = safetyThresholdsSchema.parse({
      perType: { course: { changes: { max: 0, maxShare: null } } },
    });
    const verdict = evaluateSafetyFilter(summarizePlan(plan), { course: 1, term: 10 }, thresholds);
    expect(verdict.violations).toEqual([
      expect.objectContaining({ entityType: 'course', kind: 'changes', count: 1 }),
    ]);
  });
});
