/** What a page, a sync or a whole backfill did (CW-9): counted per participant and competence. */
export interface CompetenceCounts {
  /** Passing results read. */
  passed: number;
  /** Registrations made in WinLas. */
  registered: number;
  /** Person and competence pairs left as they were: the person held the competence already (CW-5). */
  alreadyHeld: number;
  /** Passing results of participants with no WinLas person (CW-3). */
  unmatched: number;
  /** Results that are not a pass: nothing to do. */
  notPassed: number;
}

export const noCounts = (): CompetenceCounts => ({
  passed: 0,
  registered: 0,
  alreadyHeld: 0,
  unmatched: 0,
  notPassed: 0,
});

export function addCounts(a: CompetenceCounts, b: Partial<CompetenceCounts>): CompetenceCounts {
  return {
    passed: a.passed + (b.passed ?? 0),
    registered: a.registered + (b.registered ?? 0),
    alreadyHeld: a.alreadyHeld + (b.alreadyHeld ?? 0),
    unmatched: a.unmatched + (b.unmatched ?? 0),
    notPassed: a.notPassed + (b.notPassed ?? 0),
  };
}
