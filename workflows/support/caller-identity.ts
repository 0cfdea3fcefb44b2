/**
 * The workflow side of "who asked" (PLAT-15), the same for every lifecycle: the identity Temporal
 * recorded for the caller of the update being handled, or of the run's start, read by the
 * `callerIdentity` activity (activities/caller-identity). Call it inside a `patched()` branch when
 * the workflow already has histories without it.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  currentUpdateInfo,
  proxyActivities,
} from '@temporalio/workflow';
import type { CallerIdentityActivities } from '../../activities/caller-identity';

const history = proxyActivities<CallerIdentityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 6,
  },
});

/** What a decision records about who made it. */
export interface DecidedBy {
  /** The identity Temporal attached to the request: the Web UI's signed-in user, the CLI's user@host. */
  identity: string | null;
}

async function read(updateId: string | undefined, what: string): Promise<string | null> {
  try {
    return await history.callerIdentity(updateId ? { updateId } : {});
  } catch (err) {
    // The decision must not be recorded without who made it; the caller sends it again.
    throw ApplicationFailure.create({
      type: 'CallerIdentityUnknown',
      nonRetryable: true,
      message: `Could not read who sent ${what} from the workflow's history; send it again`,
      cause: err instanceof ActivityFailure ? err : undefined,
    });
  }
}

/** The identity of the caller of the update this handler runs for. */
export function callerOfCurrentUpdate(): Promise<string | null> {
  const update = currentUpdateInfo();
  if (!update) throw new TypeError('callerOfCurrentUpdate() is for update handlers');
  return read(update.id, `the update ${update.name}`);
}

/** The identity of whoever started this run (for choices made in the start's input). */
export function callerOfStart(): Promise<string | null> {
  return read(undefined, 'the start');
}
