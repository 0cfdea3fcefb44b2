import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { pollMoodleCompletionsInputSchema } from '../../../activities/moodle-poll/activities';
import { checkMoodlePollInput, lookbackDaysRange } from '../../../domain/grade-return/input-check';
import { ConfigError, loadConfig } from '../../../platform/config';
import { createLogger } from '../../../platform/logging';
import { Secret } from '../../../platform/secret';
import { temporalConnectionSettings } from '../../../platform/temporal';
import { problemsOf } from '../../support/config-problems';

const key = Buffer.alloc(32, 7).toString('base64');
const valid = { CODEC_KEYS: JSON.stringify({ k1: key }), CODEC_ACTIVE_KEY_ID: 'k1' };

it('[PLAT-4] a valid environment gives typed configuration with local defaults', () => {
  const config = loadConfig(valid);
  expect(config.temporal).toMatchObject({ address: 'localhost:7233', namespace: 'default', tls: false });
  expect(config.gradeReturn.maxDailyAttempts).toBe(30);
  expect(config.smtp.operatorRecipients).toEqual(['operators@localhost.test']);
});

it('[PLAT-4] an invalid configuration stops with one message naming every bad field', () => {
  const env = {
    CODEC_KEYS: '{not json',
    TEMPORAL_TLS: 'maybe',
    SMTP_PORT: '99999',
    COACHVIEW_API_URL: 'not a url',
    MAIL_OPERATOR_RECIPIENTS: 'ops@school.test, nope',
    GRADE_RETURN_MAX_DAILY_ATTEMPTS: '0',
  };
  let error: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  for (const name of [
    'CODEC_KEYS',
    'CODEC_ACTIVE_KEY_ID',
    'TEMPORAL_TLS',
    'SMTP_PORT',
    'COACHVIEW_API_URL',
    'MAIL_OPERATOR_RECIPIENTS',
    'GRADE_RETURN_MAX_DAILY_ATTEMPTS',
  ]) {
    expect(message).toContain(name);
  }
  expect((error as ConfigError).problems).toHaveLength(7);
});

it('[PLAT-4] a bad secret is named but its value never appears in the message', () => {
  const secretValue = 'hunter2-but-way-too-short';
  const problems = problemsOf({
    ...valid,
    CODEC_SERVER_TOKEN: 'short',
    SMTP_PASSWORD: secretValue,
    SMTP_PORT: secretValue,
  });
  expect(problems.join('\n')).toContain('CODEC_SERVER_TOKEN');
  expect(problems.join('\n')).not.toContain('short"');
  expect(problems.join('\n')).not.toContain(secretValue);
});

it('[PLAT-4] the active key must be one of the configured keys, and mTLS needs both files', () => {
  const problems = problemsOf({
    ...valid,
    CODEC_ACTIVE_KEY_ID: 'k2',
    TEMPORAL_TLS_CERT_FILE: '/etc/cert.pem',
  });
  expect(problems).toEqual([
    expect.stringContaining('CODEC_ACTIVE_KEY_ID'),
    expect.stringContaining('TEMPORAL_TLS_CERT_FILE / TEMPORAL_TLS_KEY_FILE'),
  ]);
});

it('[PLAT-4] a worker with every lifecycle switched off is refused', () => {
  expect(problemsOf({ ...valid, GRADE_RETURN_ENABLED: 'false' })).toEqual([
    expect.stringContaining('GRADE_RETURN_ENABLED / ROSTER_SYNC_ENABLED'),
  ]);
  expect(problemsOf({ ...valid, GRADE_RETURN_ENABLED: 'false', ROSTER_SYNC_ENABLED: 'true' })).toEqual([]);
});

it('[PLAT-4] secrets are read from *_FILE, and an empty file counts as unset', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ k1: key }) + '\n');
  writeFileSync(path.join(dir, 'smtp-password'), '');
  writeFileSync(path.join(dir, 'api-key'), 'cloud-api-key-123\n');
  const config = loadConfig({
    CODEC_KEYS_FILE: path.join(dir, 'keys.json'),
    CODEC_ACTIVE_KEY_ID: 'k1',
    SMTP_PASSWORD_FILE: path.join(dir, 'smtp-password'),
    TEMPORAL_API_KEY_FILE: path.join(dir, 'api-key'),
  });
  expect(config.codec.keys.reveal()).toEqual({ k1: key });
  expect(config.smtp.password).toBeUndefined();
  expect(config.temporal.apiKey?.reveal()).toBe('cloud-api-key-123');
  expect(problemsOf({ ...valid, CODEC_KEYS: '', CODEC_KEYS_FILE: path.join(dir, 'missing') })).toEqual([
    expect.stringContaining('CODEC_KEYS_FILE: cannot read the file'),
    expect.stringContaining('CODEC_KEYS (or CODEC_KEYS_FILE): is required'),
  ]);
});

it('[PLAT-4] secrets never print: not in JSON, inspect, string conversion or logs', () => {
  const config = loadConfig({
    ...valid,
    COACHVIEW_PUSH_SECRET: 'push-secret-value',
    TEMPORAL_API_KEY: 'api-key-value',
  });
  const dumps = [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.coachview.pushSecret)];
  for (const dump of dumps) {
    expect(dump).not.toContain('push-secret-value');
    expect(dump).not.toContain('api-key-value');
    expect(dump).not.toContain(key);
  }
  const lines: string[] = [];
  const logger = createLogger('info', 'test');
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    logger.info({ config }, 'configuration loaded');
    logger.flush();
  } finally {
    write.mockRestore();
  }
  expect(lines.join('')).not.toContain('push-secret-value');
});

it('[PLAT-3] TLS, mTLS and API key connections come from configuration alone', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
  for (const f of ['ca.pem', 'client.pem', 'client.key']) writeFileSync(path.join(dir, f), `-----${f}-----`);
  const plain = temporalConnectionSettings(loadConfig(valid).temporal);
  expect(plain).toEqual({ address: 'localhost:7233', tls: undefined, apiKey: undefined });

  const mtls = temporalConnectionSettings(
    loadConfig({
      ...valid,
      TEMPORAL_ADDRESS: 'prod.tmprl.example:7233',
      TEMPORAL_TLS_CA_FILE: path.join(dir, 'ca.pem'),
      TEMPORAL_TLS_CERT_FILE: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY_FILE: path.join(dir, 'client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'prod.tmprl.example',
    }).temporal,
  );
  expect(mtls.address).toBe('prod.tmprl.example:7233');
  expect(mtls.tls).toMatchObject({ serverNameOverride: 'prod.tmprl.example' });
  const pair = (mtls.tls as { clientCertPair?: { crt: Uint8Array } }).clientCertPair;
  expect(Buffer.from(pair?.crt ?? []).toString()).toBe('-----client.pem-----');

  const apiKey = temporalConnectionSettings(loadConfig({ ...valid, TEMPORAL_API_KEY: 'k-123' }).temporal);
  expect(apiKey).toEqual({ address: 'localhost:7233', tls: true, apiKey: 'k-123' });
  expect(new Secret('x').toString()).toBe('[redacted]');
});

it('[CV-4] the Moodle poll’s lookback follows the one rule its workflow and activity check, at start-up', () => {
  expect(loadConfig({ ...valid, MOODLE_LOOKBACK_DAYS: '90' }).moodle.lookbackDays).toBe(90);
  expect(loadConfig(valid).moodle.lookbackDays).toBe(lookbackDaysRange.default);
  const problems = problemsOf({ ...valid, MOODLE_LOOKBACK_DAYS: String(lookbackDaysRange.max + 1) });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('MOODLE_LOOKBACK_DAYS');
  expect(checkMoodlePollInput({ lookbackDays: lookbackDaysRange.max + 1 }).ok).toBe(false);
  expect(
    pollMoodleCompletionsInputSchema.safeParse({ lookbackDays: lookbackDaysRange.max + 1 }).success,
  ).toBe(false);
});

it('[CV-2] each e-learning system’s time zone is configurable, Europe/Amsterdam by default, checked at start-up', () => {
  expect(loadConfig(valid).gradeReturn.timeZones).toEqual({
    moodle: 'Europe/Amsterdam',
    ilias: 'Europe/Amsterdam',
    anewspring: 'Europe/Amsterdam',
  });
  expect(loadConfig({ ...valid, ILIAS_TIME_ZONE: 'Europe/Berlin' }).gradeReturn.timeZones.ilias).toBe(
    'Europe/Berlin',
  );
  const problems = problemsOf({ ...valid, MOODLE_TIME_ZONE: 'Mars/Olympus' });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('MOODLE_TIME_ZONE');
});
