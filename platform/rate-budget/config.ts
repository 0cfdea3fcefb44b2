/**
 * Budgets declared by name (PLAT-16). Each outside API's limit is declared here once, with the
 * documentation it comes from; `RATE_BUDGETS` (JSON) replaces or adds budgets by name.
 */
import { z } from 'zod';
import { isTimeZone, type BudgetDefinition, type BudgetPolicy } from './policy';

const MINUTE = 60_000;

/** `250ms`, `5s`, `10m`, `1h` or `1d`. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'durations are written like 500ms, 5s, 10m, 1h or 1d')
  .transform((s) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(s) ?? [];
    const factor = { ms: 1, s: 1000, m: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE }[unit as 'ms'];
    return Number(n) * factor;
  });
const positiveDuration = duration.refine((ms) => ms > 0, 'must be longer than 0');
const limit = z.number().int().min(1);

const common = { maxWait: duration.optional(), spread: duration.optional() };

const budgetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('daily'),
    limit,
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Stockholm or UTC'),
    ...common,
  }),
  z.object({ kind: z.literal('fixed-window'), limit, window: positiveDuration, ...common }),
  z
    .object({
      kind: z.literal('token-bucket'),
      limit,
      per: positiveDuration,
      burst: z.number().int().min(1).optional(),
      ...common,
    })
    .refine((b) => (b.burst ?? b.limit) <= b.limit, 'burst must not exceed limit'),
]);

export type BudgetSetting = z.input<typeof budgetSchema>;

/**
 * The budgets every deployment has unless `RATE_BUDGETS` says otherwise.
 * - `coachview-rest`: Coachview allows 5,000 REST requests a day per API client; the day is
 *   assumed to end at midnight UTC (docs/coachview.md).
 * - `wiseflow-api`: WISEflow allows 200 requests a second; 180 a second with bursts of 20 keeps any
 *   one second at 200 at most.
 * - `wiseflow-api-minute`: and 5,000 a minute; 4,800 per clock minute leaves room for a caller
 *   outside this platform using the same credentials.
 * - `infocaption-api`, `winlas-api`: neither system documents its limit; assumed 10 and 20 requests a
 *   second (the simulators' defaults, docs/infocaption-winlas-apis.md): 9 + 1 and 18 + 2 keep any one
 *   second under them. Set the real figures with `RATE_BUDGETS` once the vendors name them.
 */
export const DEFAULT_BUDGETS: Record<string, BudgetSetting> = {
  'coachview-rest': { kind: 'daily', limit: 5000, timeZone: 'UTC' },
  'wiseflow-api': { kind: 'token-bucket', limit: 180, per: '1s', burst: 20 },
  'wiseflow-api-minute': { kind: 'fixed-window', limit: 4800, window: '1m' },
  'infocaption-api': { kind: 'token-bucket', limit: 9, per: '1s', burst: 1 },
  'winlas-api': { kind: 'token-bucket', limit: 18, per: '1s', burst: 2 },
};

const budgetName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'budget names are lower-case words: a-z 0-9 . _ -');

/** `RATE_BUDGETS`: a JSON object of budgets by name, each replacing the default of that name. */
export const rateBudgetsSetting = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"budget-name": {"kind": "daily", ...}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(budgetName, budgetSchema))
  .optional()
  .transform((overrides) => {
    const defaults = Object.entries(DEFAULT_BUDGETS).map(([name, b]) => [name, budgetSchema.parse(b)]);
    return toDefinitions({ ...Object.fromEntries(defaults), ...overrides });
  });

function toDefinitions(settings: Record<string, z.output<typeof budgetSchema>>): BudgetDefinition[] {
  return Object.entries(settings).map(([name, s]) => {
    const policy: BudgetPolicy =
      s.kind === 'daily'
        ? { kind: 'daily', limit: s.limit, timeZone: s.timeZone }
        : s.kind === 'fixed-window'
          ? { kind: 'fixed-window', limit: s.limit, windowMs: s.window }
          : { kind: 'token-bucket', limit: s.limit, perMs: s.per, burst: s.burst ?? s.limit };
    const defaultSpread =
      policy.kind === 'daily'
        ? 30 * MINUTE
        : policy.kind === 'fixed-window'
          ? Math.min(policy.windowMs, 30 * MINUTE)
          : 1000;
    return { name, policy, maxWaitMs: s.maxWait ?? 5000, spreadMs: s.spread ?? defaultSpread };
  });
}
