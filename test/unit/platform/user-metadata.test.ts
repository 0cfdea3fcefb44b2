/**
 * What the Web UI shows about each run (PLAT-13): a one-line summary and details for every start
 * (starters, schedules, the CLI) and the current details each workflow keeps, without personal values.
 */
import type { ScheduleOptionsStartWorkflowAction, Workflow } from '@temporalio/client';
import { startMetadataFor } from '../../../client/start-metadata';
import { gradeReturnCurrentDetails, moodlePollCurrentDetails } from '../../../domain/grade-return';
import type { SafetyViolation } from '../../../domain/roster';
import { describeViolation } from '../../../domain/roster-sync';
import { loadConfig } from '../../../platform/config';
import { workflowTypes } from '../../../platform/names';
import { SUMMARY_MAX_CHARS, startMetadata } from '../../../domain/user-metadata';
import { desiredSchedules } from '../../../workers/schedules';

const PERSONAL = ['P-4711', 'Sanne Jansen', 'sanne@example.test', '19121212-1212', 'Zeer goed'];

function expectReadable(metadata: { staticSummary: string; staticDetails: string }): void {
  expect(metadata.staticSummary).not.toMatch(/\n/);
  expect(metadata.staticSummary.length).toBeGreaterThan(10);
  expect(metadata.staticSummary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
  expect(metadata.staticDetails.length).toBeGreaterThan(20);
  const text = JSON.stringify(metadata);
  for (const value of PERSONAL)
    expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
}

describe('start metadata', () => {
  it('[PLAT-13] a grade return names source and course, never the learner, the grade or the date', () => {
    const metadata = startMetadataFor(workflowTypes.gradeReturn, {
      source: 'moodle',
      learnerId: 'P-4711',
      courseId: '2',
      grade: 'Zeer goed',
      completedAt: '2026-11-20T14:30:00Z',
      maxDailyAttempts: 30,
    });
    expect(metadata.staticSummary).toBe('Grade return: moodle course 2 → Coachview');
    expect(metadata.staticDetails).toContain('at most 30 days');
    expectReadable(metadata);
  });

  it('[PLAT-13] an input the workflow will refuse gets a summary that repeats none of its fields', () => {
    const metadata = startMetadataFor(workflowTypes.gradeReturn, {
      source: 'Sanne Jansen',
      learnerId: '19121212-1212',
      courseId: 'sanne@example.test',
    });
    expect(metadata.staticSummary).toBe('Grade return → Coachview (the input fails its check)');
    expect(metadata.staticDetails).toContain('source: expected one of');
    expectReadable(metadata);
  });

  it('[PLAT-13] a roster sync, a Moodle poll, store retention and an unknown type each get one', () => {
    expect(startMetadataFor(workflowTypes.rosterSync, { syncDate: '2027-08-25' }).staticSummary).toBe(
      'Roster sync procapita-itslearning: 2027-08-25 ProCapita roster → itslearning',
    );
    expect(startMetadataFor(workflowTypes.rosterSync, { dryRun: true }).staticSummary).toBe(
      "Roster sync procapita-itslearning: the day's ProCapita roster → itslearning (dry run)",
    );
    expect(startMetadataFor(workflowTypes.pollMoodleCompletions, {}).staticSummary).toBe(
      'Moodle completion poll: last 7 days → grade returns',
    );
    for (const [type, input] of [
      [workflowTypes.rosterSync, {}],
      [workflowTypes.pollMoodleCompletions, { lookbackDays: 3 }],
      [workflowTypes.storeRetention, { retentionDays: 30 }],
      ['someNewWorkflow', undefined],
    ] as const)
      expectReadable(startMetadataFor(type, input));
  });

  it('[PLAT-13] every schedule starts its runs with a summary and details', () => {
    const config = loadConfig({
      CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 1).toString('base64') }),
      CODEC_ACTIVE_KEY_ID: 'k1',
      ROSTER_SYNC_ENABLED: 'true',
    });
    const schedules = desiredSchedules(config);
    expect(schedules.length).toBeGreaterThanOrEqual(3);
    for (const schedule of schedules) {
      const action = schedule.action as ScheduleOptionsStartWorkflowAction<Workflow>;
      expect({ id: schedule.scheduleId, summary: typeof action.staticSummary }).toEqual({
        id: schedule.scheduleId,
        summary: 'string',
      });
      expectReadable({
        staticSummary: action.staticSummary ?? '',
        staticDetails: action.staticDetails ?? '',
      });
    }
  });

  it('[PLAT-13] a summary stays on one line and within what Temporal keeps', () => {
    const long = startMetadata(`a\nsummary ${'x'.repeat(500)}`, ['details']);
    expect(long.staticSummary.startsWith('a summary x')).toBe(true);
    expect(long.staticSummary).toHaveLength(SUMMARY_MAX_CHARS);
    expect(long.staticSummary.endsWith('…')).toBe(true);
  });
});

describe('current details', () => {
  const attempt = (n: number) => ({
    attempt: n,
    at: '2026-11-20T10:00:00.000Z',
    outcome: 'not-recognized' as const,
    detail: 'the learner id is not a Coachview person id or external id',
  });

  it('[PLAT-13] a grade return says which attempt it is at and when the next one is', () => {
    expect(
      gradeReturnCurrentDetails({
        phase: 'attempting',
        maxDailyAttempts: 30,
        attempts: [],
        nextAttemptAt: null,
      }),
    ).toBe('Attempt 1 of 30: asking Coachview.');
    expect(
      gradeReturnCurrentDetails({
        phase: 'waiting-for-retry',
        maxDailyAttempts: 30,
        attempts: [attempt(1), attempt(2), attempt(3)],
        nextAttemptAt: new Date('2026-11-21T10:00:00.000Z'),
      }),
    ).toBe(
      'Attempt 3 of 30: not-recognized (the learner id is not a Coachview person id or external id).\n' +
        'Next attempt at 2026-11-21T10:00:00.000Z, or at once on the signal retryNow.',
    );
  });

  it('[PLAT-13] a Moodle poll says what it looks for, then what it found', () => {
    expect(moodlePollCurrentDetails(7)).toBe('Polling Moodle for completions of the last 7 days.');
    expect(moodlePollCurrentDetails(7, { found: 2, started: 1, duplicates: 1 })).toBe(
      'Found 2 completions: 1 grade return(s) started, 1 already running or done.',
    );
  });

  it('[CV-1] a Moodle poll says whom it asks, what kind of scan it made and which course it could not scan', () => {
    expect(moodlePollCurrentDetails(7, undefined, { activeSince: '2026-11-29T10:00:00.000Z' })).toBe(
      'Polling Moodle for completions of the last 7 days, asking learners active since 2026-11-29T10:00:00.000Z.',
    );
    expect(
      moodlePollCurrentDetails(7, {
        found: 1,
        started: 1,
        duplicates: 0,
        fullScan: false,
        coursesScanned: 2,
        coursesFailed: [
          {
            courseId: 51,
            reason: 'Moodle: core_enrol_get_enrolled_users: Moodle refused the call (nopermissions)',
          },
        ],
      }),
    ).toBe(
      'Found 1 completion: 1 grade return(s) started, 0 already running or done.\n' +
        'Incremental scan: 2 courses scanned.\n' +
        'Course 51 not scanned, the next poll tries it again: Moodle: core_enrol_get_enrolled_users: Moodle refused the call (nopermissions)',
    );
  });

  it('[PLAT-13] a tripped safety filter is told with counts and limits', () => {
    const violation: SafetyViolation = {
      entityType: 'person',
      kind: 'deletes',
      count: 412,
      limit: 50,
      share: 0.61,
      shareLimit: 0.2,
      exceeded: ['absolute', 'share'],
    };
    expect(describeViolation(violation)).toBe(
      'deletes of persons 412 > 50; deletes of persons 61.0% of the previous import > 20.0%',
    );
  });
});
