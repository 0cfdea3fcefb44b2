import {
  decidedBy,
  rosterStatusEmail,
  rosterSyncCurrentDetails,
  type RosterSyncStatus,
} from '../../../domain/roster-sync';

const base: RosterSyncStatus = {
  phase: 'rejected',
  integrationId: 'procapita-itslearning',
  syncDate: '2026-09-15',
  dryRun: false,
  safetyFilter: { enabled: true },
  summary: null,
  violations: [],
  plan: null,
  approval: null,
  awaitingApprovalUntil: null,
  applied: null,
  error: null,
};

describe('who made an operator decision', () => {
  it('[PLAT-15] names the typed name and the identity Temporal recorded; runs from before show the name only', () => {
    expect(decidedBy('maria@school.se', 'maria.operator@idp')).toBe(
      'maria@school.se (Temporal identity: maria.operator@idp)',
    );
    expect(decidedBy('maria@school.se', null)).toBe('maria@school.se (Temporal identity: none sent)');
    expect(decidedBy('maria@school.se', undefined)).toBe('maria@school.se');
  });

  it('[PLAT-15] the status e-mail and the current details say who rejected, and who turned the filter off', () => {
    const status: RosterSyncStatus = {
      ...base,
      safetyFilter: {
        enabled: false,
        disabledBy: 'anna',
        reason: 'cleanup',
        disabledByIdentity: 'anna@host-1',
      },
      approval: {
        decision: 'rejected',
        operator: 'per',
        identity: 'temporal-cli:per@host-2',
        at: '2026-09-15T18:40:00Z',
      },
    };
    const mail = rosterStatusEmail('rejected', status, 'roster-sync:x').text;
    expect(mail).toContain('turned OFF for this run by anna (Temporal identity: anna@host-1): cleanup');
    expect(mail).toContain(
      'Decision: rejected by per (Temporal identity: temporal-cli:per@host-2) at 2026-09-15T18:40:00Z',
    );
    expect(rosterSyncCurrentDetails(status).split('\n')).toEqual([
      'Rejected by per (Temporal identity: temporal-cli:per@host-2) at 2026-09-15T18:40:00Z for 2026-09-15; nothing written.',
      'Safety filter turned off by anna (Temporal identity: anna@host-1).',
    ]);
  });
});
