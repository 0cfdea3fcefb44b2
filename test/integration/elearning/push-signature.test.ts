import { signPayload, toCompletion, verifySignature, webhookSchemas } from '../../../adapters/elearning-push';
import { Secret } from '../../../platform/secret';
import { signBody } from '../../../simulators/elearning-common';

const secret = new Secret('a-shared-secret');
const body = Buffer.from('{"event":"course.completed"}');

describe('e-learning webhook signatures and payloads', () => {
  it('accepts the signature the simulators compute over the same bytes', () => {
    expect(verifySignature(body, signBody(body.toString(), 'a-shared-secret'), secret)).toBe(true);
    expect(verifySignature(body, signPayload(body, secret), secret)).toBe(true);
  });

  it('rejects a missing, malformed, wrong-key or changed-body signature', () => {
    const good = signPayload(body, secret);
    expect(verifySignature(body, undefined, secret)).toBe(false);
    expect(verifySignature(body, 'sha256=abc', secret)).toBe(false);
    expect(verifySignature(body, good.replace('sha256=', ''), secret)).toBe(false);
    expect(verifySignature(body, signPayload(body, new Secret('other')), secret)).toBe(false);
    expect(verifySignature(Buffer.from(`${body.toString()} `), good, secret)).toBe(false);
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
