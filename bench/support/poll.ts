export interface PollOptions {
  what: string;
  timeoutMs: number;
  intervalMs: number;
  /** Called after each unsuccessful check, e.g. to print progress or to throw when a process died. */
  onPending?: () => void;
}

/** Calls `check` until it answers true; throws once `timeoutMs` has passed. */
export async function pollUntil(check: () => Promise<boolean>, opts: PollOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await check())) {
    opts.onPending?.();
    if (Date.now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs / 1000} s waiting for ${opts.what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
  }
}

/** A function that returns true at most once per `everyMs`, for progress lines in long loops. */
export function throttle(everyMs: number): () => boolean {
  let last = Date.now();
  return () => {
    if (Date.now() - last < everyMs) return false;
    last = Date.now();
    return true;
  };
}
