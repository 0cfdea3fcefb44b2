/** Small helpers the benchmarks share: ports, bounded concurrency, polling, RSS sampling, teardown, output. */
export { Cleanups } from './cleanups';
export { freePort } from './free-port';
export { forEachLimited } from './limited';
export { pollUntil, throttle, type PollOptions } from './poll';
export { readRssKb, sampleRss, type RssSampler } from './rss-sampler';
export { megabytes, perSecond, printSummary, seconds } from './summary';
export { spawnWorkerProcess, type WorkerProcess } from './worker-process';
