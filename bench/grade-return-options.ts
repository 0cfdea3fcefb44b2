import { parseArgs } from 'node:util';
import { z } from 'zod';

const optionsSchema = z
  .object({
    count: z.coerce.number().int().positive().default(10_000),
    concurrency: z.coerce.number().int().min(1).max(1000).default(100),
    'timeout-minutes': z.coerce.number().positive().default(30),
  })
  .transform((o) => ({
    count: o.count,
    concurrency: o.concurrency,
    timeoutMs: o['timeout-minutes'] * 60_000,
  }));

export type GradeReturnBenchOptions = z.output<typeof optionsSchema>;

export const usage =
  'usage: node dist/bench/grade-return.js [--count 10000] [--concurrency 100] [--timeout-minutes 30]';

/** The command line, validated; a bad value throws a message naming the option. */
export function parseBenchOptions(argv: string[]): GradeReturnBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' },
      concurrency: { type: 'string' },
      'timeout-minutes': { type: 'string' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`);
    throw new Error(`${problems.join('\n')}\n${usage}`);
  }
  return parsed.data;
}
