import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { calendarDateSchema } from '../domain/procapita/dates';

/** The municipality the issue names; `--scale` multiplies every count. */
export const MUNICIPALITY = {
  students: 50_000,
  staff: 5_000,
  classes: 2_000,
  teachingGroups: 8_000,
} as const;

export const rosterBenchOptionsSchema = z.object({
  scale: z.number().positive().max(10),
  batchSize: z.number().int().min(1),
  syncDate: calendarDateSchema,
  seed: z.string().min(1),
  skipApply: z.boolean(),
  /** Issue 10's targets: read + plan + filter at `scale` and 5 x `scale`, each in its own process, best of `repeat`. */
  targets: z.boolean(),
  repeat: z.number().int().min(1),
});
export type RosterBenchOptions = z.infer<typeof rosterBenchOptionsSchema>;

const number = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
};

export function parseRosterBenchOptions(argv: readonly string[]): RosterBenchOptions {
  const program = new Command('roster-sync')
    .option('--scale <n>', 'multiply the municipality counts (0.2 = a fifth)', number, 1)
    .option('--batch-size <n>', 'operations per IMSE document', number, 1000)
    .option('--sync-date <date>', 'the sync date (Stockholm calendar date)', '2026-09-15')
    .option('--seed <seed>', 'generator seed', 'roster-bench')
    .option('--skip-apply', 'only read, plan and filter', false)
    .option('--targets', 'read, plan and filter at the scale and 5 x the scale against the targets', false)
    .option('--repeat <n>', 'with --targets: runs per figure, the best is kept', number, 3)
    .parse([...argv], { from: 'user' });
  return rosterBenchOptionsSchema.parse(program.opts());
}

export function scaledCounts(scale: number): Record<keyof typeof MUNICIPALITY, number> {
  const scaled = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    students: scaled(MUNICIPALITY.students),
    staff: scaled(MUNICIPALITY.staff),
    classes: scaled(MUNICIPALITY.classes),
    teachingGroups: scaled(MUNICIPALITY.teachingGroups),
  };
}
