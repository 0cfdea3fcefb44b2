import { Context } from '@temporalio/activity';

/**
 * Heartbeats every `everyMs` while `work` runs, with `details()` as the progress shown in the Web UI.
 * A nightly read can take minutes (a slow database, many pages of itslearning) without any single
 * call hanging: each call has its own timeout, so a timer is a fair sign that the worker is alive.
 */
export async function heartbeatWhile<T>(
  work: () => Promise<T>,
  details: () => unknown,
  everyMs = 10_000,
): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat(details());
  const timer = setInterval(() => ctx.heartbeat(details()), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
