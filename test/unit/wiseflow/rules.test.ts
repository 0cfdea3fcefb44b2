import {
  checkFlowSyncInput,
  checkLicence,
  hasMarkingStarted,
  isFlowActive,
  isFlowFinished,
  linkExpiration,
  linksToIssue,
  nextRenewalAt,
  planFlowAssessors,
  planUsers,
  type ExistingUser,
  type Supervisor,
} from '../../../domain/wiseflow';

const licence = {
  licenseId: 42,
  name: 'UC Syd',
  userDataTypes: [
    { id: 3, name: 'CPR' },
    { id: 7, name: 'Praktikportalen' },
  ],
};

describe('licence gate', () => {
  it('[WF-4] a licence carrying the configured Praktikportalen user data type passes', () => {
    expect(checkLicence(licence, 7)).toEqual({
      ok: true,
      userDataTypeId: 7,
      userDataTypeName: 'Praktikportalen',
    });
  });
  it('[WF-4] without a configured id, the user data type named Praktikportalen is taken', () => {
    expect(checkLicence(licence)).toMatchObject({ ok: true, userDataTypeId: 7 });
  });
  it('[WF-4] a licence without it is refused with a message naming what the licence has', () => {
    const verdict = checkLicence({ ...licence, userDataTypes: [{ id: 3, name: 'CPR' }] }, 7);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.message).toContain('WISEflow licence 42 (UC Syd) carries no Praktikportalen id');
    expect(verdict.message).toContain('user data type 7');
    expect(verdict.message).toContain('3 (CPR)');
    expect(checkLicence({ ...licence, userDataTypes: [] }).ok).toBe(false);
    expect(checkLicence(licence, 9).ok).toBe(false);
  });
});

describe('flow states', () => {
  it('[WF-3] the active stages run from set-up through marking; concluded and archived end the sync', () => {
    expect(
      ['NOT_ACTIVATED', 'ACTIVATED', 'PARTICIPATION_STARTED', 'PARTICIPATION_ENDED'].map((s) =>
        isFlowActive(s as never),
      ),
    ).toEqual([true, true, true, true]);
    expect(isFlowActive('CONCLUDED')).toBe(false);
    expect(isFlowFinished('CONCLUDED')).toBe(true);
    expect(isFlowFinished('ARCHIVED')).toBe(true);
    expect(isFlowFinished('PARTICIPATION_ENDED')).toBe(false);
  });
  it('[WF-6] marking has started at its start date, or once participation has ended', () => {
    const start = Date.parse('2027-03-01T08:00:00Z');
    expect(hasMarkingStarted({ state: 'PARTICIPATION_STARTED', markingStart: start / 1000 }, start - 1)).toBe(
      false,
    );
    expect(hasMarkingStarted({ state: 'PARTICIPATION_STARTED', markingStart: start / 1000 }, start)).toBe(
      true,
    );
    expect(hasMarkingStarted({ state: 'PARTICIPATION_STARTED' }, start)).toBe(false);
    expect(hasMarkingStarted({ state: 'PARTICIPATION_ENDED' }, start)).toBe(true);
  });
});

const anna: Supervisor = {
  praktikportalenId: 'pp-1',
  firstName: 'Anna',
  lastName: 'Holm',
  email: 'anna@skole.dk',
};
const bo: Supervisor = { praktikportalenId: 'pp-2', firstName: 'Bo', lastName: 'Lund', email: 'bo@skole.dk' };
const user = (userId: number, s: Supervisor): ExistingUser => ({
  userId,
  firstName: s.firstName,
  lastName: s.lastName,
  emails: [s.email],
});

describe('users of supervisors', () => {
  it('[WF-1] a supervisor no user carries the Praktikportalen id of is created; one found is kept', () => {
    const actions = planUsers([anna, bo], new Map([['pp-2', user(20, bo)]]));
    expect(actions).toEqual([
      { kind: 'create', supervisor: anna },
      { kind: 'keep', supervisor: bo, userId: 20 },
    ]);
  });
  it('[WF-1] a corrected e-mail or name updates the user found by the id; a period listing someone twice makes one user', () => {
    const actions = planUsers(
      [{ ...anna, email: 'anna.holm@skole.dk' }, anna],
      new Map([['pp-1', user(10, anna)]]),
    );
    expect(actions).toEqual([
      { kind: 'update', supervisor: { ...anna, email: 'anna.holm@skole.dk' }, userId: 10, fields: ['email'] },
    ]);
    expect(
      planUsers([anna], new Map([['pp-1', { ...user(10, anna), emails: ['ANNA@skole.dk'] }]]))[0]!.kind,
    ).toBe('keep');
  });
});

describe('assessor plan', () => {
  const EXT = 5;
  it('[WF-1] supervisors not yet external assessors are added; those already there are not added twice', () => {
    const plan = planFlowAssessors({
      desired: [
        { praktikportalenId: 'pp-1', userId: 10 },
        { praktikportalenId: 'pp-2', userId: 20 },
      ],
      known: {},
      assessors: [
        { assessorId: 1, userId: 10, assessorTypeId: EXT },
        { assessorId: 2, userId: 20, assessorTypeId: 1 }, // an internal assessor entry is another thing
      ],
      externalAssessorTypeId: EXT,
      markingStarted: false,
    });
    expect(plan.add).toEqual([{ praktikportalenId: 'pp-2', userId: 20 }]);
    expect(plan.present).toBe(1);
    expect(plan.known).toEqual({ 'pp-1': 10, 'pp-2': 20 });
  });
  it('[WF-6] a supervisor who left before marking started is removed; one added by hand is never touched', () => {
    const plan = planFlowAssessors({
      desired: [{ praktikportalenId: 'pp-2', userId: 20 }],
      known: { 'pp-1': 10, 'pp-2': 20 },
      assessors: [
        { assessorId: 1, userId: 10, assessorTypeId: EXT },
        { assessorId: 2, userId: 20, assessorTypeId: EXT },
        { assessorId: 3, userId: 99, assessorTypeId: EXT },
      ],
      externalAssessorTypeId: EXT,
      markingStarted: false,
    });
    expect(plan.remove).toEqual([{ praktikportalenId: 'pp-1', userId: 10, assessorIds: [1] }]);
    expect(plan.keptAfterMarking).toEqual([]);
    expect(plan.known).toEqual({ 'pp-2': 20 });
  });
  it('[WF-6] after marking started a supervisor who left stays, is reported, and is still known', () => {
    const plan = planFlowAssessors({
      desired: [{ praktikportalenId: 'pp-2', userId: 20 }],
      known: { 'pp-1': 10, 'pp-2': 20 },
      assessors: [
        { assessorId: 1, userId: 10, assessorTypeId: EXT },
        { assessorId: 2, userId: 20, assessorTypeId: EXT },
      ],
      externalAssessorTypeId: EXT,
      markingStarted: true,
    });
    expect(plan.remove).toEqual([]);
    expect(plan.keptAfterMarking).toEqual([{ praktikportalenId: 'pp-1', userId: 10 }]);
    expect(plan.known).toEqual({ 'pp-1': 10, 'pp-2': 20 });
  });
  it('[WF-6] a supervisor who left and whose entry is already gone is forgotten', () => {
    const plan = planFlowAssessors({
      desired: [],
      known: { 'pp-1': 10 },
      assessors: [],
      externalAssessorTypeId: EXT,
      markingStarted: false,
    });
    expect(plan).toMatchObject({ add: [], remove: [], keptAfterMarking: [], known: {} });
  });
});

describe('access links', () => {
  const policy = { lifetimeHours: 168, renewBeforeHours: 24 };
  const now = Date.parse('2027-02-01T10:00:00Z');
  it('[WF-2] a supervisor without a link gets one; a link is renewed once less than the margin remains', () => {
    const expires = linkExpiration(now, policy);
    expect(expires).toBe(now / 1000 + 168 * 3600);
    const links = { 'pp-1': { userId: 10, expires, creationDate: now / 1000 } };
    const holders = [
      { praktikportalenId: 'pp-1', userId: 10 },
      { praktikportalenId: 'pp-2', userId: 20 },
    ];
    expect(linksToIssue(holders, links, now, policy)).toEqual([
      { praktikportalenId: 'pp-2', userId: 20, reason: 'new' },
    ]);
    const due = nextRenewalAt(links, policy)!;
    expect(due).toBe(expires * 1000 - 24 * 3600_000);
    expect(linksToIssue(holders.slice(0, 1), links, due - 1, policy)).toEqual([]);
    expect(linksToIssue(holders.slice(0, 1), links, due, policy)).toEqual([
      { praktikportalenId: 'pp-1', userId: 10, reason: 'expiring' },
    ]);
    expect(nextRenewalAt({}, policy)).toBeNull();
  });
  it('[WF-6] a supervisor whose WISEflow user changed gets a new link, which replaces the old', () => {
    const links = { 'pp-1': { userId: 10, expires: now / 1000 + 100_000, creationDate: now / 1000 } };
    expect(linksToIssue([{ praktikportalenId: 'pp-1', userId: 11 }], links, now, policy)).toEqual([
      { praktikportalenId: 'pp-1', userId: 11, reason: 'user-changed' },
    ]);
  });
});

describe('flow-sync input', () => {
  it('[WF-3] a flow id and a period number are enough; defaults fill the rest', () => {
    expect(checkFlowSyncInput({ flowId: 101, periodNumber: 'PP-2027-04' })).toEqual({
      ok: true,
      value: {
        flowId: 101,
        periodNumber: 'PP-2027-04',
        syncEveryMinutes: 60,
        linkLifetimeHours: 168,
        renewLinksBeforeHours: 24,
        syncsPerRun: 100,
      },
    });
  });
  it('[WF-3] a bad input is refused naming the fields, never their values', () => {
    const checked = checkFlowSyncInput({
      flowId: -1,
      periodNumber: 'no spaces/allowed',
      syncEveryMinutes: 0,
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.join('; ')).toMatch(/flowId: .*periodNumber: .*syncEveryMinutes/);
    expect(checked.problems.join('; ')).not.toContain('no spaces');
    const policy = checkFlowSyncInput({
      flowId: 1,
      periodNumber: 'P1',
      linkLifetimeHours: 10,
      renewLinksBeforeHours: 10,
    });
    expect(policy).toEqual({
      ok: false,
      problems: ['renewLinksBeforeHours must be less than linkLifetimeHours'],
    });
  });
});
