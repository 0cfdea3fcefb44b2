/**
 * The roster sync's activities as its workflows call them: the roster run, the year-end freeze and
 * the delay-delete window, one definition each. Committed histories (test/histories/roster-sync,
 * year-end) recorded these options; keep them as they are, and give a changed need a new proxy.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { RosterSyncActivities } from '../../activities/roster-sync';

const backoff = { initialInterval: '10 seconds', backoffCoefficient: 2 } satisfies ActivityOptions['retry'];

/** The roster run's reads, planning, checks and e-mails: reading a large roster heartbeats. */
export const rosterRunActivities = proxyActivities<RosterSyncActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { ...backoff, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** The roster run's apply. */
export const rosterApplyActivities = proxyActivities<RosterSyncActivities>({
  startToCloseTimeout: '2 hours',
  // Batches heartbeat their progress; a lost worker is noticed within this, and the retry resumes.
  heartbeatTimeout: '30 seconds',
  retry: { ...backoff, maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** The year-end workflows' short calls: e-mails, the schedule, the run lock's holder, summer data. */
export const yearEndActivities = proxyActivities<RosterSyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...backoff, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** The delay-delete window's preview of its closing run: a whole read and plan, heartbeating. */
export const closingPreviewActivities = proxyActivities<RosterSyncActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { ...backoff, maximumInterval: '1 minute', maximumAttempts: 3 },
});
