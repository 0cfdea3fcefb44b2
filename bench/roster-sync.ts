/**
 * Benchmark: a municipality-sized ProCapita roster (50,000 students, 5,000 staff, 2,000 classes,
 * 8,000 teaching groups) through read, plan and the safety filter, against the targets of <= 10 s
 * and <= 1 GB peak RSS; then the apply throughput against the itslearning simulator, and a second
 * run with no change that must plan nothing. Exits non-zero when the second run would write.
 *
 *   node dist/bench/roster-sync.js [--scale 1] [--batch-size 1000] [--sync-date 2026-09-15] [--skip-apply]
 *   node dist/bench/roster-sync.js --targets [--repeat 3]   # issue 10: scale and 5 x scale, bare reference beside
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countRoster } from '../domain/roster';
import { FIXTURE_FILES } from './roster-sync-generate';
import { parseRosterBenchOptions, scaledCounts } from './roster-sync-options';
import { applyPlan, clientFor, emptyTarget, filter, plan, readSource } from './roster-sync-phases';
import { kernelPeakRssMb, RssSampler } from './roster-sync-rss';
import { startSimulatorProcess } from './roster-sync-simulator';
import { runTargets } from './roster-sync-targets';

const TIME_TARGET_MS = 10_000;
const RSS_TARGET_MB = 1024;

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number): string => `${Math.round(n)} MB`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

function generateFixture(dir: string, scale: number, syncDate: string, seed: string): number {
  const start = performance.now();
  execFileSync(
    process.execPath,
    [path.join(__dirname, 'roster-sync-generate.js'), dir, String(scale), syncDate, seed],
    {
      stdio: 'inherit',
    },
  );
  return performance.now() - start;
}

async function main(): Promise<number> {
  const opts = parseRosterBenchOptions(process.argv.slice(2));
  const counts = scaledCounts(opts.scale);
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-bench-'));
  try {
    console.log(
      `roster-sync benchmark: scale ${opts.scale} (${counts.students} students, ${counts.staff} staff, ` +
        `${counts.classes} classes, ${counts.teachingGroups} teaching groups), sync date ${opts.syncDate}`,
    );
    if (opts.targets) {
      const met = runTargets(dir, opts.scale, opts.syncDate, opts.repeat, (at, scale) =>
        generateFixture(at, scale, opts.syncDate, opts.seed),
      );
      return met ? 0 : 1;
    }
    const genMs = generateFixture(dir, opts.scale, opts.syncDate, opts.seed);
    const fixtureMb = statSync(path.join(dir, FIXTURE_FILES.rows)).size / 1024 / 1024;
    console.log(`  fixture generated in ${secs(genMs)} (${fixtureMb.toFixed(1)} MB JSON, separate process)`);

    const rss = new RssSampler();
    const baselineMb = rss.peakMb();
    const read = await timed(() => readSource(dir, opts.syncDate));
    const source = read.value;
    const target = emptyTarget();
    const planned = await timed(() => plan(source, target, opts.syncDate));
    const filtered = await timed(() => filter(planned.value, target));
    const totalMs = read.ms + planned.ms + filtered.ms;
    const peakMb = rss.peakMb();
    const sizes = countRoster(source);
    const { totals } = filtered.value.summary;

    console.log('');
    console.log('read + plan + filter (first run, empty target)');
    console.log(`  persons            ${sizes.person}`);
    console.log(`  units (schools)    ${sizes.unit}`);
    console.log(`  classes            ${sizes.class}`);
    console.log(`  teaching groups    ${sizes['teaching-group']}`);
    console.log(`  memberships        ${sizes.membership}`);
    console.log(
      `  plan               ${totals.create} creates, ${totals.update} updates, ${totals.delete} deletes`,
    );
    console.log(
      `  safety filter      ${filtered.value.verdict.tripped ? 'TRIPPED' : 'passed'} (defaults, first import)`,
    );
    console.log(`  read               ${secs(read.ms)}`);
    console.log(`  plan               ${secs(planned.ms)}`);
    console.log(`  filter             ${secs(filtered.ms)}`);
    console.log(
      `  total              ${secs(totalMs)}  (target <= 10 s: ${verdict(totalMs <= TIME_TARGET_MS)})`,
    );
    console.log(
      `  peak RSS           ${mb(peakMb)}  (sampled every 100 ms; baseline ${mb(baselineMb)}; ` +
        `target <= 1 GB: ${verdict(peakMb <= RSS_TARGET_MB)})`,
    );
    const hwm = kernelPeakRssMb();
    if (hwm !== null) console.log(`  kernel VmHWM       ${mb(hwm)}`);

    if (opts.skipApply) {
      await rss.stop();
      return 0;
    }

    const sim = await startSimulatorProcess('procapita');
    try {
      const client = clientFor(sim.url);
      const runId = `bench-${Date.now()}`;
      let lastLog = Date.now();
      const applied = await timed(() =>
        applyPlan(client, planned.value, opts.batchSize, runId, (sent, total) => {
          if (Date.now() - lastLog >= 10_000) {
            lastLog = Date.now();
            console.log(`  .. ${sent}/${total} batches sent`);
          }
        }),
      );
      const { operations, batches } = applied.value;
      console.log('');
      console.log('apply (real client over HTTP into the itslearning simulator, its own process)');
      console.log(`  operations         ${operations} in ${batches} batches of <= ${opts.batchSize}`);
      console.log(`  time               ${secs(applied.ms)}`);
      console.log(`  throughput         ${Math.round(operations / (applied.ms / 1000))} operations/s`);

      rss.reset();
      const readBack = await timed(() => client.readSyncedState());
      const reread = await timed(() => readSource(dir, opts.syncDate));
      const replanned = await timed(() => plan(reread.value, readBack.value, opts.syncDate));
      const refiltered = await timed(() => filter(replanned.value, readBack.value));
      const second = refiltered.value.summary.totals;
      const writes = second.create + second.update + second.delete;
      console.log('');
      console.log('second run, no change (target read back from the simulator)');
      console.log(
        `  target read back   ${readBack.value.persons.length} persons, ${readBack.value.units.length} units, ` +
          `${readBack.value.groups.length} groups, ${readBack.value.memberships.length} memberships in ${secs(readBack.ms)}`,
      );
      console.log(
        `  read ${secs(reread.ms)}, plan ${secs(replanned.ms)}, filter ${secs(refiltered.ms)}; ` +
          `process peak RSS ${mb(rss.peakMb())} (first run's roster and plan still held)`,
      );
      console.log(
        `  plan totals        ${second.create} creates, ${second.update} updates, ${second.delete} deletes, ` +
          `${second.held} held  (${writes === 0 ? 'writes nothing: met' : 'WOULD WRITE: FAILED'})`,
      );
      await rss.stop();
      return writes === 0 ? 0 : 1;
    } finally {
      await sim.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
