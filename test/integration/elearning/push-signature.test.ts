import { signDelivery, toCompletion, verifyDelivery, webhookSchemas } from '../../../adapters/elearning-push';
import { Secret } from '../../../platform/secret';
import { signBody } from '../../../simulators/elearning-common';

const secret = new Secret('a-shared-secret');
const body = Buffer.from('{"event":"course.completed"}');
const deliveryId = '0f8c7a52-2b1e-4d8a-9a57-3a1f6f0e2c11';
const now = 1_780_000_000;
const check = (over: Partial<Parameters<typeof verifyDelivery>[0]> = {}, key = secret) =>
  verifyDelivery(
    {
      rawBody: body,
      signature: signDelivery({ rawBody: body, deliveryId, timestamp: now }, secret),
      deliveryId,
      now,
      toleranceSeconds: 300,
      ...over,
    },
    key,
  );

describe('e-learning webhook signatures and payloads', () => {
  it('[PLAT-15] accepts the signature the simulators compute over timestamp, delivery id and the same bytes', () => {
    expect(check({ signature: signBody(body.toString(), 'a-shared-secret', deliveryId, now) })).toEqual({
      ok: true,
      deliveryId,
      timestamp: now,
    });
    expect(check().ok).toBe(true);
  });

  it('[PLAT-15] refuses a missing, malformed or wrong-key signature, and a changed body, delivery id or timestamp', () => {
    const good = signDelivery({ rawBody: body, deliveryId, timestamp: now }, secret);
    const reason = (over: Partial<Parameters<typeof verifyDelivery>[0]>, key = secret) => {
      const result = check(over, key);
      return result.ok ? 'ok' : result.reason;
    };
    expect(reason({ signature: undefined })).toBe('missing');
    expect(reason({ deliveryId: undefined })).toBe('missing');
    expect(reason({ deliveryId: 'has spaces' })).toBe('malformed');
    expect(reason({ signature: 'sha256=abc' })).toBe('malformed');
    expect(reason({ signature: good.replace(/^t=\d+,/, '') })).toBe('malformed');
    expect(reason({}, new Secret('other-secret'))).toBe('mismatch');
    expect(reason({ rawBody: Buffer.from(`${body.toString()} `) })).toBe('mismatch');
    expect(reason({ deliveryId: 'another-delivery' })).toBe('mismatch');
    expect(reason({ signature: good.replace(`t=${now}`, `t=${now + 60}`), now: now + 60 })).toBe('mismatch');
  });

  it('[PLAT-15] refuses a delivery signed longer ago, or further ahead, than the tolerance; skew within it passes', () => {
    expect(check({ now: now + 300 }).ok).toBe(true);
    expect(check({ now: now - 300 }).ok).toBe(true);
    expect(check({ now: now + 301 })).toMatchObject({ ok: false, reason: 'stale' });
    expect(check({ now: now - 301 })).toMatchObject({ ok: false, reason: 'future' });
  });

  it('[CV-5] uses the Ilias user id when no external account is set', () => {
    const payload = webhookSchemas.ilias.parse({
      event: 'lp_status_changed',
      client_id: 'default',
      usr_id: 281,
      ext_account: null,
      obj_id: 312,
      ref_id: 77,
      obj_type: 'crs',
      status: 2,
      mark: ' 7,5 ',
      status_changed: '2026-03-01T10:15:00+01:00',
    });
    expect(toCompletion('ilias', payload)).toEqual({
      source: 'ilias',
      learnerId: '281',
      courseId: '77',
      grade: '7,5',
      completedAt: '2026-03-01T10:15:00+01:00',
    });
  });
});
