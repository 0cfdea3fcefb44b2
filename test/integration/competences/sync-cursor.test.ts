/**
 * The continuous sync's cursor (CW-2) with the smallest page the configuration allows
 * (`COMPETENCES_HITS_PER_PAGE=1`), on the time-skipping test server against both simulators over HTTP:
 * results at the cursor's own instant fill whole pages, and the sync reads on past them to what is new.
 */
import type { Client } from '@temporalio/client';
import { competenceLinkWorkflowId, type LinkStatus } from '../../../domain/competences';
import type { InfoCaptionSimulator } from '../../../simulators/infocaption';
import type { WinLasSimulator } from '../../../simulators/winlas';
import {
  competenceLinkWorkflow,
  competenceSyncSignal,
  competenceUnlinkUpdate,
} from '../../../workflows/competence-link';
import { waitForLink } from '../../support/competences-harness';
import { useCompetenceTestBed } from '../../support/competences-test-bed';
import { createTimeSkippingEnv } from '../../support/temporal';

jest.setTimeout(60_000);

let client: Client;
let infocaption: InfoCaptionSimulator;
let winlas: WinLasSimulator;
let taskQueue: string;

useCompetenceTestBed(createTimeSkippingEnv, { name: 'competences-cursor', hitsPerPage: 1 }, (bed) => {
  ({ client, infocaption, winlas, taskQueue } = bed);
});

let people = 0;
/** A participant known to both systems who passed guide 201 at `completedAt`. */
function pass(completedAt: string): string {
  const n = ++people;
  const email = `cursor-${n}@school.test`;
  const user = infocaption.state.addUser({ email, firstName: 'Cursor', lastName: `Pass ${n}` });
  winlas.seed({ persons: [{ id: `P-CURSOR-${n}`, email, firstName: 'Cursor', lastName: `Pass ${n}` }] });
  infocaption.state.addResult({ guideId: 201, userId: user.userId, completedAt });
  return `P-CURSOR-${n}`;
}

it('[CW-2] with one result a page, a sync reads past the pages of results at its cursor instant: new passes after the backfill and several passes at one new instant are registered, none twice', async () => {
  winlas.seed({ competences: [{ id: 'FIRE', name: 'Fire safety', defaultValidityDays: 365 }] });
  infocaption.seed({ guides: [{ id: 201, name: 'Fire safety online', type: 14 }] });
  const backfilled = [pass('2025-12-30T10:00:00Z')];
  // Three results at the instant the backfill's cursor ends on: three whole pages already seen.
  for (let i = 0; i < 3; i++) backfilled.push(pass('2025-12-31T10:00:00Z'));

  const input = { guideIds: [201], competenceIds: ['FIRE'] };
  const workflowId = competenceLinkWorkflowId(input);
  await client.workflow.start(competenceLinkWorkflow, { taskQueue, workflowId, args: [input] });
  let status = await waitForLink(client, workflowId, (s) => s.phase === 'active');
  expect(status.backfill).toMatchObject({ pagesDone: 4, totalPages: 4, passed: 4, registered: 4 });
  for (const personId of backfilled)
    expect(winlas.state.registrationsOf(personId).map((r) => r.competenceId)).toEqual(['FIRE']);
  expect(status.courses[0]?.cursor).toEqual({
    completedSince: '2025-12-31T10:00:00.000Z',
    seenAtCursor: [expect.any(String), expect.any(String), expect.any(String)],
  });

  const sync = async (): Promise<LinkStatus> => {
    const before = status;
    await client.workflow.getHandle(workflowId).signal(competenceSyncSignal);
    return waitForLink(client, workflowId, (s) => s.sync.runs > before.sync.runs);
  };

  // One new pass two days after the cursor.
  const first = pass('2026-01-02T10:00:00Z');
  status = await sync();
  expect(status.sync).toMatchObject({ passed: 1, registered: 1, alreadyHeld: 0 });
  expect(winlas.state.registrationsOf(first).map((r) => r.competenceId)).toEqual(['FIRE']);

  // Three passes at one new instant: more than a page at that instant.
  const together = [0, 1, 2].map(() => pass('2026-01-03T10:00:00Z'));
  status = await sync();
  expect(status.sync).toMatchObject({ passed: 4, registered: 4, alreadyHeld: 0 });
  for (const personId of together)
    expect(winlas.state.registrationsOf(personId).map((r) => r.competenceId)).toEqual(['FIRE']);

  // Nothing new: nothing read as new again.
  status = await sync();
  expect(status.sync).toMatchObject({ runs: 3, passed: 4, registered: 4, alreadyHeld: 0 });
  expect(winlas.state.registrationStats()).toMatchObject({ total: 8, duplicatePairs: 0 });

  await client.workflow
    .getHandle(workflowId)
    .executeUpdate(competenceUnlinkUpdate, { args: [{ operator: 'ops@school.test' }] });
});

it('[CW-3] with one result a page, an unmatched participant whose result shares its instant with others is read again past their pages: the e-mail fixed in InfoCaption matches', async () => {
  winlas.seed({ competences: [{ id: 'AID', name: 'First aid', defaultValidityDays: 730 }] });
  infocaption.seed({ guides: [{ id: 202, name: 'First aid online', type: 14 }] });
  const at = '2025-11-30T10:00:00Z';
  for (let i = 1; i <= 2; i++) {
    const email = `aid-${i}@school.test`;
    const user = infocaption.state.addUser({ email, firstName: 'Aid', lastName: `Pass ${i}` });
    winlas.seed({ persons: [{ id: `P-AID-${i}`, email, firstName: 'Aid', lastName: `Pass ${i}` }] });
    infocaption.state.addResult({ guideId: 202, userId: user.userId, completedAt: at });
  }
  // Listed after the two at the same instant: page 3 of the results since that instant.
  const typo = infocaption.state.addUser({
    email: 'aid-tpyo@school.test',
    firstName: 'Aid',
    lastName: 'Typo',
  });
  infocaption.state.addResult({ guideId: 202, userId: typo.userId, completedAt: at });

  const input = { guideIds: [202], competenceIds: ['AID'] };
  const workflowId = competenceLinkWorkflowId(input);
  await client.workflow.start(competenceLinkWorkflow, { taskQueue, workflowId, args: [input] });
  const backfilled = await waitForLink(client, workflowId, (s) => s.phase === 'active');
  expect(backfilled.backfill).toMatchObject({ passed: 3, registered: 2, unmatched: 1 });
  expect(backfilled.unmatched.count).toBe(1);

  infocaption.state.updateUser(typo.userId, { email: 'aid-typo@school.test' });
  winlas.seed({
    persons: [{ id: 'P-AID-TYPO', email: 'aid-typo@school.test', firstName: 'Aid', lastName: 'Typo' }],
  });
  await client.workflow.getHandle(workflowId).signal(competenceSyncSignal);
  const synced = await waitForLink(client, workflowId, (s) => s.sync.runs > 0);
  expect(synced.unmatched).toMatchObject({ count: 0, sample: [] });
  expect(synced.sync).toMatchObject({ registered: 1, alreadyHeld: 0 });
  expect(winlas.state.registrationsOf('P-AID-TYPO').map((r) => r.competenceId)).toEqual(['AID']);

  await client.workflow
    .getHandle(workflowId)
    .executeUpdate(competenceUnlinkUpdate, { args: [{ operator: 'ops@school.test' }] });
});
