/**
 * Competence-link activities (CW-1..CW-9): check a link, load WinLas' person directory, turn pages of
 * InfoCaption course results into WinLas registrations, retry the unmatched, e-mail them, and let the
 * schedule signal every active link. Large data (the directory, page markers, the unmatched list)
 * stays in the snapshot store; the workflow gets counts and cursors.
 */
import { Context } from '@temporalio/activity';
import type { InfoCaptionClient, CourseResult } from '../../adapters/infocaption/types';
import type { Mailer } from '../../adapters/mail';
import type { WinLasClient } from '../../adapters/winlas/types';
import {
  addCounts,
  advanceCursor,
  competenceKeys,
  directoryByEmail,
  emailKey,
  emptyCursor,
  isNewToCursor,
  judgeLink,
  nextSyncPage,
  noCounts,
  syncStartPage,
  unmatchedEmail,
  type CompetenceCounts,
  type CompetenceLinkInput,
  type LinkVerdict,
  type LinkedCompetence,
  type SyncCursor,
  type UnmatchedParticipant,
} from '../../domain/competences';
import { RejectedError } from '../../platform/errors';
import { budgeted } from '../../platform/rate-budget';
import type { SnapshotStore } from '../../platform/store';
import { workflowTypes } from '../../platform/names';
import { heartbeatWhile } from '../roster-sync/heartbeat';
import { registerPage, type PersonLookup } from './pages';
import { readUnmatched, unmatchedSummary, updateUnmatched } from './unmatched-store';

export interface CompetenceDeps {
  infocaption: InfoCaptionClient;
  winlas: WinLasClient;
  store: SnapshotStore;
  mailer: Mailer;
  reportRecipients: string[];
  /** The pass date is the day of completion in this time zone (CW-6). */
  timeZone: string;
  /** Results asked for per InfoCaption page. */
  hitsPerPage: number;
  /** Participants handled at once within a page. */
  concurrency: number;
  /** Persons asked for per WinLas directory page. */
  directoryPageSize: number;
}

export interface PagesInput {
  linkId: string;
  backfillId: string;
  guideId: number;
  course: string;
  competences: LinkedCompetence[];
  /** Backfill: every page, each marked done in the store; sync: what completed since the cursor. */
  mode: 'backfill' | 'sync';
  fromPage: number;
  maxPages: number;
  cursor: SyncCursor;
  /** Backfill: the directory loaded by loadPersonDirectory (fewer WinLas requests than one lookup each). */
  directoryKey?: string;
}

export interface PagesResult {
  /** The next page to read; backfill only (a sync starts from its cursor). */
  nextPage: number;
  totalPages: number;
  /** Every page read (backfill) or nothing newer left (sync). */
  done: boolean;
  /** InfoCaption answered 404 for the course: it is deleted (CW-8). */
  stale: boolean;
  counts: CompetenceCounts;
  cursor: SyncCursor;
  unmatched: { count: number; sample: UnmatchedParticipant[] };
}

interface PageMarker {
  counts: CompetenceCounts;
  cursor: SyncCursor;
  totalPages: number;
}

interface PagesProgress {
  nextPage: number;
  counts: CompetenceCounts;
  cursor: SyncCursor;
  totalPages: number;
}

/** Person directories kept in memory, one per backfill running on this worker. */
const DIRECTORIES_KEPT = 4;

const isNotFound = (err: unknown): boolean =>
  err instanceof RejectedError && (err.reason === 'NotFound' || err.status === 404);

export function createCompetenceActivities(deps: CompetenceDeps) {
  // The directories read lately, by key: a backfill's page ranges use the same one, and a few
  // links may backfill at once.
  const directories = new Map<string, Map<string, string>>();
  const directoryLookup = async (key: string): Promise<PersonLookup> => {
    let byEmail = directories.get(key);
    if (!byEmail) {
      const persons = (await deps.store.getJson(key)) as Array<{ id: string; email: string }>;
      byEmail = directoryByEmail(persons);
      directories.set(key, byEmail);
      for (const old of directories.keys()) if (directories.size > DIRECTORIES_KEPT) directories.delete(old);
    }
    const found = byEmail;
    return async (email) => found.get(emailKey(email));
  };
  const oneByOne: PersonLookup = async (email) => (await deps.winlas.findPersonByEmail(email))?.id;

  const checkCancelled = () => {
    const signal = Context.current().cancellationSignal;
    if (signal.aborted) throw signal.reason;
  };

  /** Reads and registers pages of one course; resumes from its heartbeat and skips pages marked done. */
  async function processCoursePages(input: PagesInput): Promise<PagesResult> {
    const ctx = Context.current();
    const keys = competenceKeys(input.linkId, input.backfillId);
    const resumed = ctx.info.heartbeatDetails as PagesProgress | undefined;
    const progress: PagesProgress =
      resumed && typeof resumed.nextPage === 'number'
        ? resumed
        : { nextPage: input.fromPage, counts: noCounts(), cursor: input.cursor, totalPages: 0 };
    const lookup =
      input.mode === 'backfill' && input.directoryKey ? await directoryLookup(input.directoryKey) : oneByOne;
    // Read once a call: most pages match everyone, and then the list need not be read again.
    let unmatchedNow = await readUnmatched(deps.store, keys.unmatched);
    const lastPage = input.fromPage + input.maxPages - 1;
    let stale = false;
    let done = false;
    ctx.heartbeat(progress);
    // A sync lists from its cursor's instant (inclusive), starting at about the first result not yet
    // seen at that instant, and reads on while a whole page stays at that instant (CW-2).
    let syncPage = syncStartPage(progress.cursor, deps.hitsPerPage);
    while (progress.nextPage <= lastPage) {
      checkCancelled();
      const page = input.mode === 'backfill' ? progress.nextPage : syncPage;
      if (input.mode === 'backfill' && (await deps.store.exists(keys.page(input.guideId, page)))) {
        // Finished before a crash or a budget wait: counted from its marker, not read again (CW-9).
        const marker = (await deps.store.getJson(keys.page(input.guideId, page))) as PageMarker;
        progress.counts = addCounts(progress.counts, marker.counts);
        progress.cursor = advanceCursorTo(progress.cursor, marker.cursor);
        progress.totalPages = Math.max(progress.totalPages, marker.totalPages);
        progress.nextPage = page + 1;
        ctx.heartbeat(progress);
        continue;
      }
      let results: CourseResult[];
      let totalPages: number;
      try {
        const answer = await deps.infocaption.listCourseResults({
          guideId: input.guideId,
          page,
          hitsPerPage: deps.hitsPerPage,
          ...(input.mode === 'sync' && progress.cursor.completedSince
            ? { completedSince: progress.cursor.completedSince }
            : {}),
        });
        results = answer.results;
        totalPages = answer.totalPages;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        stale = true;
        break;
      }
      const fresh =
        input.mode === 'sync' ? results.filter((r) => isNewToCursor(progress.cursor, r)) : results;
      const outcome = await heartbeatWhile(
        () =>
          registerPage({
            results: fresh,
            guideId: input.guideId,
            course: input.course,
            competences: input.competences,
            winlas: deps.winlas,
            lookup,
            timeZone: deps.timeZone,
            concurrency: deps.concurrency,
            checkCancelled,
          }),
        () => progress,
        2_000,
      );
      const listed = new Set(unmatchedNow.map((u) => u.resultId));
      if (outcome.unmatched.length > 0 || outcome.matchedResultIds.some((id) => listed.has(id))) {
        unmatchedNow = await updateUnmatched(deps.store, keys.unmatched, {
          add: outcome.unmatched,
          remove: outcome.matchedResultIds,
        });
      }
      const cursor = advanceCursor(progress.cursor, fresh);
      const following = nextSyncPage(progress.cursor, cursor, page, deps.hitsPerPage);
      if (input.mode === 'backfill') {
        const marker: PageMarker = {
          counts: outcome.counts,
          cursor: advanceCursor(emptyCursor(), results),
          totalPages,
        };
        await deps.store.putJson(keys.page(input.guideId, page), marker);
      }
      progress.counts = addCounts(progress.counts, outcome.counts);
      progress.cursor = cursor;
      progress.totalPages = totalPages;
      progress.nextPage = input.mode === 'backfill' ? page + 1 : progress.nextPage + 1;
      ctx.heartbeat(progress);
      if (input.mode === 'sync') {
        // Every page of the listing from the cursor's instant read: nothing newer is left.
        if (results.length === 0 || page >= totalPages) {
          done = true;
          break;
        }
        syncPage = following;
      }
      if (input.mode === 'backfill' && page >= totalPages) {
        done = true;
        break;
      }
    }
    // A sync call that moved nothing would be asked again from the same cursor: it is done.
    if (input.mode === 'sync' && !stale && sameCursor(progress.cursor, input.cursor)) done = true;
    const all = unmatchedNow;
    return {
      nextPage: progress.nextPage,
      totalPages: progress.totalPages,
      done,
      stale,
      counts: progress.counts,
      cursor: progress.cursor,
      unmatched: unmatchedSummary(all),
    };
  }

  return {
    /** The facts a link is judged on (CW-1, CW-6); the workflow refuses it when the verdict says so. */
    checkCompetenceLink: budgeted(
      async (
        input: CompetenceLinkInput,
      ): Promise<{ verdict: LinkVerdict; courses: Array<{ guideId: number; name: string }> }> => {
        const guides = [];
        for (const guideId of input.guideIds)
          guides.push({ guideId, guide: await deps.infocaption.getGuide(guideId) });
        const competences = [];
        for (const competenceId of input.competenceIds)
          competences.push({ competenceId, competence: await deps.winlas.getCompetence(competenceId) });
        return {
          verdict: judgeLink(guides, competences),
          courses: guides.map((g) => ({ guideId: g.guideId, name: g.guide?.name ?? `guide ${g.guideId}` })),
        };
      },
    ),

    /**
     * WinLas' person directory, page by page, into the store once per backfill: matching 100,000
     * participants by e-mail then costs a few hundred requests instead of one each (CW-9).
     */
    loadPersonDirectory: budgeted(async (input: { linkId: string; backfillId: string }) => {
      const key = competenceKeys(input.linkId, input.backfillId).directory;
      if (await deps.store.exists(key)) return { key };
      const persons: Array<{ id: string; email: string }> = [];
      let page = 1;
      await heartbeatWhile(
        async () => {
          for (let totalPages = 1; page <= totalPages; page++) {
            checkCancelled();
            const answer = await deps.winlas.listPersons({ page, pageSize: deps.directoryPageSize });
            for (const p of answer.results) persons.push({ id: p.id, email: p.email });
            totalPages = answer.totalPages;
          }
        },
        () => ({ phase: 'loading-person-directory', page }),
      );
      await deps.store.putJson(key, persons);
      return { key };
    }),

    processCoursePages: budgeted(processCoursePages),

    /**
     * Participants left unmatched are looked up again (CW-3): the person may exist now, or the e-mail
     * be fixed in WinLas or in InfoCaption (then the result is read again from its course).
     */
    retryUnmatched: budgeted(
      async (input: {
        linkId: string;
        competences: LinkedCompetence[];
        /** Courses that still update (CW-8): the unmatched of a stale course wait no more. */
        liveGuideIds: number[];
        limit: number;
      }): Promise<{
        counts: CompetenceCounts;
        unmatched: { count: number; sample: UnmatchedParticipant[] };
      }> => {
        const key = competenceKeys(input.linkId).unmatched;
        const all = await readUnmatched(deps.store, key);
        const live = all.filter((u) => input.liveGuideIds.includes(u.guideId)).slice(0, input.limit);
        let counts = noCounts();
        const matched: string[] = [];
        for (const u of live) {
          checkCancelled();
          const current = await currentResult(u);
          if (!current) continue;
          const outcome = await registerPage({
            results: [current],
            guideId: u.guideId,
            course: u.course,
            competences: input.competences,
            winlas: deps.winlas,
            lookup: oneByOne,
            timeZone: deps.timeZone,
            concurrency: 1,
            checkCancelled,
          });
          if (outcome.matchedResultIds.length > 0) {
            matched.push(u.resultId);
            counts = addCounts(counts, { ...outcome.counts, passed: 0, unmatched: 0 });
          }
          Context.current().heartbeat({ retried: live.indexOf(u) + 1, of: live.length });
        }
        const after = await updateUnmatched(deps.store, key, { remove: matched, keep: true });
        return { counts, unmatched: unmatchedSummary(after) };
      },
    ),

    /** The unmatched count and sample for the status query of a run that continued as new (CW-3). */
    readUnmatchedSummary: async (input: {
      linkId: string;
    }): Promise<{ count: number; sample: UnmatchedParticipant[] }> =>
      unmatchedSummary(await readUnmatched(deps.store, competenceKeys(input.linkId).unmatched)),

    /** The daily e-mail of the link's participants without a WinLas person (CW-3). */
    sendUnmatchedReport: async (input: { linkId: string }): Promise<{ sent: number }> => {
      const unmatched = await readUnmatched(deps.store, competenceKeys(input.linkId).unmatched);
      if (unmatched.length === 0) return { sent: 0 };
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const mail = unmatchedEmail({ linkId: input.linkId, workflowId, unmatched });
      await deps.mailer.send({ to: deps.reportRecipients, subject: mail.subject, text: mail.text });
      return { sent: unmatched.length };
    },

    /** Signals every running link (the schedule's sync and daily report, CW-2, CW-3). */
    signalActiveCompetenceLinks: async (input: { signal: 'sync' | 'reportUnmatched' }) => {
      const client = Context.current().client;
      const query = `WorkflowType = '${workflowTypes.competenceLink}' AND ExecutionStatus = 'Running'`;
      const signalled: string[] = [];
      for await (const wf of client.workflow.list({ query })) {
        try {
          await client.workflow.getHandle(wf.workflowId).signal(input.signal);
          signalled.push(wf.workflowId);
        } catch (err) {
          // Closed between the listing and the signal: nothing to do for it.
          if ((err as { name?: string }).name !== 'WorkflowNotFoundError') throw err;
        }
      }
      return { signalled: signalled.length };
    },
  };

  /**
   * The unmatched participant's result as InfoCaption has it now (its e-mail may be fixed): listed from
   * its instant, on past the pages of other results at that instant, up to the first page beyond it.
   */
  async function currentResult(u: UnmatchedParticipant): Promise<CourseResult | undefined> {
    try {
      let found: CourseResult | undefined;
      for (let page = 1; !found; page++) {
        checkCancelled();
        const answer = await deps.infocaption.listCourseResults({
          guideId: u.guideId,
          page,
          hitsPerPage: deps.hitsPerPage,
          completedSince: u.completedAt,
        });
        found = answer.results.find((r) => r.resultId === u.resultId);
        const last = answer.results.at(-1);
        if (!last || page >= answer.totalPages || Date.parse(last.completedAt) > Date.parse(u.completedAt))
          break;
      }
      return (
        found ?? {
          resultId: u.resultId,
          userId: 0,
          userName: '',
          email: u.email,
          firstName: u.firstName,
          lastName: u.lastName,
          passed: true,
          completedAt: u.completedAt,
        }
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

const sameCursor = (a: SyncCursor, b: SyncCursor): boolean =>
  a.completedSince === b.completedSince && a.seenAtCursor.length === b.seenAtCursor.length;

/** The later of two cursors. */
function advanceCursorTo(cursor: SyncCursor, other: SyncCursor): SyncCursor {
  if (other.completedSince === null) return cursor;
  if (cursor.completedSince === null) return other;
  const a = Date.parse(cursor.completedSince);
  const b = Date.parse(other.completedSince);
  if (b > a) return other;
  if (b < a) return cursor;
  return {
    completedSince: cursor.completedSince,
    seenAtCursor: [...new Set([...cursor.seenAtCursor, ...other.seenAtCursor])],
  };
}

export type CompetenceActivities = ReturnType<typeof createCompetenceActivities>;
