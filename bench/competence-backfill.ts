/**
 * Benchmark: the competence backfill (CW-9) of many historical participants on a real Temporal dev
 * server, the worker as its own process, against the InfoCaption and WinLas simulators with request
 * rate limits set to a known rate. Then the same calls made by a plain script at the same concurrency,
 * without Temporal. Prints the backfill's throughput as a share of the tighter limit, the ratio of the
 * two times, the worker's peak RSS and the largest history.
 *
 *   node dist/bench/competence-backfill.js [--participants 100000] [--courses 5] [--winlas-rate 1000]
 *     [--infocaption-rate 100] [--concurrency 8] [--hits-per-page 100]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { registerPage } from '../activities/competences/pages';
import { createInfoCaptionClient } from '../adapters/infocaption';
import { createWinLasClient } from '../adapters/winlas';
import { linkCompetences } from '../client/competences';
import {
  competenceLinkWorkflowId,
  directoryByEmail,
  emailKey,
  type LinkStatus,
  type LinkedCompetence,
} from '../domain/competences';
import { createEncryptionCodec, dataConverter } from '../platform/codec';
import { taskQueues } from '../platform/names';
import { createRateBudgets, rateBudgetsSetting, spentBudgetOf } from '../platform/rate-budget';
import { startSmtpSink } from '../services/smtp-sink';
import { startInfoCaptionSimulator } from '../simulators/infocaption';
import { startWinLasSimulator, type WinLasSimulator } from '../simulators/winlas';
import { startDevServer, stopProcess } from '../stack/temporal-dev-server';
import {
  Cleanups,
  freePort,
  megabytes,
  pollUntil,
  printSummary,
  sampleRss,
  seconds,
  spawnWorkerProcess,
} from './support';

const SHARE_TARGET = 0.9;
const RATIO_TARGET = 1.2;
const RSS_TARGET_MB = 400;
const HISTORY_TARGET_BYTES = 1024 * 1024;
const DIRECTORY_PAGE_SIZE = 500;

interface Options {
  participants: number;
  courses: number;
  winlasRate: number;
  infocaptionRate: number;
  concurrency: number;
  hitsPerPage: number;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = {
    participants: 100_000,
    courses: 5,
    winlasRate: 1000,
    infocaptionRate: 100,
    concurrency: 8,
    hitsPerPage: 100,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]
      ?.replace(/^--/, '')
      .replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in opts) || !Number.isInteger(value) || value < 1)
      throw new Error(`bad option ${argv[i]} ${argv[i + 1]}`);
    opts[key] = value;
  }
  return opts;
}

/** Budgets that never exceed the simulators' per-second windows: rate minus burst, plus the burst. */
function budgetSettings(opts: Options) {
  const bucket = (rate: number) => {
    const burst = Math.max(1, Math.floor(rate / 20));
    return { kind: 'token-bucket', limit: rate - burst, per: '1s', burst };
  };
  return { 'infocaption-api': bucket(opts.infocaptionRate), 'winlas-api': bucket(opts.winlasRate) };
}

const competences: LinkedCompetence[] = [
  { competenceId: 'C-FIRE', name: 'Fire safety', defaultValidityDays: 365 },
  { competenceId: 'C-CPR', name: 'CPR', defaultValidityDays: 730 },
];

function seedWinLas(winlas: WinLasSimulator, participants: number): void {
  winlas.reset();
  winlas.seed({
    competences: competences.map((c) => ({
      id: c.competenceId,
      name: c.name,
      defaultValidityDays: c.defaultValidityDays,
    })),
  });
  winlas.generate({ persons: participants });
}

/** The courses split over two links: the first half of the courses give C-FIRE, the rest C-CPR. */
function linksOf(guideIds: number[]) {
  const half = Math.ceil(guideIds.length / 2);
  return [
    { guideIds: guideIds.slice(0, half), competenceIds: ['C-FIRE'] },
    { guideIds: guideIds.slice(half), competenceIds: ['C-CPR'] },
  ];
}

/** What the workflow's withRateBudget does, for the plain script: a spent budget waits, then calls again. */
async function withinBudget<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const spent = spentBudgetOf(err);
      if (!spent) throw err;
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(spent.availableAt) - Date.now())));
    }
  }
}

interface PlainInput {
  opts: Options;
  links: Array<{ guideIds: number[]; competenceIds: string[] }>;
  infocaptionUrl: string;
  winlasUrl: string;
}

/** The plain script: what the worker's activities call, in the same order and concurrency, no Temporal. */
async function runPlain({ opts, links, infocaptionUrl, winlasUrl }: PlainInput): Promise<number[]> {
  const budgets = await createRateBudgets(rateBudgetsSetting.parse(JSON.stringify(budgetSettings(opts))));
  const ic = createInfoCaptionClient({
    baseUrl: infocaptionUrl,
    clientId: 'integrations',
    clientSecret: 'local-infocaption-secret',
    rateBudget: budgets.get('infocaption-api'),
  });
  const wl = createWinLasClient({
    baseUrl: winlasUrl,
    apiKey: 'local-winlas-key',
    rateBudget: budgets.get('winlas-api'),
  });
  const made = await Promise.all(
    links.map(async (link) => {
      const linked = competences.filter((c) => link.competenceIds.includes(c.competenceId));
      for (const g of link.guideIds) await ic.getGuide(g);
      for (const c of link.competenceIds) await wl.getCompetence(c);
      const persons: Array<{ id: string; email: string }> = [];
      for (let page = 1, total = 1; page <= total; page++) {
        const answer = await withinBudget(() => wl.listPersons({ page, pageSize: DIRECTORY_PAGE_SIZE }));
        persons.push(...answer.results.map((p) => ({ id: p.id, email: p.email })));
        total = answer.totalPages;
      }
      const byEmail = directoryByEmail(persons);
      let made = 0;
      for (const guideId of link.guideIds) {
        for (let page = 1, total = 1; page <= total; page++) {
          const answer = await withinBudget(() =>
            ic.listCourseResults({ guideId, page, hitsPerPage: opts.hitsPerPage }),
          );
          total = answer.totalPages;
          const outcome = await withinBudget(() =>
            registerPage({
              results: answer.results,
              guideId,
              course: `guide ${guideId}`,
              competences: linked,
              winlas: wl,
              lookup: async (email) => byEmail.get(emailKey(email)),
              timeZone: 'Europe/Stockholm',
              concurrency: opts.concurrency,
              checkCancelled: () => undefined,
            }),
          );
          made += outcome.counts.registered;
        }
      }
      return made;
    }),
  );
  return made;
}

/** Runs {@link runPlain} in a child process and returns what it registered per link. */
async function runPlainChild(input: PlainInput): Promise<number[]> {
  const child = spawn(process.execPath, [__filename, '--plain-child'], {
    env: { ...process.env, BENCH_PLAIN_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the plain script failed (${code})`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as number[];
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const cleanups = new Cleanups();
  cleanups.onSignals();
  try {
    console.log(
      `competence-backfill benchmark: ${opts.participants} participants over ${opts.courses} courses, 2 competences; ` +
        `WinLas ${opts.winlasRate} req/s, InfoCaption ${opts.infocaptionRate} req/s, concurrency ${opts.concurrency}`,
    );
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-competences-'));
    cleanups.add('temp dir', () => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startDevServer({
      dataDir,
      port: await freePort(),
      uiPort: await freePort(),
      namespace: 'default',
      log: () => undefined,
    });
    cleanups.add('dev server', () => server.stop());
    const infocaption = await startInfoCaptionSimulator({ rateLimitPerSecond: opts.infocaptionRate });
    cleanups.add('infocaption', () => infocaption.close());
    const winlas = await startWinLasSimulator({ rateLimitPerSecond: opts.winlasRate });
    cleanups.add('winlas', () => winlas.close());
    const smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
    cleanups.add('smtp', () => smtp.close());

    const generated = infocaption.generate({
      guides: Array.from({ length: opts.courses }, (_, i) => ({ name: `Course ${i + 1}`, type: 14 })),
      participants: opts.participants,
    });
    const guideIds = generated.guideIds;
    seedWinLas(winlas, opts.participants);
    const links = linksOf(guideIds);

    // --- Temporal: the worker process backfills both links.
    const keyId = 'bench-competences';
    const keys = { [keyId]: randomBytes(32).toString('base64') };
    const worker = spawnWorkerProcess({
      TEMPORAL_ADDRESS: server.address,
      CODEC_KEYS: JSON.stringify(keys),
      CODEC_ACTIVE_KEY_ID: keyId,
      GRADE_RETURN_ENABLED: 'false',
      COMPETENCES_ENABLED: 'true',
      INFOCAPTION_URL: infocaption.url,
      WINLAS_URL: winlas.url,
      COMPETENCES_HITS_PER_PAGE: String(opts.hitsPerPage),
      COMPETENCES_CONCURRENCY: String(opts.concurrency),
      RATE_BUDGETS: JSON.stringify(budgetSettings(opts)),
      STORE_DIR: path.join(dataDir, 'store'),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.smtpPort),
      SCHEDULES_ENABLED: 'false',
      WORKER_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: process.env.WORKER_NODE_OPTIONS ?? '--max-old-space-size=256',
    });
    cleanups.add('worker', () => stopProcess(worker.child, 30_000));
    const rss = sampleRss(worker.pid);
    cleanups.add('rss', () => rss.stop());
    const connection = await Connection.connect({ address: server.address });
    cleanups.add('client', () => connection.close());
    const client = new Client({
      connection,
      dataConverter: dataConverter(createEncryptionCodec({ keys, activeKeyId: keyId })),
    });
    await pollUntil(
      async () => {
        worker.assertAlive();
        const answer = await client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueues.competences },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return (answer.pollers?.length ?? 0) > 0;
      },
      { what: 'the worker to poll', timeoutMs: 120_000, intervalMs: 500 },
    );
    console.log(`  .. stack up; worker pid ${worker.pid}`);

    infocaption.resetUsage();
    winlas.resetUsage();
    const t0 = Date.now();
    for (const link of links) {
      const outcome = await linkCompetences(client, link, { waitMs: 120_000 });
      if (outcome.outcome !== 'linked') throw new Error(`link not made: ${JSON.stringify(outcome)}`);
    }
    const ids = links.map((l) => competenceLinkWorkflowId(l));
    let statuses: LinkStatus[] = [];
    let lastPrint = Date.now();
    await pollUntil(
      async () => {
        worker.assertAlive();
        statuses = await Promise.all(
          ids.map((id) => client.workflow.getHandle(id).query<LinkStatus>('status')),
        );
        return statuses.every((s) => s.phase === 'active');
      },
      {
        what: 'both backfills',
        timeoutMs: 3 * 3600_000,
        intervalMs: 500,
        onPending: () => {
          if (Date.now() - lastPrint < 15_000) return;
          lastPrint = Date.now();
          const done = statuses.reduce((n, s) => n + s.backfill.registered + s.backfill.alreadyHeld, 0);
          console.log(
            `  .. ${seconds(Date.now() - t0)}: ${done} registrations, worker RSS ${megabytes(rss.currentKb())}`,
          );
        },
      },
    );
    const temporalMs = Date.now() - t0;
    const temporalWinlas = winlas.usage();
    const temporalInfocaption = infocaption.usage();
    const registered = statuses.reduce((n, s) => n + s.backfill.registered, 0);
    // A page redone after a spent budget counts what it had made as already held: WinLas is the truth.
    const inWinLas = winlas.state.registrations.size;
    let largestHistory = { bytes: 0, events: 0, workflowId: '' };
    for (const id of ids) {
      const { raw } = await client.workflow.getHandle(id).describe();
      const info = raw.workflowExecutionInfo;
      const bytes = Number(info?.historySizeBytes ?? 0);
      if (bytes > largestHistory.bytes)
        largestHistory = { bytes, events: Number(info?.historyLength ?? 0), workflowId: id };
    }
    const runs = statuses.map((s) => s.runs);
    console.log(`  .. Temporal backfill done in ${seconds(temporalMs)}: ${registered} registrations`);

    // --- The same calls by a plain script, same concurrency and budgets, against fresh WinLas data.
    seedWinLas(winlas, opts.participants);
    infocaption.resetUsage();
    winlas.resetUsage();
    // In a process of its own, as the worker is: the simulators' event loop is not its to share.
    const t1 = Date.now();
    const plainRegistered = await runPlainChild({
      opts,
      links,
      infocaptionUrl: infocaption.url,
      winlasUrl: winlas.url,
    });
    const plainMs = Date.now() - t1;
    const plainWinlas = winlas.usage();

    const share = (requests: number, ms: number, limit: number) => requests / (ms / 1000) / limit;
    const temporalShare = share(temporalWinlas.requests.total, temporalMs, opts.winlasRate);
    const plainShare = share(plainWinlas.requests.total, plainMs, opts.winlasRate);
    const icShare = share(temporalInfocaption.requests.total, temporalMs, opts.infocaptionRate);
    const ratio = temporalMs / plainMs;
    const peakMb = rss.peakKb() / 1024;
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    printSummary('competence-backfill benchmark summary', [
      ['participants', `${opts.participants} over ${opts.courses} courses, 2 links to 2 competences`],
      [
        'limits',
        `WinLas ${opts.winlasRate} req/s (the tighter one for this work), InfoCaption ${opts.infocaptionRate} req/s`,
      ],
      [
        'Temporal backfill',
        `${seconds(temporalMs)}, ${inWinLas} registrations in WinLas (${registered} counted as made); WinLas ${temporalWinlas.requests.total} requests ` +
          `(${(temporalWinlas.requests.total / (temporalMs / 1000)).toFixed(0)} /s), peak ${temporalWinlas.rateLimit.peakPerSecond} in a second, ` +
          `${temporalWinlas.rateLimit.refused} refused (429); InfoCaption ${temporalInfocaption.requests.total} requests, ${temporalInfocaption.rateLimit.refused} refused`,
      ],
      [
        'share of the tighter limit',
        `${(temporalShare * 100).toFixed(1)} % of WinLas' ${opts.winlasRate} req/s (target >= ${SHARE_TARGET * 100} %: ${met(temporalShare >= SHARE_TARGET)}); InfoCaption ${(icShare * 100).toFixed(1)} %`,
      ],
      [
        'plain script',
        `${seconds(plainMs)}, ${plainRegistered.reduce((a, b) => a + b, 0)} registrations; WinLas ${plainWinlas.requests.total} requests (${(plainShare * 100).toFixed(1)} % of the limit)`,
      ],
      [
        'Temporal / plain time',
        `${ratio.toFixed(2)}x (target <= ${RATIO_TARGET}x: ${met(ratio <= RATIO_TARGET)})`,
      ],
      [
        'worker peak RSS',
        `${peakMb.toFixed(0)} MB (target <= ${RSS_TARGET_MB} MB: ${met(peakMb <= RSS_TARGET_MB)})`,
      ],
      [
        'largest history',
        `${(largestHistory.bytes / 1024).toFixed(1)} KB, ${largestHistory.events} events (${largestHistory.workflowId}, runs per link ${runs.join(', ')}; target < 1 MB: ${met(largestHistory.bytes < HISTORY_TARGET_BYTES)})`,
      ],
    ]);
    if (inWinLas !== opts.participants)
      throw new Error(`expected ${opts.participants} registrations in WinLas, saw ${inWinLas}`);
  } finally {
    await cleanups.runAll();
  }
}

const entry =
  process.argv[2] === '--plain-child'
    ? async () =>
        console.log(
          JSON.stringify(await runPlain(JSON.parse(process.env.BENCH_PLAIN_INPUT ?? '{}') as PlainInput)),
        )
    : main;

entry().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
