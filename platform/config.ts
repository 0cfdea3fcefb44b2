/**
 * The one configuration module (PLAT-4). Every value comes from the environment (or, for secrets,
 * from a file named by `<NAME>_FILE`), is validated with zod at start-up, and a bad configuration
 * stops the process with one message that names every bad variable, never its value.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_ELEARNING_TIME_ZONE, isTimeZone } from '../domain/grade-return/completion-fields';
import { lookbackDaysRange } from '../domain/grade-return/input-check';
import { parseAttemptWindow } from '../domain/grade-return/spread';
import { rateBudgetsSetting } from './rate-budget/config';
import { Secret } from './secret';

type Env = Record<string, string | undefined>;

interface FieldSpec {
  env: string;
  schema: z.ZodType;
  secret?: boolean;
}

/** A plain setting read from `env`. */
export function setting<S extends z.ZodType>(env: string, schema: S): { env: string; schema: S } {
  return { env, schema };
}

/** A secret read from `env` or from the file named by `${env}_FILE`; parsed into a {@link Secret}. */
export function secret<S extends z.ZodType>(
  env: string,
  schema: S,
): { env: string; schema: S; secret: true } {
  return { env, schema, secret: true };
}

type Spec = { [key: string]: FieldSpec | Spec };
type Parsed<T> = T extends { secret: true; schema: infer S extends z.ZodType }
  ? undefined extends z.output<S>
    ? Secret<NonNullable<z.output<S>>> | undefined
    : Secret<z.output<S>>
  : T extends { schema: infer S extends z.ZodType }
    ? z.output<S>
    : { [K in keyof T]: Parsed<T[K]> };

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const url = z.url();
const elearningTimeZone = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Amsterdam')
  .default(DEFAULT_ELEARNING_TIME_ZONE);
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);
const emailList = list.pipe(z.array(z.email()));

const postgresUrl = z
  .string()
  .refine((s) => /^postgres(ql)?:\/\/[^/]/.test(s) && URL.canParse(s), 'must be a postgres:// URL');

/** Reusable value schemas for configuration sections. */
export const configTypes = { bool, port, url, list, emailList };

const codecKeys = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"key-id": "<base64 of 32 bytes>"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().min(1),
      z
        .string()
        .refine((k) => Buffer.from(k, 'base64').length === 32, 'each key must be base64 of exactly 32 bytes'),
    ),
  )
  .refine((m) => Object.keys(m).length > 0, 'at least one key is required');

export const configSpec = {
  environment: setting('APP_ENV', z.enum(['local', 'production', 'test']).default('local')),
  logLevel: setting('LOG_LEVEL', z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info')),
  /** Where every HTTP listener of this process binds (intake, codec server, metrics): 0.0.0.0 in a container. */
  listenHost: setting('LISTEN_HOST', z.string().min(1).default('127.0.0.1')),
  temporal: {
    address: setting('TEMPORAL_ADDRESS', z.string().min(1).default('localhost:7233')),
    namespace: setting('TEMPORAL_NAMESPACE', z.string().min(1).default('default')),
    tls: setting('TEMPORAL_TLS', bool.default(false)),
    tlsServerName: setting('TEMPORAL_TLS_SERVER_NAME', z.string().min(1).optional()),
    tlsCaFile: setting('TEMPORAL_TLS_CA_FILE', z.string().min(1).optional()),
    tlsCertFile: setting('TEMPORAL_TLS_CERT_FILE', z.string().min(1).optional()),
    tlsKeyFile: setting('TEMPORAL_TLS_KEY_FILE', z.string().min(1).optional()),
    apiKey: secret('TEMPORAL_API_KEY', z.string().min(1).optional()),
  },
  codec: {
    /** JSON map of key id to base64 AES-256 key; old keys stay here to decrypt old histories. */
    keys: secret('CODEC_KEYS', codecKeys),
    activeKeyId: setting('CODEC_ACTIVE_KEY_ID', z.string().min(1)),
    serverPort: setting('CODEC_SERVER_PORT', port.default(8888)),
    /** Web UI origins the browser may call the codec server from; the local UI answers on both names. */
    corsOrigins: setting(
      'CODEC_CORS_ORIGINS',
      list.default(['http://localhost:8233', 'http://127.0.0.1:8233']),
    ),
    /** Static bearer token the codec server accepts (the CLI's `--codec-auth`, services). */
    serverToken: secret('CODEC_SERVER_TOKEN', z.string().min(16).optional()),
    /**
     * The identity provider whose access tokens the Web UI forwards (TEMPORAL_CODEC_PASS_ACCESS_TOKEN):
     * the codec server verifies them as JWTs against its JWKS. Without auth configured the codec
     * server decodes for anyone, and refuses to start in production (PLAT-15).
     */
    auth: {
      jwksUrl: setting('CODEC_AUTH_JWKS_URL', url.optional()),
      issuer: setting('CODEC_AUTH_ISSUER', z.string().min(1).optional()),
      audience: setting('CODEC_AUTH_AUDIENCE', list.optional()),
      /** The claim holding the user's groups or roles (a string or an array of strings). */
      groupsClaim: setting('CODEC_AUTH_GROUPS_CLAIM', z.string().min(1).default('groups')),
      /** When set, a token must carry at least one of these in the groups claim. */
      requiredGroups: setting('CODEC_AUTH_REQUIRED_GROUPS', list.default([])),
    },
  },
  worker: {
    metricsPort: setting('WORKER_METRICS_PORT', port.default(9464)),
    schedulesEnabled: setting('SCHEDULES_ENABLED', bool.default(true)),
    maxConcurrentActivities: setting(
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
      z.coerce.number().int().positive().default(100),
    ),
    // Workflows waiting a day for their next attempt gain nothing from the cache; 250 holds every
    // workflow with an activity in flight and keeps the worker near 350 MB (bench/README.md).
    maxCachedWorkflows: setting(
      'WORKER_MAX_CACHED_WORKFLOWS',
      z.coerce.number().int().positive().default(250),
    ),
  },
  smtp: {
    host: setting('SMTP_HOST', z.string().min(1).default('localhost')),
    port: setting('SMTP_PORT', port.default(1025)),
    secure: setting('SMTP_SECURE', bool.default(false)),
    user: setting('SMTP_USER', z.string().min(1).optional()),
    password: secret('SMTP_PASSWORD', z.string().min(1).optional()),
    from: setting('MAIL_FROM', z.email().default('integrations@localhost.test')),
    operatorRecipients: setting('MAIL_OPERATOR_RECIPIENTS', emailList.default(['operators@localhost.test'])),
  },
  coachview: {
    apiBaseUrl: setting('COACHVIEW_API_URL', url.default('http://localhost:4010')),
    clientId: setting('COACHVIEW_CLIENT_ID', z.string().min(1).default('integrations')),
    clientSecret: secret('COACHVIEW_CLIENT_SECRET', z.string().min(1).default('local-client-secret')),
    /** The e-learning result push endpoint (HMAC-signed). */
    resultPushUrl: setting(
      'COACHVIEW_RESULT_PUSH_URL',
      url.default('http://localhost:4010/elearning/results'),
    ),
    pushSecret: secret('COACHVIEW_PUSH_SECRET', z.string().min(8).default('local-push-secret')),
    /** Coachview's time zone: the grade return's attempt window is read in it (CV-6). */
    timeZone: setting('COACHVIEW_TIME_ZONE', elearningTimeZone),
    /** How old the shared snapshot of Coachview's persons and course components may be, in minutes (CV-6). */
    snapshotMaxAgeMinutes: setting(
      'COACHVIEW_SNAPSHOT_MAX_AGE_MINUTES',
      z.coerce.number().int().min(1).max(720).default(60),
    ),
  },
  moodle: {
    baseUrl: setting('MOODLE_URL', url.default('http://localhost:4020')),
    token: secret('MOODLE_TOKEN', z.string().min(1).default('local-moodle-token')),
    pollEvery: setting('MOODLE_POLL_EVERY', z.string().min(1).default('15m')),
    /** The poll's one lookback rule (`lookbackDaysRange`), also checked by its workflow and activity. */
    lookbackDays: setting(
      'MOODLE_LOOKBACK_DAYS',
      z.coerce
        .number()
        .int()
        .min(lookbackDaysRange.min)
        .max(lookbackDaysRange.max)
        .default(lookbackDaysRange.default),
    ),
  },
  intake: {
    port: setting('INTAKE_PORT', port.default(8090)),
    iliasSecret: secret('INTAKE_ILIAS_SECRET', z.string().min(8).default('local-ilias-secret')),
    anewspringSecret: secret(
      'INTAKE_ANEWSPRING_SECRET',
      z.string().min(8).default('local-anewspring-secret'),
    ),
    /** A signed delivery is accepted this long either side of its timestamp (clock skew both ways). */
    signatureToleranceSeconds: setting(
      'INTAKE_SIGNATURE_TOLERANCE_SECONDS',
      z.coerce.number().int().min(30).max(3600).default(300),
    ),
    /** The secret of WISEflow's webhook registration; unset: no `/webhooks/wiseflow` route (WF-5). */
    wiseflowSecret: secret('INTAKE_WISEFLOW_SECRET', z.string().min(8).optional()),
  },
  rosterSync: {
    enabled: setting('ROSTER_SYNC_ENABLED', bool.default(false)),
    integrationId: setting('ROSTER_INTEGRATION_ID', z.string().min(1).default('procapita-itslearning')),
    /** Read ProCapita's database, or a JSON fixture of the same rows (demo, tests). */
    source: setting(
      'ROSTER_SOURCE',
      z.enum(['procapita-db', 'procapita-fixture']).default('procapita-fixture'),
    ),
    fixturePath: setting('PROCAPITA_FIXTURE', z.string().min(1).default('.data/procapita-fixture.json')),
    connectionString: secret('PROCAPITA_CONNECTION_STRING', z.string().min(1).optional()),
    /** JSON file: schools to export, teaching-group marker, national id on or off (PC-2, PC-6, PC-7). */
    readerConfigFile: setting('PROCAPITA_READER_CONFIG', z.string().min(1).optional()),
    emailMappingCsv: setting('PROCAPITA_EMAIL_MAPPING_CSV', z.string().min(1).optional()),
    itslearningUrl: setting('ITSLEARNING_URL', url.default('http://localhost:4050')),
    itslearningApiKey: secret('ITSLEARNING_API_KEY', z.string().min(1).optional()),
    syncKeySource: setting(
      'ROSTER_SYNC_KEY_SOURCE',
      // Sent as sourcedid/source in every IMS Enterprise record (IMSE-12).
      z
        .string()
        .min(1)
        .max(32, 'IMS Enterprise 1.1 allows at most 32 characters in sourcedid/source')
        .default('procapita'),
    ),
    /**
     * IMSE-8: a course the integration created whose group left the source is archived, not deleted.
     * Must match the itslearning site's "Course archiving" setting (docs/roster-sync.md).
     */
    courseArchiving: setting('ROSTER_COURSE_ARCHIVING', bool.default(true)),
    storeDir: setting('STORE_DIR', z.string().min(1).default('.data/store')),
    /** Daily run after working hours (PC-9), local time in `timezone`. */
    dailyAt: setting(
      'ROSTER_SYNC_DAILY_AT',
      z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
        .default('18:30'),
    ),
    timezone: setting('ROSTER_SYNC_TIMEZONE', z.string().min(1).default('Europe/Stockholm')),
    /** JSON file of safety filter thresholds; defaults apply to what it leaves out (IMSE-3). */
    safetyThresholdsFile: setting('ROSTER_SAFETY_THRESHOLDS_FILE', z.string().min(1).optional()),
    batchSize: setting('ROSTER_BATCH_SIZE', z.coerce.number().int().min(1).max(10_000).default(1000)),
    statusRecipients: setting('ROSTER_STATUS_RECIPIENTS', emailList.default(['operators@localhost.test'])),
  },
  /** Praktikportalen → WISEflow flow syncs (WF-1..WF-6, docs/wiseflow.md). */
  wiseflow: {
    /** Run the `wiseflow` task queue in this worker process. */
    enabled: setting('WISEFLOW_ENABLED', bool.default(false)),
    /** The API base, e.g. https://europe-api.wiseflow.net/v1 (REFERENCE.md). */
    apiUrl: setting('WISEFLOW_API_URL', url.default('http://localhost:4060/v1')),
    clientId: setting('WISEFLOW_CLIENT_ID', z.string().min(1).default('integrations')),
    clientSecret: secret('WISEFLOW_CLIENT_SECRET', z.string().min(1).default('local-wiseflow-secret')),
    /** Sent as `X-Client-Name` with every call. */
    clientName: setting('WISEFLOW_CLIENT_NAME', z.string().min(1).default('school-integrations')),
    /** The licence's user data type of the Praktikportalen id (WF-4); unset: the one named Praktikportalen. */
    praktikportalenUserDataTypeId: setting(
      'WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID',
      z.coerce.number().int().positive().optional(),
    ),
    /** How often a linked flow is synced between update requests (WF-3); a link may set its own. */
    syncEveryMinutes: setting(
      'WISEFLOW_SYNC_EVERY_MINUTES',
      z.coerce
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
    ),
    praktikportalenUrl: setting('PRAKTIKPORTALEN_API_URL', url.default('http://localhost:4070/api/v1')),
    praktikportalenApiKey: secret(
      'PRAKTIKPORTALEN_API_KEY',
      z.string().min(1).default('local-praktikportalen-key'),
    ),
  },
  /** InfoCaption course results → WinLas competences (CW-1..CW-9, docs/competences.md). */
  competences: {
    /** Run the `competences` task queue (competence links and their sync) in this worker process. */
    enabled: setting('COMPETENCES_ENABLED', bool.default(false)),
    infocaptionUrl: setting('INFOCAPTION_URL', url.default('http://localhost:4080')),
    infocaptionClientId: setting('INFOCAPTION_CLIENT_ID', z.string().min(1).default('integrations')),
    infocaptionClientSecret: secret(
      'INFOCAPTION_CLIENT_SECRET',
      z.string().min(1).default('local-infocaption-secret'),
    ),
    winlasUrl: setting('WINLAS_URL', url.default('http://localhost:4090')),
    winlasApiKey: secret('WINLAS_API_KEY', z.string().min(1).default('local-winlas-key')),
    /** The pass date is the day of completion in this time zone; valid-to counts from it (CW-6). */
    timeZone: setting(
      'COMPETENCES_TIME_ZONE',
      z
        .string()
        .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Stockholm')
        .default('Europe/Stockholm'),
    ),
    /** How often every active link registers new passes (CW-2). */
    syncEvery: setting(
      'COMPETENCES_SYNC_EVERY',
      z
        .string()
        .regex(/^[1-9]\d*m$/, 'must be minutes, e.g. 5m')
        .default('5m'),
    ),
    /** The daily e-mail of unmatched participants (CW-3), local time in COMPETENCES_TIME_ZONE. */
    reportAt: setting(
      'COMPETENCES_REPORT_AT',
      z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
        .default('07:00'),
    ),
    reportRecipients: setting(
      'COMPETENCES_REPORT_RECIPIENTS',
      emailList.default(['operators@localhost.test']),
    ),
    /** Results per InfoCaption page and participants handled at once (throughput within the rate budgets). */
    hitsPerPage: setting('COMPETENCES_HITS_PER_PAGE', z.coerce.number().int().min(1).max(1000).default(100)),
    concurrency: setting('COMPETENCES_CONCURRENCY', z.coerce.number().int().min(1).max(64).default(8)),
  },
  /** The platform's own PostgreSQL (PLAT-12): its own database and role, never Temporal's. */
  database: {
    url: secret('DATABASE_URL', postgresUrl.optional()),
    /** `off`; `require` (encrypted, server certificate not checked); `verify` (checked against the CA file or the system CAs). */
    tls: setting('DATABASE_TLS', z.enum(['off', 'require', 'verify']).default('off')),
    tlsCaFile: setting('DATABASE_TLS_CA_FILE', z.string().min(1).optional()),
    poolSize: setting('DATABASE_POOL_SIZE', z.coerce.number().int().min(1).max(100).default(10)),
  },
  /** Where large data kept out of histories lives (PLAT-12, docs/shared-state.md). */
  store: {
    /** `local`: the folder STORE_DIR (one machine); `postgres`: the platform's database, shared by every worker. */
    backend: setting('STORE_BACKEND', z.enum(['local', 'postgres']).default('local')),
    /**
     * Production refuses `local` for a worker's grade return or competences (a container's folder is
     * lost when it is replaced, and replicas do not share it) unless this says the one worker has a
     * persistent STORE_DIR. Never for the roster sync.
     */
    allowLocalInProduction: setting('STORE_ALLOW_LOCAL_IN_PRODUCTION', bool.default(false)),
    /** Stored snapshots and plans hold personal data: removed this many days after they were written. */
    retentionDays: setting(
      'STORE_RETENTION_DAYS',
      // A run may wait up to 14 days for approval and still needs its plan.
      z.coerce
        .number()
        .int()
        .min(15, 'must be at least 15 (a run may wait 14 days for approval)')
        .max(3650)
        .default(30),
    ),
  },
  /** Rate budgets of outside APIs (PLAT-16, docs/rate-budgets.md). */
  rateBudgets: {
    /** JSON of budgets by name, each replacing the declared default of that name (platform/rate-budget/config.ts). */
    budgets: setting('RATE_BUDGETS', rateBudgetsSetting),
    /** Where budgets are counted; unset: PostgreSQL when DATABASE_URL is set (shared by every worker), else memory. */
    store: setting('RATE_BUDGET_STORE', z.enum(['memory', 'postgres']).optional()),
  },
  gradeReturn: {
    /** Run the grade-return task queue in this worker process (a deployment may split lifecycles). */
    enabled: setting('GRADE_RETURN_ENABLED', bool.default(true)),
    /**
     * When the daily attempts run, `HH:MM-HH:MM` in COACHVIEW_TIME_ZONE (CV-6): each run at its own slot
     * in it. `00:00-24:00` is the whole day.
     */
    attemptWindow: setting(
      'GRADE_RETURN_ATTEMPT_WINDOW',
      z
        .string()
        .default('00:00-24:00')
        .transform((text, ctx) => {
          const window = parseAttemptWindow(text);
          if (!window) {
            ctx.addIssue({
              code: 'custom',
              message:
                'must be HH:MM-HH:MM with the end after the start, e.g. 06:00-20:00 (24:00 ends the day)',
            });
            return z.NEVER;
          }
          return window;
        }),
    ),
    maxDailyAttempts: setting(
      'GRADE_RETURN_MAX_DAILY_ATTEMPTS',
      z.coerce.number().int().min(1).max(365).default(30),
    ),
    /** Each e-learning system's time zone: the day of completion there is the approval date (CV-2). */
    timeZones: {
      moodle: setting('MOODLE_TIME_ZONE', elearningTimeZone),
      ilias: setting('ILIAS_TIME_ZONE', elearningTimeZone),
      anewspring: setting('ANEWSPRING_TIME_ZONE', elearningTimeZone),
    },
  },
} satisfies Spec;

export type AppConfig = Parsed<typeof configSpec>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

function isField(v: FieldSpec | Spec): v is FieldSpec {
  return typeof (v as FieldSpec).env === 'string' && (v as FieldSpec).schema instanceof z.ZodType;
}

/** The value, and whether it came from a `_FILE` that is empty (which reads as "not set"). */
function readRaw(field: FieldSpec, env: Env, problems: string[]): { raw?: string; emptyFile?: boolean } {
  const direct = env[field.env];
  const file = field.secret ? env[`${field.env}_FILE`] : undefined;
  if (direct !== undefined && direct !== '') return { raw: direct };
  if (file) {
    try {
      const content = readFileSync(file, 'utf8').trim();
      return content ? { raw: content } : { emptyFile: true };
    } catch {
      problems.push(`${field.env}_FILE: cannot read the file ${file}`);
    }
  }
  return {};
}

/** Placeholder values of deploy/ that are never a real secret. */
const PLACEHOLDER_SECRETS = new Set(['CHANGE-ME']);

/** A secret production refuses (PLAT-15), with the path of its field, e.g. `coachview.pushSecret`. */
interface UnsafeSecret {
  path: string;
  problem: string;
}

/**
 * Production takes no empty secret file, no secret left to its well-known local default and no
 * placeholder; the message names the variable, never the value.
 */
function unsafeSecret(field: FieldSpec, read: { raw?: string; emptyFile?: boolean }): string | undefined {
  const names = `${field.env} (or ${field.env}_FILE)`;
  if (read.emptyFile) return `${field.env}_FILE: names an empty file; production takes no empty secret`;
  const fallback = field.schema.safeParse(undefined);
  const localDefault = fallback.success && fallback.data !== undefined ? String(fallback.data) : undefined;
  if (read.raw === undefined && localDefault !== undefined) {
    return `${names}: is not set; production takes no well-known local default secret`;
  }
  if (read.raw !== undefined && (read.raw === localDefault || PLACEHOLDER_SECRETS.has(read.raw))) {
    return `${names}: is a well-known local default or placeholder; production needs its own secret`;
  }
  return undefined;
}

function parseSpec(
  spec: Spec,
  env: Env,
  problems: string[],
  unsafe: UnsafeSecret[],
  prefix = '',
): Record<string, unknown> {
  const production = env.APP_ENV === 'production';
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!isField(value)) {
      out[key] = parseSpec(value, env, problems, unsafe, `${prefix}${key}.`);
      continue;
    }
    const read = readRaw(value, env, problems);
    const raw = read.raw;
    if (production && value.secret) {
      const problem = unsafeSecret(value, read);
      if (problem) unsafe.push({ path: `${prefix}${key}`, problem });
    }
    const result = value.schema.safeParse(raw);
    if (!result.success) {
      const why = result.error.issues.map((i) =>
        raw === undefined && i.code === 'invalid_type' ? 'is required' : i.message,
      );
      problems.push(
        `${value.env}${value.secret ? ` (or ${value.env}_FILE)` : ''}: ${[...new Set(why)].join('; ')}`,
      );
      continue;
    }
    out[key] = value.secret && result.data !== undefined ? new Secret(result.data) : result.data;
  }
  return out;
}

/** Parses a configuration spec from the environment; throws one {@link ConfigError} naming every bad field. */
export function parseConfig<S extends Spec>(spec: S, env: Env = process.env): Parsed<S> {
  const problems: string[] = [];
  const unsafe: UnsafeSecret[] = [];
  const parsed = parseSpec(spec, env, problems, unsafe);
  problems.push(...unsafe.map((u) => u.problem));
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed as Parsed<S>;
}

type PartialConfig = { [K in keyof AppConfig]?: Partial<AppConfig[K]> };

export interface LoadConfigOptions {
  /**
   * Which secrets this process reads, by field path (`coachview.pushSecret`): production refuses
   * defaults and empty files only for those. Defaults to {@link workerSecrets}.
   */
  usesSecret?: (path: string, config: PartialConfig) => boolean;
  /**
   * True for a worker, which opens the snapshot store for the lifecycles it runs: production then
   * refuses a local store it would lose (the intake and the codec server never open it).
   */
  opensStore?: boolean;
}

/**
 * A worker reads the grade-return secrets (Coachview, Moodle) only when it runs grade returns, and
 * never the intake's webhook secrets (the intake is its own process, services/intake/main.ts).
 */
export function workerSecrets(path: string, config: PartialConfig): boolean {
  const section = path.split('.')[0];
  if (section === 'intake') return false;
  if (section === 'coachview' || section === 'moodle') return config.gradeReturn?.enabled !== false;
  if (section === 'competences') return config.competences?.enabled === true;
  if (section === 'wiseflow') return config.wiseflow?.enabled === true;
  return true;
}

/** The completion intake reads its webhook secrets, the codec keys, Temporal's API key and its database. */
export function intakeSecrets(path: string): boolean {
  return ['intake', 'codec', 'temporal', 'database'].includes(path.split('.')[0] ?? '');
}

/**
 * The outside systems' addresses and client ids of a lifecycle that runs in production must be this
 * deployment's own (PLAT-15): their local defaults point at the simulators, and deploy/'s CHANGE-ME
 * is no choice. Names each such variable.
 */
function unchosenProductionSettings(env: Env, config: PartialConfig, named: string[]): string[] {
  if (env.APP_ENV !== 'production') return [];
  const required = [
    ...(config.competences?.enabled ? ['INFOCAPTION_URL', 'INFOCAPTION_CLIENT_ID', 'WINLAS_URL'] : []),
    ...(config.wiseflow?.enabled
      ? ['WISEFLOW_API_URL', 'WISEFLOW_CLIENT_ID', 'PRAKTIKPORTALEN_API_URL']
      : []),
  ].filter((name) => !named.some((problem) => problem.startsWith(`${name}:`)));
  return required.flatMap((name) => {
    const value = env[name]?.trim();
    if (!value)
      return [`${name}: is not set; production takes no local default here, set this deployment's own`];
    if (value === 'CHANGE-ME') return [`${name}: is CHANGE-ME; set this deployment's own`];
    return [];
  });
}

/**
 * A production worker whose grade return or competences keep their snapshots in a local folder
 * would lose them with the container and not share them between replicas (PLAT-12).
 */
function localStoreInProduction(config: AppConfig): string[] {
  const { store } = config;
  if (config.environment !== 'production' || store.backend === 'postgres' || store.allowLocalInProduction)
    return [];
  const users = [
    ...(config.gradeReturn.enabled ? ['GRADE_RETURN_ENABLED=true'] : []),
    ...(config.competences.enabled ? ['COMPETENCES_ENABLED=true'] : []),
  ];
  if (users.length === 0) return [];
  return [
    `STORE_BACKEND: must be postgres in production when ${users.join(' or ')} (a local folder is lost ` +
      'when the container is replaced and not shared by replicas; PLAT-12); set ' +
      'STORE_ALLOW_LOCAL_IN_PRODUCTION=true only for a single worker whose STORE_DIR is a persistent volume',
  ];
}

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): AppConfig {
  const parseProblems: string[] = [];
  const unsafe: UnsafeSecret[] = [];
  const partial = parseSpec(configSpec, env, parseProblems, unsafe) as PartialConfig;
  const usesSecret = options.usesSecret ?? workerSecrets;
  parseProblems.push(...unsafe.filter((u) => usesSecret(u.path, partial)).map((u) => u.problem));
  parseProblems.push(...unchosenProductionSettings(env, partial, parseProblems));
  if (parseProblems.length > 0) throw new ConfigError(parseProblems);
  const config = partial as AppConfig;
  const problems: string[] = [];
  const keys = config.codec.keys.reveal();
  if (!(config.codec.activeKeyId in keys))
    problems.push('CODEC_ACTIVE_KEY_ID: must name one of the keys in CODEC_KEYS');
  const t = config.temporal;
  if (Boolean(t.tlsCertFile) !== Boolean(t.tlsKeyFile)) {
    problems.push('TEMPORAL_TLS_CERT_FILE / TEMPORAL_TLS_KEY_FILE: set both for mTLS, or neither');
  }
  const r = config.rosterSync;
  if (!config.gradeReturn.enabled && !r.enabled && !config.competences.enabled && !config.wiseflow.enabled) {
    problems.push(
      'GRADE_RETURN_ENABLED / ROSTER_SYNC_ENABLED: both are false, so this worker would run nothing',
    );
  }
  if (config.rateBudgets.store === 'postgres' && !config.database.url) {
    problems.push('RATE_BUDGET_STORE: postgres needs DATABASE_URL (or DATABASE_URL_FILE)');
  }
  if (config.store.backend === 'postgres' && !config.database.url) {
    problems.push('DATABASE_URL (or DATABASE_URL_FILE): is required when STORE_BACKEND=postgres');
  }
  if (config.environment === 'production' && r.enabled && config.store.backend !== 'postgres') {
    problems.push(
      'STORE_BACKEND: must be postgres in production when ROSTER_SYNC_ENABLED=true (worker replicas share no disk; PLAT-12)',
    );
  } else if (options.opensStore) {
    problems.push(...localStoreInProduction(config));
  }
  if (r.enabled && r.source === 'procapita-db' && !r.connectionString) {
    problems.push(
      'PROCAPITA_CONNECTION_STRING (or PROCAPITA_CONNECTION_STRING_FILE): is required when ROSTER_SOURCE=procapita-db',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Start-up helper for entry points: load the config or print the one message and exit. */
export function loadConfigOrExit(env: Env = process.env, options: LoadConfigOptions = {}): AppConfig {
  try {
    return loadConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
