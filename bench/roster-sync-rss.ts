import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const SAMPLE_MS = 100;

/*
 * The sampler runs on its own thread: read and plan are synchronous and would starve a timer on the
 * main thread for seconds. RSS is the whole process's, whichever thread asks.
 */
const samplerSource = `
const { workerData } = require('node:worker_threads');
const peak = new Int32Array(workerData);
setInterval(() => {
  const kb = Math.round(process.memoryUsage().rss / 1024);
  if (kb > Atomics.load(peak, 0)) Atomics.store(peak, 0, kb);
}, ${SAMPLE_MS});
`;

/** Peak resident set size of this process, sampled every 100 ms; `reset` starts a new phase. */
export class RssSampler {
  private readonly peakKbCell = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(samplerSource, { eval: true, workerData: this.peakKbCell.buffer });
    this.worker.unref();
    this.reset();
  }

  reset(): void {
    Atomics.store(this.peakKbCell, 0, Math.round(process.memoryUsage().rss / 1024));
  }

  /** The peak since the last reset, including the current reading. */
  peakMb(): number {
    const now = Math.round(process.memoryUsage().rss / 1024);
    return Math.max(now, Atomics.load(this.peakKbCell, 0)) / 1024;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The kernel's own high-water mark (Linux `VmHWM`), a cross-check on the sampled peak; null elsewhere. */
export function kernelPeakRssMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
