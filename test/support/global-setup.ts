import startPrivatePostgres from './postgres-global-setup';

/**
 * jest globalSetup. The tests run in this process (--runInBand). While a test file runs, jest itself
 * handles an uncaught exception and fails the test. Between files nobody does: a timer a failed test
 * left behind (e.g. the client's retry of a call on a connection its teardown closed) would end the
 * whole run without a report. Such an error is printed instead, and the run goes on; the test that left
 * it has already failed.
 */
export default async function globalSetup(): Promise<void> {
  process.on('uncaughtException', (err) => {
    console.error(
      '\n[jest] an uncaught exception between test files, left behind by a test that ended:',
      err,
    );
  });
  await startPrivatePostgres();
}
