/**
 * One measurement of the roster sync's read + plan + filter in a fresh process (so each scale's peak
 * RSS is its own), or of the bare reference: parse the same rows, join memberships to persons and
 * groups, and diff them against an empty target with nothing else. Prints one JSON line.
 *
 *   node dist/bench/roster-sync-measure.js <dir> <syncDate> full|bare
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_FILES } from './roster-sync-generate';
import { filter, plan, readSource, emptyTarget } from './roster-sync-phases';
import { kernelPeakRssMb, RssSampler } from './roster-sync-rss';

export interface Measurement {
  ms: number;
  /** User + system CPU time of the process over the same span: less sensitive to a loaded machine. */
  cpuMs: number;
  peakMb: number;
  /**
   * Full runs: the read's own peak, and the plan + filter's peak once the read's garbage is collected
   * (the child runs with --expose-gc; the worker reads and plans in separate activities, the roster
   * passing through the snapshot store). The collection is not in `ms` or `cpuMs`.
   */
  readPeakMb?: number;
  planPeakMb?: number;
  persons: number;
  memberships: number;
  operations: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface BareRows {
  students: { studentId: string }[];
  staff: { staffId: string }[];
  classPlacements: { studentId: string; classId: string; startDate: string | null; endDate: string | null }[];
  groupMembers: { studentId: string; groupId: string; startDate: string | null; endDate: string | null }[];
  classTeachers: { staffId: string; classId: string }[];
  activityStaff: { staffId: string; activityId: string }[];
  activityLinks: { activityId: string; classId?: string | null; groupId?: string | null }[];
}

/** Parse, join, diff: the floor the real path (validation, PC rules, policies, ordering, plan id) adds to. */
function bare(dir: string, syncDate: string): { persons: number; memberships: number; operations: number } {
  const rows = JSON.parse(readFileSync(path.join(dir, FIXTURE_FILES.rows), 'utf8')) as BareRows;
  const persons = new Map<string, string>();
  for (const s of rows.students) persons.set(s.studentId, 'student');
  for (const s of rows.staff) persons.set(s.staffId, 'teacher');
  const memberships = new Map<string, { groupId: string; personId: string }>();
  const join = (personId: string, groupId: string): void => {
    if (persons.has(personId)) memberships.set(`${groupId}\u001f${personId}`, { groupId, personId });
  };
  const byClass = new Map<string, string[]>();
  const byGroup = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, personId: string): void => {
    const list = map.get(key);
    if (list) list.push(personId);
    else map.set(key, [personId]);
  };
  // Current placements only (a plain date window, none of the PC rules' lead days and exclusions).
  const current = (r: { startDate: string | null; endDate: string | null }): boolean =>
    r.startDate !== null && r.startDate <= syncDate && (r.endDate === null || r.endDate >= syncDate);
  for (const p of rows.classPlacements) {
    if (!current(p)) continue;
    join(p.studentId, `class:${p.classId}`);
    add(byClass, p.classId, p.studentId);
  }
  for (const m of rows.groupMembers) if (current(m)) add(byGroup, m.groupId, m.studentId);
  for (const t of rows.classTeachers) join(t.staffId, `class:${t.classId}`);
  // A teaching group's students are those of its linked classes and groups.
  for (const link of rows.activityLinks) {
    const students = link.classId ? byClass.get(link.classId) : link.groupId ? byGroup.get(link.groupId) : [];
    for (const studentId of students ?? []) join(studentId, `teaching-group:${link.activityId}`);
  }
  for (const t of rows.activityStaff) join(t.staffId, `teaching-group:${t.activityId}`);
  const target = new Map<string, unknown>();
  const operations: { op: 'create'; key: string }[] = [];
  for (const key of persons.keys()) if (!target.has(key)) operations.push({ op: 'create', key });
  for (const key of memberships.keys()) if (!target.has(key)) operations.push({ op: 'create', key });
  return { persons: persons.size, memberships: memberships.size, operations: operations.length };
}

const collect = (globalThis as { gc?: () => void }).gc;

async function full(
  dir: string,
  syncDate: string,
  rss: RssSampler,
): Promise<{
  persons: number;
  memberships: number;
  operations: number;
  readPeakMb: number;
  planPeakMb?: number;
  pausedMs: number;
}> {
  const source = await readSource(dir, syncDate);
  const readPeakMb = rss.peakMb();
  let pausedMs = 0;
  let planPeakMb: number | undefined;
  if (collect) {
    const paused = performance.now();
    collect();
    rss.reset();
    pausedMs = performance.now() - paused;
  }
  const target = emptyTarget();
  const planned = plan(source, target, syncDate);
  filter(planned, target);
  if (collect) planPeakMb = rss.peakMb();
  return {
    persons: source.persons.length,
    memberships: source.memberships.length,
    operations: planned.operations.length,
    readPeakMb,
    ...(planPeakMb === undefined ? {} : { planPeakMb }),
    pausedMs,
  };
}

async function main(): Promise<void> {
  const [dir, syncDate, mode] = process.argv.slice(2);
  if (!dir || !syncDate || (mode !== 'full' && mode !== 'bare')) {
    throw new Error('usage: roster-sync-measure <dir> <syncDate> full|bare');
  }
  const rss = new RssSampler();
  const startCpu = cpuMs();
  const start = performance.now();
  const { pausedMs = 0, ...counts } =
    mode === 'full' ? await full(dir, syncDate, rss) : { ...bare(dir, syncDate), pausedMs: 0 };
  // The forced collection's time is left out: it stands for the gap between two activities.
  const ms = performance.now() - start - pausedMs;
  const cpu = cpuMs() - startCpu - pausedMs;
  const peakMb = Math.max(rss.peakMb(), kernelPeakRssMb() ?? 0);
  await rss.stop();
  const measurement: Measurement = { ms, cpuMs: cpu, peakMb, ...counts };
  console.log(JSON.stringify(measurement));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
