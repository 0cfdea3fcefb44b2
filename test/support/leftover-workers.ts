/**
 * A test that fails or times out can leave its worker running after the file's Temporal server has
 * stopped. That worker then polls a dead address for ever: its retry errors bury the test report and
 * its open handles keep jest from ending. Every worker a test file creates is noted here (installed
 * by jest's setupFilesAfterEnv), and any still running when a test server stops is shut down first.
 * A file that stops its workers itself, as every file should, is not affected.
 */
import { Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';

const created = new Set<Worker>();
const SHUTDOWN_WAIT_MS = 30_000;
const ended = (w: Worker): boolean => ['INITIALIZED', 'STOPPED', 'FAILED'].includes(w.getState());

/** Called before a test's Temporal server stops (TestWorkflowEnvironment.teardown, the dev-server helper). */
export async function shutDownLeftoverWorkers(): Promise<void> {
  const running = [...created].filter((w) => !ended(w));
  if (running.length === 0) return;
  console.warn(`${running.length} worker(s) still running when the test server stops: shutting them down`);
  for (const worker of running) if (worker.getState() === 'RUNNING') worker.shutdown();
  const deadline = Date.now() + SHUTDOWN_WAIT_MS;
  while (running.some((w) => !ended(w)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function noteEveryWorker(): void {
  const create = Worker.create.bind(Worker);
  Worker.create = async (options) => {
    // TEST_REPLAY_EVERY_TASK=1: no workflow cache, so every workflow task replays the whole history
    // (a strong determinism check of every workflow the tests run).
    const worker = await create(
      process.env.TEST_REPLAY_EVERY_TASK === '1' ? { ...options, maxCachedWorkflows: 0 } : options,
    );
    created.add(worker);
    return worker;
  };
  const teardown = TestWorkflowEnvironment.prototype.teardown;
  TestWorkflowEnvironment.prototype.teardown = async function (this: TestWorkflowEnvironment) {
    await shutDownLeftoverWorkers();
    return teardown.call(this);
  };
}
