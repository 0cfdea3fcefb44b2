/**
 * Teardown steps run in reverse order of registration, each at most once, also when the run is
 * interrupted (SIGINT/SIGTERM), so no server or worker outlives the benchmark.
 */
export class Cleanups {
  #steps: Array<{ name: string; run: () => unknown }> = [];
  #running: Promise<void> | undefined;

  add(name: string, run: () => unknown): void {
    this.#steps.push({ name, run });
  }

  runAll(): Promise<void> {
    this.#running ??= (async () => {
      for (const step of this.#steps.reverse()) {
        try {
          await step.run();
        } catch (err) {
          console.error(`cleanup ${step.name} failed:`, err);
        }
      }
    })();
    return this.#running;
  }

  /** On SIGINT or SIGTERM: clean up, then exit with 128 + signal number. */
  onSignals(): void {
    const handler = (signal: NodeJS.Signals, code: number) => {
      console.error(`\n${signal}: cleaning up`);
      void this.runAll().finally(() => process.exit(128 + code));
    };
    process.once('SIGINT', (s) => handler(s, 2));
    process.once('SIGTERM', (s) => handler(s, 15));
  }
}
