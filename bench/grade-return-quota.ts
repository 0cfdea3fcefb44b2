/**
 * Benchmark of Coachview's REST quota (CV-6): N learners wait unknown in Coachview for some days, then
 * become known. Time is compressed: a simulated clock moves from one attempt to the next in the order
 * the runs' daily slots give (domain/grade-return/spread.ts, the window as configured), and each attempt
 * runs the grade return's real attempt code (the shared snapshot, the Coachview adapter over HTTP, the
 * `coachview-rest` budget of 5,000 a day) against the Coachview simulator with its real daily quota,
 * counted by the same clock. What Temporal adds (timers, history) is measured by `bench:grade-return`
 * and proven by the time-skipping tests; this measures requests per day and attempts per learner per day.
 *
 *   node dist/bench/grade-return-quota.js [--count 10000] [--unknown-days 3] [--known-days 2]
 *     [--window 06:00-20:00] [--time-zone Europe/Amsterdam] [--mode snapshot|per-learner]
 */
import { parseArgs } from 'node:util';
import { createCoachviewClient } from '../adapters/coachview';
import { attemptGradeReturn, attemptGradeReturnFromSnapshot } from '../activities/grade-return/attempt';
import { CoachviewSnapshots } from '../activities/grade-return/coachview-snapshot';
import { nextAttemptInWindow, parseAttemptWindow } from '../domain/grade-return/spread';
import { gradeReturnWorkflowId } from '../platform/names';
import { RateBudgets, createMemoryBudgetStore, spentBudgetOf } from '../platform/rate-budget';
import { localParts, startOfLocalDay } from '../platform/rate-budget/policy';
import { Secret } from '../platform/secret';
import { resultPushPath, startCoachviewSimulator } from '../simulators/coachview';
import { printSummary } from './support';

const DAY_MS = 24 * 60 * 60 * 1000;
const QUOTA = 5000;
const COURSE_ID = 'bench-course';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      'unknown-days': { type: 'string', default: '3' },
      'known-days': { type: 'string', default: '2' },
      window: { type: 'string', default: '06:00-20:00' },
      'time-zone': { type: 'string', default: 'Europe/Amsterdam' },
      /** `per-learner`: each attempt reads Coachview for itself, as before the shared snapshot. */
      mode: { type: 'string', default: 'snapshot' },
    },
  });
  const count = Number(values.count);
  const unknownDays = Number(values['unknown-days']);
  const knownDays = Number(values['known-days']);
  const parsedWindow = parseAttemptWindow(values.window);
  if (!parsedWindow || !(count > 0)) throw new Error('bad --count or --window');
  const window = { ...parsedWindow, timeZone: values['time-zone'] };

  let now = Date.parse('2026-11-02T07:00:00Z');
  const clock = (): number => now;
  const coachview = await startCoachviewSimulator({ now: clock, dailyRequestLimit: QUOTA });
  const budgets = new RateBudgets(
    [
      {
        name: 'coachview-rest',
        policy: { kind: 'daily', limit: QUOTA, timeZone: 'UTC' },
        maxWaitMs: 0,
        spreadMs: 30 * 60_000,
      },
    ],
    createMemoryBudgetStore(),
    { clock },
  );
  const client = createCoachviewClient({
    apiBaseUrl: coachview.url,
    clientId: 'integrations',
    clientSecret: new Secret('local-client-secret'),
    resultPushUrl: `${coachview.url}${resultPushPath}`,
    pushSecret: new Secret('local-push-secret'),
    restBudget: budgets.get('coachview-rest'),
  });
  const snapshots = new CoachviewSnapshots({ coachview: client, clock });

  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const wall0 = Date.now();

  const run = Date.now().toString(36);
  const learners = Array.from({ length: count }, (_, i) => {
    const learnerId = `bench-${run}-${i}`;
    return {
      learnerId,
      workflowId: gradeReturnWorkflowId('moodle', COURSE_ID, learnerId),
      // All started within one hour (a Moodle poll's burst): the first attempt is at the start.
      next: now + Math.floor((i / count) * 3600_000),
      previous: undefined as number | undefined,
      done: false,
    };
  });
  // Days are the quota's: calendar days in UTC (docs/coachview.md).
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  const dayOf = (at: number): number => Math.floor((at - start) / DAY_MS);
  const totalDays = unknownDays + knownDays;
  const attemptsPerDay = new Map<number, Map<string, number>>();
  const waitsForBudget = new Map<number, number>();
  const outcomes = new Map<number, Record<string, number>>();
  let known = false;

  // Runs by the time of their next attempt, earliest first (insertion keeps the order).
  type Learner = (typeof learners)[number];
  const queue: Learner[] = [...learners].sort((a, b) => a.next - b.next);
  const enqueue = (l: Learner): void => {
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (queue[mid]!.next <= l.next) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, l);
  };
  for (;;) {
    const l = queue.shift();
    if (!l || dayOf(l.next) >= totalDays) break;
    now = l.next;
    const day = dayOf(now);
    if (!known && day >= unknownDays) {
      known = true;
      coachview.seed({
        persons: learners.map((x) => ({
          id: x.learnerId,
          firstName: 'B',
          lastName: 'B',
          email: 'b@bench.test',
        })),
        enrolments: learners.map((x) => ({
          personId: x.learnerId,
          trainingId: 'T',
          elearningCourseId: COURSE_ID,
        })),
      });
    }
    try {
      const input = {
        source: 'moodle' as const,
        learnerId: l.learnerId,
        courseId: COURSE_ID,
        grade: '7.5',
        completedAt: '2026-11-01T12:00:00Z',
        maxDailyAttempts: 30,
        ...(l.previous ? { snapshotNotBefore: new Date(l.previous).toISOString() } : {}),
      };
      const result =
        values.mode === 'per-learner'
          ? await attemptGradeReturn(client, input)
          : await attemptGradeReturnFromSnapshot(client, snapshots, input);
      const perDay = attemptsPerDay.get(day) ?? new Map<string, number>();
      perDay.set(l.learnerId, (perDay.get(l.learnerId) ?? 0) + 1);
      attemptsPerDay.set(day, perDay);
      const o = outcomes.get(day) ?? {};
      o[result.outcome] = (o[result.outcome] ?? 0) + 1;
      outcomes.set(day, o);
      l.previous = now;
      if (result.outcome === 'registered' || result.outcome === 'already-registered') l.done = true;
      else {
        l.next = nextAttemptInWindow(now, l.workflowId, window, startOfLocalDay, localParts);
        enqueue(l);
      }
    } catch (err) {
      const spent = spentBudgetOf(err);
      if (!spent) throw err;
      // As withRateBudget does: wait for the budget (no attempt used), then try again.
      waitsForBudget.set(day, (waitsForBudget.get(day) ?? 0) + 1);
      l.next =
        Math.max(Date.parse(spent.availableAt), now + 1000) + Math.floor(Math.random() * spent.spreadMs);
      enqueue(l);
    }
  }
  clearInterval(rssTimer);
  const wallMs = Date.now() - wall0;

  const windows = coachview.usage().quotaWindows;
  const rows: Array<[string, string]> = [
    ['learners', `${count}, unknown for ${unknownDays} days, then known (${knownDays} more days)`],
    ['attempt window', `${values.window} ${window.timeZone}`],
    [
      'mode',
      values.mode === 'per-learner' ? 'per-learner lookups (before the shared snapshot)' : 'shared snapshot',
    ],
  ];
  for (let day = 0; day < totalDays; day++) {
    const dayStart = new Date(start + day * DAY_MS).toISOString().slice(0, 10);
    const w = windows.find((x) => x.windowStart.slice(0, 10) === dayStart);
    const perDay = attemptsPerDay.get(day) ?? new Map<string, number>();
    const counts = [...perDay.values()];
    rows.push([
      `day ${day + 1} (${dayStart})`,
      `${w?.requests ?? 0} REST requests (quota ${QUOTA}: ${(w?.requests ?? 0) <= QUOTA ? 'held' : 'EXCEEDED'}), ` +
        `${w?.refused ?? 0} answered 429; ${perDay.size} learners attempted ` +
        `(min ${Math.min(...counts, Infinity) === Infinity ? 0 : Math.min(...counts)}, max ${Math.max(0, ...counts)} a learner), ` +
        `${waitsForBudget.get(day) ?? 0} waits for the budget; ${JSON.stringify(outcomes.get(day) ?? {})}`,
    ]);
  }
  rows.push(
    [
      'registrations',
      `${coachview.pushLog().filter((p) => p.outcome === 'processed').length} processed pushes`,
    ],
    ['snapshot REST requests', `${snapshots.requests} (pages of 1,000)`],
    ['peak RSS (bench process: attempts + simulator)', `${Math.round(peakRss / 1024 / 1024)} MB`],
    ['wall time', `${(wallMs / 1000).toFixed(1)} s for ${totalDays} simulated days`],
  );
  printSummary('grade-return quota benchmark (compressed clock)', rows);
  await coachview.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
