/**
 * The competence link's continue-as-new path (CW-2, CW-3, CW-5, CW-9) on the Temporal CLI dev server
 * (on the time-skipping test server it failed about one run in two: a closed run's history without its
 * continued-as-new event, or a sync that never came; no timer matters here, syncs are signalled),
 * against the InfoCaption and WinLas simulators over HTTP: with the operator setting
 * `continueAsNewAfterEvents` at its smallest (50), a link continues as new in the middle of its
 * backfill and again between syncs, and every run goes on from the state the one before ended with.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { competenceLinkWorkflowId, type LinkStatus } from '../../../domain/competences';
import type { InfoCaptionSimulator } from '../../../simulators/infocaption';
import type { WinLasSimulator } from '../../../simulators/winlas';
import {
  competenceLinkStatusQuery,
  competenceLinkWorkflow,
  competenceSyncSignal,
  competenceUnlinkUpdate,
} from '../../../workflows/competence-link';
import { testCodec } from '../../support/codec';
import { waitForLink } from '../../support/competences-harness';
import { useCompetenceTestBed } from '../../support/competences-test-bed';
import { createDevServerEnv } from '../../support/temporal';

jest.setTimeout(90_000);

let client: Client;
let infocaption: InfoCaptionSimulator;
let winlas: WinLasSimulator;
let taskQueue: string;

// Two results a page: 350 pages, 7 page activities of 50, enough history to pass 50 events mid-backfill.
useCompetenceTestBed(createDevServerEnv, { name: 'competences-can', hitsPerPage: 2 }, (bed) => {
  ({ client, infocaption, winlas, taskQueue } = bed);
});

/** The run ids of a workflow from its first run to its latest, following each continued-as-new event. */
async function chainOfRuns(workflowId: string, firstRunId: string): Promise<string[]> {
  const runs = [firstRunId];
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runs.at(-1)).fetchHistory();
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return runs;
    runs.push(next);
  }
}

/** The status a run started from: the `resume` its continue-as-new input carried. */
async function carriedInto(workflowId: string, runId: string): Promise<LinkStatus> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  const [payload] = await testCodec().decode(payloads ?? []);
  return (defaultPayloadConverter.fromPayload(payload!) as { resume: { status: LinkStatus } }).resume.status;
}

/** Where each run is: the status the link's query answers, without the count of runs. */
const state = ({ runs: _runs, ...rest }: LinkStatus): Omit<LinkStatus, 'runs'> => rest;

it('[CW-9][CW-2][CW-3][CW-5][CW-7] a link continues as new mid-backfill and between syncs: each run carries cursors, counts and unmatched on, nothing is written to WinLas twice, the last run unlinks', async () => {
  winlas.seed({
    competences: [
      { id: 'FIRE', name: 'Fire safety', defaultValidityDays: 365 },
      { id: 'AID', name: 'First aid', defaultValidityDays: 730 },
    ],
  });
  // Every 25th participant has no WinLas person (unmatched, carried as a count and a sample).
  winlas.generate({ persons: 700, skipEvery: 25 });
  infocaption.seed({
    guides: [
      { id: 101, name: 'Fire safety online', type: 14 },
      { id: 102, name: 'Fire drill', type: 18 },
    ],
  });
  infocaption.generate({ guideIds: [101], participants: 400, failEvery: 9 });
  infocaption.generate({ guideIds: [102], participants: 300, firstNumber: 401, failEvery: 9 });

  const input = { guideIds: [101, 102], competenceIds: ['AID', 'FIRE'] };
  const workflowId = competenceLinkWorkflowId(input);
  const started = await client.workflow.start(competenceLinkWorkflow, {
    taskQueue,
    workflowId,
    args: [{ ...input, continueAsNewAfterEvents: 50 }],
  });
  const firstRunId = started.firstExecutionRunId;
  const handle = client.workflow.getHandle(workflowId);

  const backfilled = await waitForLink(client, workflowId, (s) => s.phase === 'active', 60_000);
  expect(backfilled.runs).toBeGreaterThan(1);
  expect((await client.workflow.getHandle(workflowId, firstRunId).describe()).status.name).toBe(
    'CONTINUED_AS_NEW',
  );
  // Every page once: a run that lost the pages done would read them again and find its own registrations.
  expect(backfilled.backfill).toMatchObject({ pagesDone: 350, totalPages: 350, done: true, alreadyHeld: 0 });
  expect(backfilled.courses.map((c) => c.backfill)).toEqual([
    { pagesDone: 200, totalPages: 200, done: true },
    { pagesDone: 150, totalPages: 150, done: true },
  ]);
  expect(backfilled.unmatched.count).toBe(backfilled.backfill.unmatched);
  expect(backfilled.unmatched.count).toBeGreaterThan(0);

  // Syncs until the link continues as new again, each with one new pass after the cursor; before
  // the first sync the first unmatched participant gets a WinLas person and is registered by the retry.
  const late: string[] = [];
  let status = backfilled;
  const runsAfterBackfill = backfilled.runs;
  const missing = backfilled.unmatched.sample[0]!;
  for (let i = 1; status.runs === runsAfterBackfill; i++) {
    expect(i).toBeLessThanOrEqual(10);
    const email = `late-${i}@school.test`;
    const user = infocaption.state.addUser({ email, firstName: 'Late', lastName: `Pass ${i}` });
    winlas.seed({ persons: [{ id: `P-LATE-${i}`, email, firstName: 'Late', lastName: `Pass ${i}` }] });
    infocaption.state.addResult({
      guideId: i % 2 ? 101 : 102,
      userId: user.userId,
      completedAt: `2026-0${Math.min(i, 9)}-02T10:00:00Z`,
    });
    late.push(`P-LATE-${i}`);
    if (i === 1) {
      winlas.seed({
        persons: [
          { id: 'P-FOUND', email: missing.email, firstName: missing.firstName, lastName: missing.lastName },
        ],
      });
    }
    const before = status;
    await handle.signal(competenceSyncSignal);
    status = await waitForLink(client, workflowId, (s) => s.sync.runs > before.sync.runs);
  }
  expect(status.sync.runs).toBe(late.length);
  expect(status.sync.registered).toBe(2 * (late.length + 1));
  // Nothing before the carried cursors is read again: it would count as already held.
  expect(status.sync.alreadyHeld).toBe(0);
  expect(status.unmatched.count).toBe(backfilled.unmatched.count - 1);

  // The run that continued as new ended in the state the new run started from (its query replays the
  // closed run). The new run may already have synced once more: the continue-as-new comes in a task
  // after the sync's, and the next signal goes to the new run.
  const chain = await chainOfRuns(workflowId, firstRunId);
  expect(chain).toHaveLength(status.runs);
  const previous = await client.workflow.getHandle(workflowId, chain.at(-2)).query(competenceLinkStatusQuery);
  expect(previous.runs).toBe(status.runs - 1);
  const startedFrom = await carriedInto(workflowId, chain.at(-1)!);
  expect({ ...state(startedFrom), unmatched: null }).toEqual({ ...state(previous), unmatched: null });
  expect(startedFrom.unmatched).toEqual({ ...previous.unmatched, sample: [] });
  if (status.sync.runs === previous.sync.runs) expect(state(status)).toEqual(state(previous));
  expect(status.linkedAt).toBe(backfilled.linkedAt);
  expect(status.backfillId).toBe(firstRunId);
  expect(status.backfill).toEqual(backfilled.backfill);
  // The query shows the unmatched sample, read back from the store; what continue-as-new carried
  // (written into history) holds counts, cursors and store keys, no participant's e-mail or name.
  expect(status.unmatched.sample.length).toBe(Math.min(20, status.unmatched.count));
  for (const runId of chain.slice(0, -1)) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const payloads = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads;
    const [payload] = await testCodec().decode(payloads ?? []);
    const carried = defaultPayloadConverter.fromPayload(payload!);
    const resumed = (carried as { resume: { status: LinkStatus } }).resume.status;
    expect(resumed.unmatched).toEqual({
      count: expect.any(Number),
      sample: [],
      storeKey: status.unmatched.storeKey,
    });
    expect(JSON.stringify(carried)).not.toContain('@');
  }

  // No competence written twice: one registration per person and competence, every POST made one.
  const stats = winlas.state.registrationStats();
  expect(stats.duplicatePairs).toBe(0);
  expect(stats.total).toBe(status.backfill.registered + status.sync.registered);
  expect(winlas.usage().requests.byRoute['register']).toBe(stats.total);
  for (const personId of [...late, 'P-FOUND'])
    expect(
      winlas.state
        .registrationsOf(personId)
        .map((r) => r.competenceId)
        .sort(),
    ).toEqual(['AID', 'FIRE']);

  // The latest run still answers its update and query, and ends the chain.
  const unlinked = await handle.executeUpdate(competenceUnlinkUpdate, {
    args: [{ operator: 'ops@school.test' }],
  });
  expect(unlinked.unlinked?.operator).toBe('ops@school.test');
  const result = await handle.result();
  expect(result).toMatchObject({ phase: 'unlinked', runs: status.runs, sync: status.sync });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
});
