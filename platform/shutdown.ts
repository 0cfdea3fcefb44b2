import type { AppLogger } from './logging';

/**
 * For a service entry point: on SIGINT or SIGTERM, close what it opened, in order, and exit 0
 * (1 when something did not close cleanly), so compose and the tests see a clean stop.
 */
export function closeOnSignals(
  logger: AppLogger,
  service: string,
  closers: ReadonlyArray<() => Promise<unknown>>,
): void {
  const stop = (signal: string): void => {
    logger.info({ signal }, `${service} stopping`);
    closers
      .reduce<Promise<unknown>>((done, close) => done.then(close), Promise.resolve())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, `${service} did not close cleanly`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
