import {
  MAX_KEPT_WARNINGS,
  addWarnings,
  rosterSyncCurrentDetails,
  rosterStatusEmail,
  type RosterSyncStatus,
} from '../../../domain/roster-sync';

const status = (applied: RosterSyncStatus['applied']): RosterSyncStatus => ({
  phase: 'applied',
  integrationId: 'procapita-itslearning',
  syncDate: '2026-09-15',
  dryRun: false,
  safetyFilter: { enabled: true },
  summary: null,
  violations: [],
  plan: null,
  approval: null,
  awaitingApprovalUntil: null,
  applied,
  error: null,
});

describe('import warnings in the roster-sync status', () => {
  it('[IMSE-4] keeps the first warnings verbatim and counts all of them', () => {
    let kept = { warningCount: 0, warnings: [] as string[] };
    for (let batch = 0; batch < 3; batch++) {
      const warnings = Array.from({ length: 10 }, (_, i) => `batch ${batch} warning ${i}`);
      kept = addWarnings(kept, { warnings, warningCount: batch === 2 ? 250 : 10 });
    }
    expect(kept.warningCount).toBe(270);
    expect(kept.warnings).toHaveLength(MAX_KEPT_WARNINGS);
    expect(kept.warnings[0]).toBe('batch 0 warning 0');
    expect(kept.warnings.at(-1)).toBe('batch 1 warning 9');
  });

  it('[IMSE-4] cuts a very long warning short', () => {
    const kept = addWarnings({ warningCount: 0, warnings: [] }, { warnings: ['x'.repeat(1000)] });
    expect(kept.warningCount).toBe(1);
    expect(kept.warnings[0]?.length).toBeLessThan(310);
  });

  it('[IMSE-4] the e-mail lists the warnings and says how many more there were', () => {
    const mail = rosterStatusEmail(
      'applied',
      status({ batches: 2, operations: 80, warningCount: 5, warnings: ['w1', 'w2'] }),
      'roster-sync-1',
    );
    expect(mail.text).toContain('Applied 80 operations in 2 batches.');
    expect(mail.text).toContain(
      'itslearning reported 5 warning(s) while importing:\n  - w1\n  - w2\n  ... and 3 more',
    );
  });

  it('[IMSE-4] an import without warnings says nothing about warnings', () => {
    const mail = rosterStatusEmail(
      'applied',
      status({ batches: 1, operations: 3, warningCount: 0, warnings: [] }),
      'roster-sync-1',
    );
    expect(mail.text).not.toContain('warning');
  });
});

describe('the safety filter turned off by configuration in the roster-sync status', () => {
  it('[IMSE-3][IMSE-4] every kind of status e-mail says so, also a failure before planning', () => {
    for (const kind of ['applied', 'failed', 'nothing-to-do', 'rejected'] as const) {
      const mail = rosterStatusEmail(kind, { ...status(null), error: 'x' }, 'roster-sync-1', {
        filterOffByConfiguration: true,
      });
      expect(mail.text).toContain('The safety filter is turned OFF by configuration');
    }
    expect(rosterStatusEmail('applied', status(null), 'roster-sync-1').text).not.toContain('OFF');
  });

  it('[IMSE-3] the current details say so once the run has planned', () => {
    const details = rosterSyncCurrentDetails({
      ...status(null),
      safetyFilter: { enabled: true, offByConfiguration: true },
    });
    expect(details).toContain('Safety filter turned off by configuration');
  });
});
