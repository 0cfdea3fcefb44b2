import { planSync, summarizePlan } from '../../../domain/roster';
import { rosterStatusEmail, type RosterSyncStatus } from '../../../domain/roster-sync';
import { smallRoster, SOURCE, syncedTarget } from '../roster/roster-fixture';

const status = (over: Partial<RosterSyncStatus>): RosterSyncStatus => ({
  phase: 'applied',
  integrationId: 'procapita-itslearning',
  syncDate: '2027-08-25',
  dryRun: false,
  safetyFilter: { enabled: true },
  summary: null,
  violations: [],
  plan: null,
  approval: null,
  awaitingApprovalUntil: null,
  applied: null,
  error: null,
  ...over,
});

describe('archives and data warnings in the status e-mail', () => {
  it('[IMSE-8] [IMSE-9] a type with archives only is listed with how many were archived instead of deleted', () => {
    const r = smallRoster();
    const source = { ...r, groups: r.groups.filter((g) => g.kind !== 'course' && g.kind !== 'term') };
    source.memberships = source.memberships.filter((m) => m.groupId !== 'k-ma7a');
    const summary = summarizePlan(planSync(source, syncedTarget(r), { syncKeySource: SOURCE }));
    const mail = rosterStatusEmail('applied', status({ summary }), 'roster-sync:x');
    expect(mail.text).toContain('  course          0 / 0 / 0 / 0  (1 archived instead of deleted)');
    expect(mail.text).toContain('  term            0 / 0 / 0 / 0  (1 archived instead of deleted)');
  });

  it('[IMSE-12] data warnings are listed with their count, the rest counted', () => {
    const dataWarnings = { warningCount: 25, warnings: ['class class:K1: name has 87 characters, ...'] };
    const mail = rosterStatusEmail('stopped-by-filter', status({ dataWarnings }), 'roster-sync:x');
    expect(mail.text).toContain('25 value(s) in the source needed attention');
    expect(mail.text).toContain('  - class class:K1: name has 87 characters, ...');
    expect(mail.text).toContain('  ... and 24 more');
    expect(
      rosterStatusEmail('applied', status({ dataWarnings: { warningCount: 0, warnings: [] } }), 'x').text,
    ).not.toContain('needed attention');
  });
});
