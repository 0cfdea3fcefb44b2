import {
  addDays,
  advanceCursor,
  checkLinkInput,
  competenceLinkCurrentDetails,
  competenceLinkWorkflowId,
  decideRegistrations,
  directoryByEmail,
  emailKey,
  emptyCursor,
  isNewToCursor,
  judgeLink,
  markCourseStale,
  newLinkStatus,
  nextSyncPage,
  passDate,
  refusalMessage,
  registrationKey,
  restingPhase,
  syncStartPage,
  unmatchedReportDue,
  type LinkedCompetence,
} from '../../../domain/competences';

const guide = (id: number, type = 14, published = true) => ({ id, name: `Guide ${id}`, type, published });
const competence = (id: string, days: number | null) => ({
  id,
  name: `Competence ${id}`,
  defaultValidityDays: days,
});

describe('link checks', () => {
  it('[CW-1] accepts published Course (14) and Physical (18) guides, many to many', () => {
    const verdict = judgeLink(
      [
        { guideId: 1, guide: guide(1, 14) },
        { guideId: 2, guide: guide(2, 18) },
      ],
      [
        { competenceId: 'A', competence: competence('A', 365) },
        { competenceId: 'B', competence: competence('B', 730) },
      ],
    );
    expect(verdict).toEqual({
      ok: true,
      competences: [
        { competenceId: 'A', name: 'Competence A', defaultValidityDays: 365 },
        { competenceId: 'B', name: 'Competence B', defaultValidityDays: 730 },
      ],
    });
  });

  it('[CW-1] refuses unpublished guides, other guide types and unknown guides, naming each', () => {
    const verdict = judgeLink(
      [
        { guideId: 3, guide: guide(3, 14, false) },
        { guideId: 4, guide: guide(4, 1) },
        { guideId: 5, guide: undefined },
      ],
      [{ competenceId: 'A', competence: competence('A', 365) }],
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? [] : verdict.problems).toEqual([
      'guide 3 is not published',
      'guide 4 is of type 1, not a Course (14) or Physical (18) guide',
      'guide 5 does not exist in InfoCaption',
    ]);
  });

  it('[CW-6] refuses a competence without a default validity, saying so', () => {
    const verdict = judgeLink(
      [{ guideId: 1, guide: guide(1) }],
      [
        { competenceId: 'NOVAL', competence: competence('NOVAL', null) },
        { competenceId: 'GONE', competence: undefined },
      ],
    );
    const problems = verdict.ok ? [] : verdict.problems;
    expect(refusalMessage(problems)).toBe(
      'Link refused: competence NOVAL has no default validity in the competence tree: set it there before linking; ' +
        'competence GONE does not exist in WinLas',
    );
  });

  it('[CW-1] checks the input: lists of guide ids and competence ids, every bad field named', () => {
    expect(checkLinkInput({ guideIds: [2, 1, 2], competenceIds: [' B ', 'A'] })).toEqual({
      ok: true,
      value: { guideIds: [1, 2], competenceIds: ['A', 'B'] },
    });
    const bad = checkLinkInput({ guideIds: [], competenceIds: ['a b'] });
    expect(bad.ok ? [] : bad.problems).toEqual([
      'guideIds: expected a list of 1 to 50 InfoCaption guide ids',
      'competenceIds: every competence id must be 1 to 64 letters, digits, ".", "_" or "-"',
    ]);
    // The operator setting for continue-as-new: absent unless given, 50 to 10,000 events.
    expect(checkLinkInput({ guideIds: [1], competenceIds: ['A'], continueAsNewAfterEvents: 50 })).toEqual({
      ok: true,
      value: { guideIds: [1], competenceIds: ['A'], continueAsNewAfterEvents: 50 },
    });
    const tooFew = checkLinkInput({ guideIds: [1], competenceIds: ['A'], continueAsNewAfterEvents: 10 });
    expect(tooFew.ok ? [] : tooFew.problems).toEqual(['continueAsNewAfterEvents: must be >= 50']);
    // The same link, written in any order, is one workflow.
    expect(competenceLinkWorkflowId({ guideIds: [2, 1], competenceIds: ['B', 'A'] })).toBe(
      competenceLinkWorkflowId({ guideIds: [1, 2], competenceIds: ['A', 'B'] }),
    );
  });
});

describe('identity', () => {
  it('[CW-3] matches e-mail trimmed and case-insensitive', () => {
    expect(emailKey('  Anna.Berg@Example.SE ')).toBe('anna.berg@example.se');
    const directory = directoryByEmail([
      { id: 'P1', email: 'anna.berg@example.se' },
      { id: 'P2', email: ' ANNA.BERG@example.se' },
    ]);
    expect(directory.get(emailKey('Anna.Berg@Example.se  '))).toBe('P1');
    expect(directory.get(emailKey('nobody@example.se'))).toBeUndefined();
  });
});

describe('registration decision', () => {
  const competences: LinkedCompetence[] = [
    { competenceId: 'A', name: 'A', defaultValidityDays: 365 },
    { competenceId: 'B', name: 'B', defaultValidityDays: 30 },
  ];
  const result = { resultId: 'r1', email: 'x@example.se', passed: true, completedAt: '2024-02-28T23:30:00Z' };

  it('[CW-6] valid-to is the pass date in the stated time zone plus the default days', () => {
    // 23:30 UTC on 28 February is 29 February in Stockholm (a leap year).
    expect(passDate(result.completedAt, 'Europe/Stockholm')).toBe('2024-02-29');
    expect(passDate(result.completedAt, 'UTC')).toBe('2024-02-28');
    expect(addDays('2024-02-29', 365)).toBe('2025-02-28');
    const decisions = decideRegistrations({
      personId: 'P1',
      result,
      competences,
      held: [],
      timeZone: 'Europe/Stockholm',
    });
    expect(decisions).toEqual([
      {
        kind: 'register',
        registration: {
          personId: 'P1',
          competenceId: 'A',
          validFrom: '2024-02-29',
          validTo: '2025-02-28',
          externalKey: 'infocaption:P1:A',
        },
      },
      {
        kind: 'register',
        registration: {
          personId: 'P1',
          competenceId: 'B',
          validFrom: '2024-02-29',
          validTo: '2024-03-30',
          externalKey: 'infocaption:P1:B',
        },
      },
    ]);
  });

  it('[CW-5] a competence already held stays unchanged; the key is per person and competence, not per course', () => {
    const decisions = decideRegistrations({
      personId: 'P1',
      result,
      competences,
      held: [{ competenceId: 'A' }],
      timeZone: 'UTC',
    });
    expect(decisions[0]).toEqual({ kind: 'already-held', competenceId: 'A' });
    expect(decisions[1]?.kind).toBe('register');
    // Two courses linked to one competence give the same key, so WinLas makes one registration.
    const fromOtherCourse = decideRegistrations({
      personId: 'P1',
      result: { ...result, resultId: 'other-course-result', completedAt: '2024-05-01T10:00:00Z' },
      competences,
      held: [],
      timeZone: 'UTC',
    });
    const keyOf = (d: (typeof decisions)[number] | undefined) =>
      d?.kind === 'register' ? d.registration.externalKey : undefined;
    expect(keyOf(fromOtherCourse[1])).toBe(keyOf(decisions[1]));
    expect(registrationKey('P1', 'B')).toBe('infocaption:P1:B');
  });
});

describe('cursor', () => {
  it('[CW-2] a sync reads only what completed since its cursor; results at the cursor instant count once', () => {
    const at = '2026-01-01T10:00:00Z';
    let cursor = advanceCursor(emptyCursor(), [
      { resultId: 'a', completedAt: '2026-01-01T09:00:00Z' },
      { resultId: 'b', completedAt: at },
    ]);
    expect(cursor).toEqual({ completedSince: at, seenAtCursor: ['b'] });
    expect(isNewToCursor(cursor, { resultId: 'b', completedAt: at })).toBe(false);
    expect(isNewToCursor(cursor, { resultId: 'c', completedAt: at })).toBe(true);
    expect(isNewToCursor(cursor, { resultId: 'a', completedAt: '2026-01-01T09:00:00Z' })).toBe(false);
    cursor = advanceCursor(cursor, [{ resultId: 'c', completedAt: at }]);
    expect(cursor.seenAtCursor).toEqual(['b', 'c']);
  });

  it('[CW-2] a sync starts a page before the first result not yet seen at its cursor instant, and reads on while whole pages stay at it', () => {
    const at = '2026-01-01T10:00:00Z';
    const seen = (n: number) => ({
      completedSince: at,
      seenAtCursor: Array.from({ length: n }, (_, i) => `r${i}`),
    });
    expect(syncStartPage(emptyCursor(), 1)).toBe(1);
    expect(syncStartPage(seen(3), 100)).toBe(1);
    // One result a page, three seen: the first unseen is on page 4.
    expect(syncStartPage(seen(3), 1)).toBe(3);
    expect(syncStartPage(seen(250), 100)).toBe(2);
    expect(nextSyncPage(seen(3), seen(4), 3, 1)).toBe(4);
    const later = { completedSince: '2026-01-02T10:00:00Z', seenAtCursor: ['n1'] };
    expect(nextSyncPage(seen(3), later, 4, 1)).toBe(1);
    expect(nextSyncPage(seen(3), later, 4, 100)).toBe(1);
  });
});

describe('link status', () => {
  const status = () =>
    newLinkStatus({
      linkId: '1+2_A',
      backfillId: 'run',
      linkedAt: '2026-01-01T00:00:00Z',
      guideIds: [1, 2],
      unmatchedKey: 'k',
    });

  it('[CW-8] a deleted course marks the link stale and stops updating only that course', () => {
    const s = status();
    expect(restingPhase(s)).toBe('active');
    markCourseStale(s, 2, '2026-02-01T00:00:00Z');
    expect(restingPhase(s)).toBe('stale');
    expect(s.courses.map((c) => c.stale)).toEqual([false, true]);
    s.phase = 'stale';
    expect(competenceLinkCurrentDetails(s)).toContain('Course 2 guide 2: STALE (deleted in InfoCaption');
  });

  it('[CW-7] an unlinked link rests as unlinked and reports nothing more', () => {
    const s = status();
    s.unmatched.count = 3;
    expect(unmatchedReportDue(s, '2026-01-02')).toBe(true);
    s.unlinked = { at: '2026-01-02T00:00:00Z', operator: 'op@example.se' };
    expect(restingPhase(s)).toBe('unlinked');
    expect(unmatchedReportDue(s, '2026-01-02')).toBe(false);
  });
});
