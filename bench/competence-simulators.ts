/**
 * The InfoCaption and WinLas simulators in their own process for `bench:competence-backfill`, so the
 * worker's RSS and CPU are its own. Started with `fork`; answers `{ infocaptionUrl, winlasUrl }` once
 * listening and closes on SIGTERM or when the parent goes away. The helpers below seed the benchmark's
 * data through the admin generators and read the counters the report needs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { GenerateSpec as InfoCaptionGenerateSpec, InfoCaptionUsage } from '../simulators/infocaption';
import { startInfoCaptionSimulator } from '../simulators/infocaption';
import type { GenerateSpec as WinLasGenerateSpec, WinLasUsage } from '../simulators/winlas';
import { startWinLasSimulator } from '../simulators/winlas';

export interface CompetenceSimulatorsOptions {
  /** Requests a second each API answers before 429 (null: no limit). */
  infocaptionPerSecond: number | null;
  winlasPerSecond: number | null;
  clientId?: string;
  clientSecret?: string;
  apiKey?: string;
}

export interface CompetenceSimulators {
  infocaptionUrl: string;
  winlasUrl: string;
  /** Seeds through `/__admin/generate` on both (no per-participant JSON over HTTP). */
  generate(spec: { infocaption: InfoCaptionGenerateSpec; winlas: WinLasGenerateSpec }): Promise<{
    infocaption: { guideIds: number[]; participants: number };
    winlas: { persons: number; skipped: number };
  }>;
  /** Adds a WinLas competence (e.g. `{ id: 'C-1', name: 'Brandskydd', defaultValidityDays: 365 }`). */
  addCompetence(competence: { id: string; name: string; defaultValidityDays: number | null }): Promise<void>;
  usage(): Promise<{ infocaption: InfoCaptionUsage; winlas: WinLasUsage }>;
  resetUsage(): Promise<void>;
  /** Registrations WinLas holds. */
  registrationCount(): Promise<number>;
  /** Registrations by source and competence, and person-and-competence pairs registered twice by one source. */
  registrationStats(): Promise<{
    total: number;
    bySource: Record<string, number>;
    byCompetence: Record<string, number>;
    duplicatePairs: number;
  }>;
  setRateLimits(limits: {
    infocaptionPerSecond?: number | null;
    winlasPerSecond?: number | null;
  }): Promise<void>;
  close(): Promise<void>;
}

export async function startCompetenceSimulators(
  opts: CompetenceSimulatorsOptions,
): Promise<CompetenceSimulators> {
  const child: ChildProcess = fork(__filename, [JSON.stringify(opts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const urls = await new Promise<{ infocaptionUrl: string; winlasUrl: string }>((resolve, reject) => {
    child.once('message', (m: { infocaptionUrl?: string; winlasUrl?: string }) =>
      m.infocaptionUrl && m.winlasUrl
        ? resolve({ infocaptionUrl: m.infocaptionUrl, winlasUrl: m.winlasUrl })
        : reject(new Error('simulators sent no urls')),
    );
    child.once('exit', (code) => reject(new Error(`simulators exited with ${code}`)));
  });
  const admin = async <T>(base: string, path: string, method = 'GET', body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/__admin${path}`, {
      method,
      ...(body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  const { infocaptionUrl, winlasUrl } = urls;
  return {
    infocaptionUrl,
    winlasUrl,
    async generate(spec) {
      const [infocaption, winlas] = await Promise.all([
        admin<{ guideIds: number[]; participants: number }>(
          infocaptionUrl,
          '/generate',
          'POST',
          spec.infocaption,
        ),
        admin<{ persons: number; skipped: number }>(winlasUrl, '/generate', 'POST', spec.winlas),
      ]);
      return { infocaption, winlas };
    },
    async addCompetence(competence) {
      await admin(winlasUrl, '/competences', 'POST', competence);
    },
    async usage() {
      const [infocaption, winlas] = await Promise.all([
        admin<InfoCaptionUsage>(infocaptionUrl, '/usage'),
        admin<WinLasUsage>(winlasUrl, '/usage'),
      ]);
      return { infocaption, winlas };
    },
    async resetUsage() {
      await Promise.all([
        admin(infocaptionUrl, '/usage/reset', 'POST'),
        admin(winlasUrl, '/usage/reset', 'POST'),
      ]);
    },
    async registrationCount() {
      return (await admin<{ total: number }>(winlasUrl, '/registrations/stats')).total;
    },
    registrationStats: () => admin(winlasUrl, '/registrations/stats'),
    async setRateLimits(limits) {
      if (limits.infocaptionPerSecond !== undefined)
        await admin(infocaptionUrl, '/rate-limit', 'POST', { perSecond: limits.infocaptionPerSecond });
      if (limits.winlasPerSecond !== undefined)
        await admin(winlasUrl, '/rate-limit', 'POST', { perSecond: limits.winlasPerSecond });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * What a run used of an API's limit: requests served over the span from the first request to one
 * second after the last (the windows the run touched, so a run inside the limit never shows more than
 * 100 %), as a share of the limit, and the busiest one-second window (which must not exceed the limit).
 */
export function shareOfLimit(usage: InfoCaptionUsage | WinLasUsage): {
  served: number;
  spanSeconds: number;
  perSecond: number;
  share: number | undefined;
  peakPerSecond: number;
  refused: number;
} {
  const { requests, rateLimit } = usage;
  const served = requests.total - rateLimit.refused;
  const spanSeconds =
    requests.firstAt && requests.lastAt
      ? (Date.parse(requests.lastAt) - Date.parse(requests.firstAt)) / 1000 + 1
      : 0;
  const perSecond = spanSeconds > 0 ? served / spanSeconds : 0;
  return {
    served,
    spanSeconds,
    perSecond,
    share: rateLimit.perSecond ? perSecond / rateLimit.perSecond : undefined,
    peakPerSecond: rateLimit.peakPerSecond,
    refused: rateLimit.refused,
  };
}

async function runChild(opts: CompetenceSimulatorsOptions): Promise<void> {
  const infocaption = await startInfoCaptionSimulator({
    rateLimitPerSecond: opts.infocaptionPerSecond,
    ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
    ...(opts.clientSecret !== undefined ? { clientSecret: opts.clientSecret } : {}),
  });
  const winlas = await startWinLasSimulator({
    rateLimitPerSecond: opts.winlasPerSecond,
    ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
  });
  const stop = (): void => {
    Promise.all([infocaption.close(), winlas.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.({ infocaptionUrl: infocaption.url, winlasUrl: winlas.url });
}

if (require.main === module) {
  runChild(JSON.parse(process.argv[2] ?? '{}') as CompetenceSimulatorsOptions).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
