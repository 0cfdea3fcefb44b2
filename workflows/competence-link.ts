/**
 * A link from InfoCaption courses to WinLas competences (CW-1..CW-9), one workflow per link: check
 * the link and refuse it with the reasons (CW-1, CW-6); backfill every historical participant page
 * by page (CW-4, CW-9); then, on every `sync` signal from the competence-sync schedule, register what
 * passed since the cursor and retry the unmatched (CW-2, CW-3); e-mail the unmatched once a day; stop
 * at `unlink` (CW-7), keeping what was registered. A course deleted in InfoCaption marks the link
 * stale and updates nothing more (CW-8). The workflow continues as new before its history grows
 * large, carrying counts, cursors and store keys only: the unmatched participants' sample (e-mails and
 * names) stays in the store and the new run reads it back for its status query.
 */
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompetenceActivities } from '../activities/competences';
import {
  addBackfillCounts,
  addSyncCounts,
  checkLinkInput,
  competenceKeys,
  competenceLinkCurrentDetails,
  competenceLinkId,
  liveCourses,
  markCourseStale,
  newLinkStatus,
  LINK_HISTORY_EVENTS_DEFAULT,
  recountBackfillPages,
  refusalMessage,
  restingPhase,
  type CompetenceLinkInput,
  type LinkPhase,
  type LinkStatus,
} from '../domain/competences';
import { integrations, searchAttributes } from '../platform/names';
import { withRateBudget } from './support/rate-budget';

export interface CompetenceLinkWorkflowInput extends CompetenceLinkInput {
  /**
   * Set only by continue-as-new: the state the previous run ended with, its unmatched sample left
   * empty (runs before UNMATCHED_SAMPLE_FROM_STORE_PATCH carried it whole).
   */
  resume?: { status: LinkStatus; syncRequested: boolean; reportRequested: boolean };
}

/** A resumed run reads its unmatched sample back from the store; it no longer travels in its input. */
export const UNMATCHED_SAMPLE_FROM_STORE_PATCH = 'competence-link-unmatched-sample-from-store';

export const competenceLinkStatusQuery = defineQuery<LinkStatus>('status');
/** From the competence-sync schedule (CW-2): register what passed since the cursor. */
export const competenceSyncSignal = defineSignal('sync');
/** From the daily schedule (CW-3): e-mail the participants without a WinLas person. */
export const reportUnmatchedSignal = defineSignal('reportUnmatched');
/** Operator update (CW-7): stop registering; what was registered stays. */
export interface CompetenceUnlinkRequest {
  operator?: string;
}
export const competenceUnlinkUpdate = defineUpdate<LinkStatus, [CompetenceUnlinkRequest]>('unlink');

/** Pages one activity reads; each is marked done in the store, so a crash redoes at most one. */
export const COMPETENCE_PAGES_PER_ACTIVITY = 50;
/** Unmatched participants looked up again per sync. */
const UNMATCHED_RETRY_LIMIT = 500;

const pages = proxyActivities<CompetenceActivities>({
  startToCloseTimeout: '30 minutes',
  // Pages heartbeat their progress: a lost worker is noticed within this, and the retry resumes.
  // Cancellation (an unlink) reaches the activity with a heartbeat's answer, sent at most every 80 % of this.
  heartbeatTimeout: '10 seconds',
  // An unlink waits until the running page stops, so nothing is registered after it (CW-7).
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 50,
  },
});

const quick = proxyActivities<CompetenceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
  },
});

export async function competenceLinkWorkflow(rawInput: CompetenceLinkWorkflowInput): Promise<LinkStatus> {
  const checked = checkLinkInput(rawInput);
  if (!checked.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `Invalid competence-link input: ${checked.problems.join('; ')}`,
    });
  }
  const input = checked.value;
  const linkId = competenceLinkId(input);
  const resume = rawInput.resume;
  const status: LinkStatus = resume
    ? { ...resume.status, runs: resume.status.runs + 1 }
    : newLinkStatus({
        linkId,
        backfillId: workflowInfo().runId,
        linkedAt: new Date().toISOString(),
        guideIds: input.guideIds,
        unmatchedKey: competenceKeys(linkId).unmatched,
      });
  let syncRequested = resume?.syncRequested ?? false;
  let reportRequested = resume?.reportRequested ?? false;
  let running: CancellationScope | undefined;

  setHandler(competenceLinkStatusQuery, () => status);
  setHandler(competenceSyncSignal, () => void (syncRequested = true));
  setHandler(reportUnmatchedSignal, () => void (reportRequested = true));
  setHandler(
    competenceUnlinkUpdate,
    (request: CompetenceUnlinkRequest) => {
      status.unlinked = { at: new Date().toISOString(), operator: request?.operator ?? null };
      running?.cancel();
      return status;
    },
    {
      validator: (request: CompetenceUnlinkRequest) => {
        if (status.unlinked) {
          throw ApplicationFailure.create({
            type: 'AlreadyUnlinked',
            nonRetryable: true,
            message: `Link ${linkId} is already unlinked (at ${status.unlinked.at})`,
          });
        }
        if (
          request !== undefined &&
          request !== null &&
          (typeof request !== 'object' ||
            (request.operator !== undefined && typeof request.operator !== 'string'))
        ) {
          throw ApplicationFailure.create({
            type: 'InvalidInput',
            nonRetryable: true,
            message: 'Invalid unlink: operator: expected string',
          });
        }
      },
    },
  );

  const show = (): void => setCurrentDetails(competenceLinkCurrentDetails(status));
  const setPhase = (phase: LinkPhase): void => {
    status.phase = phase;
    upsertSearchAttributes([{ key: searchAttributes.integrationStatus, value: phase }]);
    show();
  };
  upsertSearchAttributes([
    { key: searchAttributes.integration, value: integrations.competences },
    { key: searchAttributes.sourceId, value: `infocaption:${linkId}` },
    { key: searchAttributes.integrationStatus, value: status.phase },
  ]);
  show();

  /** Runs activity work that an unlink cancels; undefined when unlinked before or during it. */
  const unlessUnlinked = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    if (status.unlinked) return undefined;
    const scope = new CancellationScope({ cancellable: true });
    running = scope;
    try {
      return await scope.run(work);
    } catch (err) {
      if (status.unlinked && isCancellation(err)) return undefined;
      throw err;
    } finally {
      running = undefined;
    }
  };

  const continueIfLong = async (): Promise<void> => {
    const info = workflowInfo();
    const limit = input.continueAsNewAfterEvents ?? LINK_HISTORY_EVENTS_DEFAULT;
    if (!info.continueAsNewSuggested && info.historyLength < limit) return;
    await condition(() => true);
    await continueAsNew<typeof competenceLinkWorkflow>({
      guideIds: input.guideIds,
      competenceIds: input.competenceIds,
      ...(input.continueAsNewAfterEvents === undefined
        ? {}
        : { continueAsNewAfterEvents: input.continueAsNewAfterEvents }),
      // Personal data stays out of the input: the new run reads the sample back from the store.
      resume: {
        status: { ...status, unmatched: { ...status.unmatched, sample: [] } },
        syncRequested,
        reportRequested,
      },
    });
  };

  if (!resume) {
    const { verdict, courses } = await withRateBudget(() => quick.checkCompetenceLink(input));
    for (const c of courses) {
      const course = status.courses.find((x) => x.guideId === c.guideId);
      if (course) course.name = c.name;
    }
    if (!verdict.ok) {
      // Refused before anything is written (CW-1, CW-6): the message says why, in the Web UI and the CLI.
      throw ApplicationFailure.create({
        type: 'CompetenceLinkRefused',
        nonRetryable: true,
        message: refusalMessage(verdict.problems),
      });
    }
    status.competences = verdict.competences;
    setPhase('backfilling');
  }

  if (resume && status.unmatched.count > 0 && patched(UNMATCHED_SAMPLE_FROM_STORE_PATCH)) {
    const unmatched = await quick.readUnmatchedSummary({ linkId });
    status.unmatched = { ...unmatched, storeKey: status.unmatched.storeKey };
    show();
  }

  if (!status.backfill.done && !status.unlinked) {
    // Matching by a directory read once costs WinLas far fewer requests than one lookup each (CW-9).
    const directory = await unlessUnlinked(() =>
      withRateBudget(() => pages.loadPersonDirectory({ linkId, backfillId: status.backfillId })),
    );
    for (const course of status.courses) {
      while (directory && !course.backfill.done && !course.stale && !status.unlinked) {
        const done = await unlessUnlinked(() =>
          withRateBudget(() =>
            pages.processCoursePages({
              linkId,
              backfillId: status.backfillId,
              guideId: course.guideId,
              course: course.name,
              competences: status.competences,
              mode: 'backfill',
              fromPage: course.backfill.pagesDone + 1,
              maxPages: COMPETENCE_PAGES_PER_ACTIVITY,
              cursor: course.cursor,
              directoryKey: directory.key,
            }),
          ),
        );
        if (!done) break;
        course.backfill = { pagesDone: done.nextPage - 1, totalPages: done.totalPages, done: done.done };
        course.cursor = done.cursor;
        if (done.stale) markCourseStale(status, course.guideId, new Date().toISOString());
        addBackfillCounts(status, done.counts);
        status.unmatched = { ...done.unmatched, storeKey: status.unmatched.storeKey };
        recountBackfillPages(status);
        show();
        await continueIfLong();
      }
    }
    recountBackfillPages(status);
    if (!status.unlinked) setPhase(restingPhase(status));
  }

  const sync = async (): Promise<void> => {
    const counts: Array<Parameters<typeof addSyncCounts>[1]> = [];
    if (status.unmatched.count > 0) {
      const retried = await unlessUnlinked(() =>
        withRateBudget(() =>
          pages.retryUnmatched({
            linkId,
            competences: status.competences,
            liveGuideIds: liveCourses(status).map((c) => c.guideId),
            limit: UNMATCHED_RETRY_LIMIT,
          }),
        ),
      );
      if (retried) {
        counts.push(retried.counts);
        status.unmatched = { ...retried.unmatched, storeKey: status.unmatched.storeKey };
      }
    }
    for (const course of liveCourses(status)) {
      for (;;) {
        const read = await unlessUnlinked(() =>
          withRateBudget(() =>
            pages.processCoursePages({
              linkId,
              backfillId: status.backfillId,
              guideId: course.guideId,
              course: course.name,
              competences: status.competences,
              mode: 'sync',
              fromPage: 1,
              maxPages: COMPETENCE_PAGES_PER_ACTIVITY,
              cursor: course.cursor,
            }),
          ),
        );
        if (!read) return;
        course.cursor = read.cursor;
        counts.push(read.counts);
        status.unmatched = { ...read.unmatched, storeKey: status.unmatched.storeKey };
        if (read.stale) markCourseStale(status, course.guideId, new Date().toISOString());
        if (read.done || read.stale) break;
      }
    }
    for (const c of counts) addSyncCounts(status, c);
    status.sync.runs++;
    status.sync.lastAt = new Date().toISOString();
  };

  for (;;) {
    await condition(() => syncRequested || reportRequested || status.unlinked !== null);
    if (status.unlinked) break;
    if (syncRequested) {
      syncRequested = false;
      await sync();
      if (!status.unlinked) setPhase(restingPhase(status));
    }
    if (reportRequested) {
      reportRequested = false;
      if (status.unmatched.count > 0 && !status.unlinked) {
        await quick.sendUnmatchedReport({ linkId });
        status.lastUnmatchedReport = new Date().toISOString();
        show();
      }
    }
    await continueIfLong();
  }
  setPhase('unlinked');
  return status;
}
