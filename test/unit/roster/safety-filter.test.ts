import {
  emptyTargetState,
  evaluateSafetyFilter,
  planSync,
  safetyThresholdsSchema,
  summarizePlan,
  type PlanSummary,
} from '../../../domain/roster';
import { smallRoster, SOURCE } from './roster-fixture';

function summaryWith(
  counts: Partial<Record<keyof PlanSummary['byType'], { create?: number; update?: number; delete?: number }>>,
): PlanSummary {
  const summary = summarizePlan(planSync(smallRoster(), emptyTargetState(), { syncKeySource: SOURCE }));
  for (const type of Object.keys(summary.byType) as (keyof PlanSummary['byType'])[]) {
    summary.byType[type] = { create: 0, update: 0, delete: 0, held: 0, ...counts[type] };
  }
  return summary;
}

describe('evaluateSafetyFilter', () => {
  const defaults = safetyThresholdsSchema.parse({});

  it('[IMSE-3] is on by default and passes an ordinary day', () => {
    expect(defaults.enabled).toBe(true);
    const verdict = evaluateSafetyFilter(
      summaryWith({ person: { delete: 20, update: 100 } }),
      { person: 50_000 },
      defaults,
    );
    expect(verdict).toEqual({ enabled: true, tripped: false, violations: [] });
  });

  it('[IMSE-3] trips on an absolute number of deletes, per entity type', () => {
    const thresholds = safetyThresholdsSchema.parse({
      perType: { person: { deletes: { max: 100, maxShare: null } } },
    });
    const verdict = evaluateSafetyFilter(
      summaryWith({ person: { delete: 101 }, membership: { delete: 101 } }),
      { person: 1_000_000, membership: 1_000_000 },
      thresholds,
    );
    expect(verdict.tripped).toBe(true);
    expect(verdict.violations).toEqual([
      {
        entityType: 'person',
        kind: 'deletes',
        count: 101,
        limit: 100,
        share: 101 / 1_000_000,
        shareLimit: null,
        exceeded: ['absolute'],
      },
    ]);
    expect(
      evaluateSafetyFilter(summaryWith({ person: { delete: 100 } }), { person: 1_000_000 }, thresholds)
        .tripped,
    ).toBe(false);
  });

  it('[IMSE-3] trips on a share of the previous import, on deletes and on changes', () => {
    const thresholds = safetyThresholdsSchema.parse({
      perType: { class: { deletes: { max: null, maxShare: 0.1 }, changes: { max: null, maxShare: 0.2 } } },
    });
    const verdict = evaluateSafetyFilter(
      summaryWith({ class: { delete: 11, update: 21 } }),
      { class: 100 },
      thresholds,
    );
    expect(verdict.violations).toEqual([
      {
        entityType: 'class',
        kind: 'deletes',
        count: 11,
        limit: null,
        share: 0.11,
        shareLimit: 0.1,
        exceeded: ['share'],
      },
      {
        entityType: 'class',
        kind: 'changes',
        count: 21,
        limit: null,
        share: 0.21,
        shareLimit: 0.2,
        exceeded: ['share'],
      },
    ]);
    expect(
      evaluateSafetyFilter(summaryWith({ class: { delete: 10, update: 20 } }), { class: 100 }, thresholds)
        .tripped,
    ).toBe(false);
  });

  it('[IMSE-3] does not count creates, and skips shares when there was no previous import', () => {
    const verdict = evaluateSafetyFilter(
      summaryWith({ person: { create: 55_000 }, membership: { create: 400_000 } }),
      {},
      defaults,
    );
    expect(verdict.tripped).toBe(false);
  });

  it('[IMSE-3] the year-end swap trips the default filter and names the counts', () => {
    const verdict = evaluateSafetyFilter(
      summaryWith({ person: { delete: 6000 }, membership: { delete: 90_000 } }),
      { person: 55_000, membership: 400_000 },
      defaults,
    );
    expect(verdict.tripped).toBe(true);
    expect(verdict.violations.map((v) => [v.entityType, v.kind, v.exceeded])).toEqual([
      ['person', 'deletes', ['absolute', 'share']],
      ['membership', 'deletes', ['absolute', 'share']],
    ]);
  });

  it('[IMSE-3] switched off, it never trips', () => {
    const off = safetyThresholdsSchema.parse({ enabled: false });
    const verdict = evaluateSafetyFilter(
      summaryWith({ person: { delete: 50_000 } }),
      { person: 50_000 },
      off,
    );
    expect(verdict).toEqual({ enabled: false, tripped: false, violations: [] });
  });

  it('keeps defaults for what a configuration leaves out and rejects nonsense', () => {
    const partial = safetyThresholdsSchema.parse({ perType: { person: { deletes: { max: 5 } } } });
    expect(partial.perType.person.deletes).toEqual({ max: 5, maxShare: 0.1 });
    expect(partial.perType.membership).toEqual(defaults.perType.membership);
    expect(safetyThresholdsSchema.safeParse({ perType: { person: { deletes: { max: -1 } } } }).success).toBe(
      false,
    );
    expect(safetyThresholdsSchema.safeParse({ perType: { pupil: {} } }).success).toBe(false);
  });
});
