import { readFileSync } from 'node:fs';

export interface RssSampler {
  /** Highest resident set size seen so far, in KiB. */
  peakKb(): number;
  /** The latest sample, in KiB (0 when the process is gone). */
  currentKb(): number;
  stop(): void;
}

/** Resident set size of a process from /proc (Linux), in KiB; 0 when it cannot be read. */
export function readRssKb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `intervalMs` and keeps the peak. */
export function sampleRss(pid: number, intervalMs = 200): RssSampler {
  let peak = 0;
  let current = 0;
  const sample = (): void => {
    current = readRssKb(pid);
    peak = Math.max(peak, current);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peakKb: () => peak,
    currentKb: () => current,
    stop: () => clearInterval(timer),
  };
}
