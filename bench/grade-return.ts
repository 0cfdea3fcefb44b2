/**
 * Benchmark: N grade returns waiting in their daily retry on a real Temporal dev server, then drained
 * once the learners become known in Coachview. Prints the start rate, the time until all wait, the
 * worker process's peak RSS and the drain time. Everything runs on loopback and is torn down at the end.
 *
 *   node dist/bench/grade-return.js [--count 10000] [--concurrency 100] [--timeout-minutes 30]
 */
import { benchLearners, drain, makeLearnersKnown, startAll, waitAllWaiting } from './grade-return-phases';
import { parseBenchOptions } from './grade-return-options';
import { startBenchStack } from './grade-return-stack';
import { Cleanups, megabytes, perSecond, printSummary, seconds } from './support';

const START_RATE_TARGET = 100;
const RSS_TARGET_MB = 400;

async function main(): Promise<void> {
  const opts = parseBenchOptions(process.argv.slice(2));
  const cleanups = new Cleanups();
  cleanups.onSignals();
  try {
    console.log(
      `grade-return benchmark: ${opts.count} grade returns, ${opts.concurrency} requests in flight`,
    );
    const stack = await startBenchStack(opts.count, cleanups);
    const { maxConcurrentActivities, maxCachedWorkflows, nodeOptions } = stack.workerTuning;
    const tuning =
      `max concurrent activities ${maxConcurrentActivities}, max cached workflows ${maxCachedWorkflows}` +
      (nodeOptions ? `, NODE_OPTIONS ${nodeOptions}` : '');
    console.log(`  .. stack up; worker pid ${stack.worker.pid} (${tuning})`);
    const learners = benchLearners(opts.count);

    const t0 = Date.now();
    const startMs = await startAll(stack, learners, opts);
    console.log(`  .. ${opts.count} started in ${seconds(startMs)} (${perSecond(opts.count, startMs)})`);
    const { maxWaitingForBudget } = await waitAllWaiting(stack, opts);
    const waitingMs = Date.now() - t0;
    const rssAtWaitingKb = stack.rss.currentKb();
    console.log(`  .. all ${opts.count} waiting for retry after ${seconds(waitingMs)}`);

    const seedStart = Date.now();
    makeLearnersKnown(stack.coachview, learners);
    const seedMs = Date.now() - seedStart;
    const drained = await drain(stack, learners, opts);
    const usage = stack.coachview.usage();
    const apiRequests = Object.values(usage.apiRequestsToday).reduce((a, b) => a + b, 0);

    const startRate = opts.count / (startMs / 1000);
    const peakMb = stack.rss.peakKb() / 1024;
    printSummary('grade-return benchmark summary', [
      ['grade returns', String(opts.count)],
      [
        'start rate',
        `${perSecond(opts.count, startMs)}  (${seconds(startMs)}; target >= ${START_RATE_TARGET} /s: ${startRate >= START_RATE_TARGET ? 'met' : 'MISSED'})`,
      ],
      ['time to all waiting', `${seconds(waitingMs)}  (from the first start)`],
      ['most runs seen waiting for the coachview-rest budget', String(maxWaitingForBudget)],
      ['worker RSS when all waiting', megabytes(rssAtWaitingKb)],
      [
        'worker peak RSS',
        `${megabytes(stack.rss.peakKb())}  (target <= ${RSS_TARGET_MB} MB: ${peakMb <= RSS_TARGET_MB ? 'met' : 'MISSED'})`,
      ],
      ['learners made known', `${seconds(seedMs)}  (Coachview simulator seeded in-process)`],
      ['retryNow signals sent', seconds(drained.signalsMs)],
      [
        'drain time',
        `${seconds(drained.drainMs)}  (first signal -> all completed, ${drained.processedPushes} registrations)`,
      ],
      ['drain rate', perSecond(opts.count, drained.drainMs)],
      ['worker tuning', tuning],
      [
        'coachview',
        `${usage.tokenRequests} token requests, ${apiRequests} REST requests, ${stack.coachview.pushLog().length} pushes; daily quota lifted from 5,000 to ${stack.dailyRequestLimit}`,
      ],
    ]);
    if (drained.processedPushes !== opts.count) {
      throw new Error(`expected ${opts.count} registrations in Coachview, saw ${drained.processedPushes}`);
    }
  } finally {
    await cleanups.runAll();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
