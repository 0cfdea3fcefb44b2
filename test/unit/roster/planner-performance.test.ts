import {
  countSynced,
  emptyTargetState,
  evaluateSafetyFilter,
  planSync,
  safetyThresholdsSchema,
  summarizePlan,
  type TargetState,
} from '../../../domain/roster';
import { largeRoster, SOURCE, syncedTarget } from './roster-fixture';

describe('planner at municipality size', () => {
  const roster = largeRoster({ students: 50_000, groupsPerStudent: 7 });
  const policy = { syncKeySource: SOURCE };

  it('[IMSE-1] plans ~55,000 persons and ~400,000 memberships in a few seconds', () => {
    expect(roster.memberships.length).toBeGreaterThanOrEqual(400_000);
    let started = Date.now();
    const first = planSync(roster, emptyTargetState(), policy);
    const firstMs = Date.now() - started;
    expect(summarizePlan(first).byType.membership.create).toBe(roster.memberships.length);

    const target: TargetState = syncedTarget(roster);
    // A normal day: 1 % of students leave, 2 % change class.
    const leaves = (personId: string): boolean =>
      personId.startsWith('s') && Number(personId.slice(1)) % 100 === 0;
    const changed = {
      ...roster,
      persons: roster.persons.filter((p) => !leaves(p.sourcedId)),
      memberships: roster.memberships
        .filter((m) => !leaves(m.personId))
        .map((m, i) => (i % 50 === 0 && m.groupId.startsWith('c') ? { ...m, role: 'Mentor' as const } : m)),
    };
    started = Date.now();
    const daily = planSync(changed, target, policy);
    const dailyMs = Date.now() - started;
    const summary = summarizePlan(daily);
    const verdict = evaluateSafetyFilter(
      summary,
      countSynced(target, SOURCE),
      safetyThresholdsSchema.parse({}),
    );
    console.log(
      `full plan: ${first.operations.length} operations in ${firstMs} ms; daily plan: ${daily.operations.length} operations in ${dailyMs} ms; filter tripped: ${verdict.tripped}`,
    );
    expect(summary.byType.person.delete).toBe(500);
    expect(firstMs + dailyMs).toBeLessThan(20_000);
  });
});
