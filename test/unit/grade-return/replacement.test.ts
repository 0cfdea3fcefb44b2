/**
 * Which completion a waiting grade return keeps (CV-7): the one completed last.
 */
import {
  compareCompletionTimes,
  describeReplacement,
  gradeReturnCurrentDetails,
  replacementDecision,
} from '../../../domain/grade-return';

const pending = { grade: '6.0', completedAt: '2026-11-02T14:30:00Z' };

describe('[CV-7] replacementDecision', () => {
  it('[CV-7] a completion completed later replaces the pending one', () => {
    expect(replacementDecision(pending, { grade: '8.0', completedAt: '2026-11-05T09:00:00Z' })).toBe(
      'replace',
    );
  });

  it('[CV-7] a later completion with the same grade still replaces (its date is the approval date)', () => {
    expect(replacementDecision(pending, { grade: '6.0', completedAt: '2026-11-03T09:00:00Z' })).toBe(
      'replace',
    );
  });

  it('[CV-7] an older completion does not replace, whatever its grade', () => {
    expect(replacementDecision(pending, { grade: '9.5', completedAt: '2026-11-01T14:30:00Z' })).toBe(
      'not-newer',
    );
  });

  it('[CV-7] the same completion delivered twice is a no-op, also written with another offset', () => {
    expect(replacementDecision(pending, { ...pending })).toBe('same');
    expect(replacementDecision(pending, { grade: '6.0', completedAt: '2026-11-02T15:30:00+01:00' })).toBe(
      'same',
    );
  });

  it('[CV-7] the same time with another grade keeps the pending one: arrival order does not decide', () => {
    expect(replacementDecision(pending, { grade: '7.0', completedAt: '2026-11-02T14:30:00Z' })).toBe(
      'not-newer',
    );
  });

  it('[CV-7] instants are compared, not the text: 00:30 in Amsterdam is before 23:45 UTC the day before', () => {
    expect(compareCompletionTimes('2026-11-03T00:30:00+01:00', '2026-11-02T23:45:00Z')).toBe(-1);
  });

  it('[CV-7] a plain date compares by calendar date: a later date replaces, the same date does not', () => {
    const dated = { grade: '6.0', completedAt: '2026-11-02' };
    expect(replacementDecision(dated, { grade: '7.0', completedAt: '2026-11-03' })).toBe('replace');
    expect(replacementDecision(dated, { grade: '7.0', completedAt: '2026-11-02T20:00:00Z' })).toBe(
      'not-newer',
    );
    expect(replacementDecision(pending, { grade: '7.0', completedAt: '2026-11-03' })).toBe('replace');
    expect(replacementDecision(dated, { grade: '6.0', completedAt: '2026-11-02' })).toBe('same');
  });
});

describe('[CV-7] current details of a replacement', () => {
  it('[CV-7] name the replacement and the attempt that returns it, without grades or completion dates', () => {
    const details = gradeReturnCurrentDetails({
      phase: 'waiting-for-retry',
      maxDailyAttempts: 30,
      attempts: [
        { attempt: 1, at: '2026-11-02T15:00:00.000Z', outcome: 'not-recognized', detail: 'learner unknown' },
      ],
      nextAttemptAt: new Date('2026-11-03T15:00:00.000Z'),
      replacements: [{ receivedAt: '2026-11-02T18:00:00.000Z', decision: 'replace', forAttempt: 2 }],
    });
    expect(details).toContain('replaced the pending grade, returned from attempt 2');
    expect(details).toContain('Next attempt at 2026-11-03T15:00:00.000Z');
    expect(details).not.toMatch(/8\.0|6\.0|2026-11-05/);
  });

  it('[CV-7] every decision reads as a sentence', () => {
    for (const decision of [
      'replace',
      'same',
      'not-newer',
      'after-registration',
      'after-giving-up',
      'invalid',
    ] as const)
      expect(describeReplacement({ receivedAt: 'T', decision, forAttempt: 3 })).toMatch(
        /^A completion received at T .+\.$/,
      );
  });
});
