/**
 * Which tries count as daily attempts (CV-6): only answers about this learner and course.
 */
import {
  gradeReturnCurrentDetails,
  nextStep,
  notCountedReason,
  type AttemptRecord,
} from '../../../domain/grade-return';

describe('[CV-6] notCountedReason', () => {
  it('[CV-6] answers about this learner and course count', () => {
    expect(notCountedReason({ outcome: 'registered' })).toBeNull();
    expect(notCountedReason({ outcome: 'already-registered' })).toBeNull();
    expect(notCountedReason({ outcome: 'not-recognized' })).toBeNull();
    expect(notCountedReason({ outcome: 'rejected', failureType: 'Coachview.AmbiguousLearner' })).toBeNull();
    expect(notCountedReason({ outcome: 'rejected', failureType: 'Coachview.BadRequest' })).toBeNull();
    expect(notCountedReason({ outcome: 'rejected', failureType: 'Coachview.Unprocessable' })).toBeNull();
    expect(notCountedReason({ outcome: 'rejected' })).toBeNull();
  });

  it('[CV-6] Coachview unavailable, refused credentials and a malformed answer do not count', () => {
    expect(notCountedReason({ outcome: 'unavailable' })).toBe('coachview-unavailable');
    expect(notCountedReason({ outcome: 'rejected', failureType: 'Coachview.Unauthorized' })).toBe(
      'credentials-refused',
    );
    expect(notCountedReason({ outcome: 'rejected', failureType: 'Coachview.Forbidden' })).toBe(
      'credentials-refused',
    );
    expect(notCountedReason({ outcome: 'rejected', failureType: 'Coachview.UnexpectedResponse' })).toBe(
      'malformed-answer',
    );
    expect(notCountedReason({ outcome: 'rejected', failureType: 'RateBudgetSpent' })).toBe(
      'rate-budget-spent',
    );
  });

  it('[CV-6] a counted not-recognized answer still gives up after the last daily attempt', () => {
    expect(nextStep('not-recognized', 29, 30)).toBe('wait');
    expect(nextStep('not-recognized', 30, 30)).toBe('give-up');
  });
});

describe('[CV-6] current details of a try that did not count', () => {
  it('[CV-6] say since when Coachview is unavailable, that it is not counted, and the attempts used', () => {
    const last: AttemptRecord = {
      attempt: 3,
      at: '2026-11-05T10:00:00.000Z',
      outcome: 'unavailable',
      detail: 'Coachview: GET /persons answered 503',
      notCounted: 'coachview-unavailable',
    };
    const details = gradeReturnCurrentDetails({
      phase: 'waiting-for-retry',
      maxDailyAttempts: 30,
      attempts: [],
      nextAttemptAt: new Date('2026-11-06T10:00:00.000Z'),
      notCounted: { last, since: '2026-11-03T10:00:00.000Z', total: 3 },
    });
    expect(details).toContain('Coachview unavailable since 2026-11-03T10:00:00.000Z, not counted');
    expect(details).toContain('3 tries not counted');
    expect(details).toContain('Daily attempts used: 0 of 30');
    expect(details).toContain('2026-11-06T10:00:00.000Z');
  });
});
