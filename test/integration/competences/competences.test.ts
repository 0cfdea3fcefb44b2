/**
 * The competence lifecycle (CW-1..CW-9) on the real Temporal dev server (the schedule's sync lists
 * running links through visibility), against the InfoCaption and WinLas simulators over HTTP, a local
 * snapshot store and the SMTP sink.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { linkCompetences, unlinkCompetences } from '../../../client/competences';
import { competenceLinkWorkflowId, type LinkStatus } from '../../../domain/competences';
import { searchAttributes } from '../../../platform/names';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { InfoCaptionSimulator } from '../../../simulators/infocaption';
import type { WinLasSimulator } from '../../../simulators/winlas';
import { competenceLinkWorkflow } from '../../../workflows/competence-link';
import { competenceSyncWorkflow } from '../../../workflows/competence-sync';
import {
  COMPETENCE_OPS,
  competenceWorker,
  testBudgets,
  waitForLink,
} from '../../support/competences-harness';
import { useCompetenceTestBed } from '../../support/competences-test-bed';
import { createDevServerEnv, uniqueTaskQueue } from '../../support/temporal';

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let infocaption: InfoCaptionSimulator;
let winlas: WinLasSimulator;
let smtp: SmtpSink;
let storeDir: string;
let taskQueue: string;

useCompetenceTestBed(createDevServerEnv, { name: 'competences' }, (bed) => {
  ({ env, infocaption, winlas, smtp, storeDir, taskQueue } = bed);
});

const FIRE = 'FIRE';
const AID = 'AID';

/**
 * Guide 101 (Course, 45 generated participants, every 9th fails) and 102 (Physical) both give FIRE.
 * WinLas has persons for the generated e-mails except numbers 20 and 40 (unmatched), messy e-mails for every
 * 7th; Anna took both courses (one registration); Bo holds FIRE already, made by hand (kept as is).
 */
function seedBoth(): void {
  infocaption.reset();
  winlas.reset();
  smtp.clear();
  winlas.seed({
    competences: [
      { id: FIRE, name: 'Fire safety', defaultValidityDays: 365 },
      { id: AID, name: 'First aid', defaultValidityDays: 730 },
      { id: 'NOVAL', name: 'Induction', defaultValidityDays: null },
    ],
    persons: [
      { id: 'P-ANNA', email: 'anna.berg@school.test', firstName: 'Anna', lastName: 'Berg' },
      { id: 'P-BO', email: 'bo.ek@school.test', firstName: 'Bo', lastName: 'Ek' },
    ],
    registrations: [
      {
        personId: 'P-BO',
        competenceId: FIRE,
        validFrom: '2020-01-01',
        validTo: '2021-01-01',
        source: 'manual',
      },
    ],
  });
  winlas.generate({ persons: 45, skipEvery: 20, messyEvery: 7 });
  infocaption.seed({
    guides: [
      { id: 101, name: 'Fire safety online', type: 14, published: true },
      { id: 102, name: 'Fire drill', type: 18, published: true },
      { id: 103, name: 'Draft course', type: 14, published: false },
      { id: 104, name: 'Intranet video', type: 1, published: true },
      { id: 105, name: 'Evacuation drill', type: 18, published: true },
    ],
    users: [
      { userId: 9001, email: ' Anna.Berg@School.test ', firstName: 'Anna', lastName: 'Berg' },
      { userId: 9002, email: 'bo.ek@school.test', firstName: 'Bo', lastName: 'Ek' },
    ],
    results: [
      { guideId: 101, userId: 9001, passed: true, completedAt: '2024-03-01T09:00:00Z' },
      { guideId: 102, userId: 9001, passed: true, completedAt: '2024-06-10T22:30:00Z' },
      { guideId: 102, userId: 9002, passed: true, completedAt: '2024-06-11T08:00:00Z' },
      { guideId: 105, userId: 9001, passed: true, completedAt: '2024-09-01T08:00:00Z' },
      { guideId: 105, userId: 9002, passed: true, completedAt: '2024-09-01T08:00:00Z' },
    ],
  });
  infocaption.generate({ guideIds: [101], participants: 45, failEvery: 9 });
}

/** Registrations per person and competence in WinLas. */
function registrationsByPair(): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const r of winlas.state.registrations.values()) {
    const key = `${r.personId}:${r.competenceId}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  }
  return pairs;
}

const link = (guideIds: number[], competenceIds: string[]) => ({ guideIds, competenceIds });

async function syncNow(signal: 'sync' | 'reportUnmatched' = 'sync'): Promise<void> {
  await env.client.workflow.execute(competenceSyncWorkflow, {
    taskQueue,
    workflowId: `competence-sync-${signal}-${Date.now()}`,
    args: [{ signal }],
  });
}

async function syncAndWait(workflowId: string, before: LinkStatus): Promise<LinkStatus> {
  await syncNow();
  return waitForLink(env.client, workflowId, (s) => s.sync.runs > before.sync.runs);
}

it('[CW-1][CW-6] a link to an unpublished guide, another guide type or a competence without default validity is refused, saying why', async () => {
  seedBoth();
  const refused = await linkCompetences(env.client, link([103, 104, 101], [FIRE, 'NOVAL']), { taskQueue });
  expect(refused.outcome).toBe('refused');
  expect(refused.outcome === 'refused' && refused.reason).toBe(
    'Link refused: guide 103 is not published; guide 104 is of type 1, not a Course (14) or Physical (18) guide; ' +
      'competence NOVAL has no default validity in the competence tree: set it there before linking',
  );
  // The workflow failed non-retryably with that message; nothing was registered.
  const failure = await env.client.workflow
    .getHandle(refused.workflowId)
    .result()
    .catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({
    type: 'CompetenceLinkRefused',
    nonRetryable: true,
  });
  expect(winlas.state.registrations.size).toBe(1);
});

let backfilled: LinkStatus;
const mainLink = link([101, 102], [FIRE]);
const mainId = competenceLinkWorkflowId(mainLink);

it('[CW-4][CW-9][CW-3][CW-5][CW-6] the backfill registers every historical pass page by page: once per person and competence, none over a held one', async () => {
  const linked = await linkCompetences(env.client, mainLink, { taskQueue });
  expect(linked.outcome).toBe('linked');
  backfilled = await waitForLink(env.client, mainId, (s) => s.backfill.done && s.phase !== 'backfilling');
  expect(backfilled.phase).toBe('active');

  // Generated: 45 participants, 5 fail (every 9th), numbers 20 and 40 have no WinLas person.
  const generatedPasses = 40;
  expect(backfilled.backfill).toMatchObject({
    passed: generatedPasses + 3,
    notPassed: 5,
    unmatched: 2,
    // Anna's second course and Bo's FIRE from before are already held.
    alreadyHeld: 2,
    registered: generatedPasses - 2 + 1,
    done: true,
  });
  // 45 results at 20 a page: 3 pages of guide 101, 1 of guide 102.
  expect(backfilled.courses.map((c) => c.backfill)).toEqual([
    { pagesDone: 3, totalPages: 3, done: true },
    { pagesDone: 1, totalPages: 1, done: true },
  ]);
  expect(backfilled.backfill.pagesDone).toBe(backfilled.backfill.totalPages);

  // CW-5: exactly one registration per person and competence; Bo's own one untouched.
  const pairs = registrationsByPair();
  expect([...pairs.values()].every((n) => n === 1)).toBe(true);
  const bo = winlas.state.registrationsOf('P-BO', FIRE);
  expect(bo).toEqual([
    expect.objectContaining({ validFrom: '2020-01-01', validTo: '2021-01-01', source: 'manual' }),
  ]);
  // CW-6 and CW-3: Anna (e-mail with capitals and spaces) got FIRE from her first pass, valid 365 days.
  expect(winlas.state.registrationsOf('P-ANNA', FIRE)).toEqual([
    expect.objectContaining({
      validFrom: '2024-03-01',
      validTo: '2025-03-01',
      externalKey: 'infocaption:P-ANNA:FIRE',
    }),
  ]);
  // CW-3: the unmatched participant is listed in the status query, with the course.
  expect(backfilled.unmatched.count).toBe(2);
  expect(backfilled.unmatched.sample.map((u) => [u.guideId, u.course, u.email])).toEqual([
    [101, 'Fire safety online', 'learner20@generated.test'],
    [101, 'Fire safety online', 'learner40@generated.test'],
  ]);
  // The Web UI's view: the search attribute and the current details.
  const description = await env.client.workflow.getHandle(mainId).describe();
  expect(description.typedSearchAttributes.get(searchAttributes.integrationStatus)).toBe('active');
});

it('[CW-1] the same link again while it runs starts nothing', async () => {
  const again = await linkCompetences(env.client, link([102, 101], [FIRE]), { taskQueue });
  expect(again).toEqual({ outcome: 'already-linked', workflowId: mainId });
});

it('[CW-2] a new pass is registered by the schedule’s sync, from the cursor on', async () => {
  winlas.seed({
    persons: [{ id: 'P-CARL', email: 'carl@school.test', firstName: 'Carl', lastName: 'Dahl' }],
  });
  const carl = infocaption.state.addUser({ email: 'CARL@school.test', firstName: 'Carl', lastName: 'Dahl' });
  infocaption.state.addResult({
    guideId: 102,
    userId: carl.userId,
    passed: true,
    completedAt: '2026-11-01T10:00:00Z',
  });
  const before = await waitForLink(env.client, mainId, () => true);
  const after = await syncAndWait(mainId, before);
  expect(after.sync).toMatchObject({ registered: 1, alreadyHeld: 0 });
  expect(winlas.state.registrationsOf('P-CARL', FIRE)).toEqual([
    expect.objectContaining({ validFrom: '2026-11-01', validTo: '2027-11-01' }),
  ]);
  // Nothing older is read again: a second sync registers nothing.
  const again = await syncAndWait(mainId, after);
  expect(again.sync.registered).toBe(1);
  expect(again.sync.passed).toBe(after.sync.passed);
});

it('[CW-3] the unmatched participant is e-mailed daily with the course and registered once the person exists', async () => {
  await syncNow('reportUnmatched');
  const mail = await waitForMail((m) => m.subject.includes('without a WinLas person'));
  expect(mail.to).toContain(COMPETENCE_OPS);
  expect(mail.text).toContain('Course 101 Fire safety online:');
  expect(mail.text).toContain('learner20@generated.test');

  expect(mail.text).toContain('learner40@generated.test');

  // Person 20 now exists in WinLas; person 40's e-mail is fixed in InfoCaption to one WinLas knows.
  winlas.seed({
    persons: [{ id: 'P-20', email: 'Learner20@generated.test', firstName: 'L', lastName: 'Twenty' }],
  });
  const user40 = [...infocaption.state.users.values()].find((u) => u.email === 'learner40@generated.test');
  infocaption.state.updateUser(user40?.userId ?? -1, { email: 'carl@school.test' });
  const before = await waitForLink(env.client, mainId, () => true);
  const after = await syncAndWait(mainId, before);
  expect(after.unmatched.count).toBe(0);
  // Person 20 gets FIRE; Carl (person 40's fixed e-mail) holds it already.
  expect(after.sync.registered).toBe(before.sync.registered + 1);
  expect(after.sync.alreadyHeld).toBe(before.sync.alreadyHeld + 1);
  expect(winlas.state.registrationsOf('P-20', FIRE)).toHaveLength(1);
});

it('[CW-8] a course deleted in InfoCaption keeps the link visible, marked stale, and updates nothing from it', async () => {
  const staleLink = link([105], [AID]);
  const staleId = competenceLinkWorkflowId(staleLink);
  await linkCompetences(env.client, staleLink, { taskQueue });
  const active = await waitForLink(env.client, staleId, (s) => s.phase === 'active');
  expect(active.backfill.registered).toBe(2);
  await fetch(`${infocaption.url}/__admin/guides/105`, { method: 'DELETE' });
  const stale = await syncAndWait(staleId, active);
  expect(stale.phase).toBe('stale');
  expect(stale.courses[0]).toMatchObject({ guideId: 105, stale: true });
  const handle = env.client.workflow.getHandle(staleId);
  const description = await handle.describe();
  expect(description.status.name).toBe('RUNNING');
  expect(description.typedSearchAttributes.get(searchAttributes.integrationStatus)).toBe('stale');
  // Later syncs no longer read it: no page activity after the one that found it deleted.
  const pageReads = async () => {
    const history = await handle.fetchHistory();
    return (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'processCoursePages',
    ).length;
  };
  const readsWhenStale = await pageReads();
  await syncAndWait(staleId, stale);
  expect(await pageReads()).toBe(readsWhenStale);
  await unlinkCompetences(env.client, staleId);
});

it('[CW-7] unlink stops future registrations and keeps those made; a re-link registers nothing twice', async () => {
  const handle = env.client.workflow.getHandle(mainId);
  const registeredBefore = winlas.state.registrations.size;
  const status = await unlinkCompetences(env.client, mainId, 'ops@school.test');
  expect(status.unlinked).toMatchObject({ operator: 'ops@school.test' });
  const result = await handle.result();
  expect(result.phase).toBe('unlinked');

  const dora = infocaption.state.addUser({ email: 'dora@school.test', firstName: 'Dora', lastName: 'Falk' });
  winlas.seed({
    persons: [{ id: 'P-DORA', email: 'dora@school.test', firstName: 'Dora', lastName: 'Falk' }],
  });
  infocaption.state.addResult({
    guideId: 101,
    userId: dora.userId,
    passed: true,
    completedAt: '2026-11-20T10:00:00Z',
  });
  await syncNow();
  expect(winlas.state.registrationsOf('P-DORA')).toEqual([]);
  expect(winlas.state.registrations.size).toBe(registeredBefore);

  // Linked again: the backfill finds every earlier pass held and registers only Dora's new one.
  const relinked = await linkCompetences(env.client, mainLink, { taskQueue });
  expect(relinked.outcome).toBe('linked');
  const done = await waitForLink(env.client, mainId, (s) => s.backfill.done && s.phase === 'active');
  expect(done.backfill.registered).toBe(1);
  expect(done.backfill).toMatchObject({ passed: 45, unmatched: 0, alreadyHeld: 44 });
  expect([...registrationsByPair().values()].every((n) => n === 1)).toBe(true);
  await unlinkCompetences(env.client, mainId);
});

it('[CW-7] an unlink in the middle of a backfill stops it: nothing is registered once the link has ended', async () => {
  seedBoth();
  infocaption.seed({ guides: [{ id: 106, name: 'Long course', type: 14, published: true }] });
  infocaption.generate({ guideIds: [106], participants: 600, firstNumber: 1001 });
  winlas.generate({ persons: 600, firstNumber: 1001 });
  const longLink = link([106], [AID]);
  const longId = competenceLinkWorkflowId(longLink);
  const aid = () => [...winlas.state.registrations.values()].filter((r) => r.competenceId === AID).length;
  const before = aid();
  // Each WinLas answer takes 40 ms, so the backfill is still running when the unlink comes.
  winlas.faults({ latencyMs: 40 });
  try {
    await linkCompetences(env.client, longLink, { taskQueue });
    const deadline = Date.now() + 30_000;
    while (aid() < before + 20) {
      if (Date.now() > deadline) throw new Error('the backfill made no registrations');
      await new Promise((r) => setTimeout(r, 20));
    }
    await unlinkCompetences(env.client, longId, 'ops@school.test');
    const result = await env.client.workflow.getHandle(longId).result();
    expect(result.phase).toBe('unlinked');
    const atUnlink = aid();
    await new Promise((r) => setTimeout(r, 1000));
    expect(aid()).toBe(atUnlink);
    expect(atUnlink - before).toBeLessThan(600);
  } finally {
    winlas.faults({ latencyMs: 0 });
  }
});

it('[CW-9] the backfill stays inside both systems’ rate limits', async () => {
  seedBoth();
  infocaption.setRateLimit(10);
  winlas.setRateLimit(20);
  infocaption.resetUsage();
  winlas.resetUsage();
  const limitedQueue = uniqueTaskQueue('competences-limited');
  const limited = await competenceWorker({
    connection: env.nativeConnection,
    taskQueue: limitedQueue,
    infocaption,
    winlas,
    smtp,
    storeDir,
    budgets: await testBudgets({
      'infocaption-api': { kind: 'token-bucket', limit: 9, per: '1s', burst: 1 },
      'winlas-api': { kind: 'token-bucket', limit: 18, per: '1s', burst: 2 },
    }),
  });
  const limitedLink = link([101], [AID]);
  try {
    await limited.runUntil(async () => {
      await linkCompetences(env.client, limitedLink, { taskQueue: limitedQueue });
      const done = await waitForLink(
        env.client,
        competenceLinkWorkflowId(limitedLink),
        (s) => s.phase === 'active',
      );
      expect(done.backfill.registered).toBe(39);
      await unlinkCompetences(env.client, competenceLinkWorkflowId(limitedLink));
    });
  } finally {
    infocaption.setRateLimit(null);
    winlas.setRateLimit(null);
  }
  expect(infocaption.usage().rateLimit).toMatchObject({ refused: 0 });
  expect(winlas.usage().rateLimit).toMatchObject({ refused: 0 });
  expect(winlas.usage().rateLimit.peakPerSecond).toBeLessThanOrEqual(20);
});

async function waitForMail(match: (m: { subject: string; text: string; to: string[] }) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = smtp.messages().find((m) => match(m as never));
    if (found) return found as unknown as { subject: string; text: string; to: string[] };
    if (Date.now() > deadline) throw new Error('no such e-mail arrived');
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The workflow function is imported so the type-checker holds the test to its signature.
void competenceLinkWorkflow;
