import { Secret } from '../../../platform/secret';
import { startIntakeServer, type IntakeServer } from '../../../services/intake';
import { startIliasSimulator, type IliasSimulator } from '../../../simulators/ilias';
import { fakeGradeReturnStarter } from './fakes';
import { signedHeaders } from './signed';

const SECRET = 'ilias-shared-secret';

describe('Ilias simulator -> intake server over HTTP', () => {
  const starter = fakeGradeReturnStarter();
  let intake: IntakeServer;
  let ilias: IliasSimulator;

  beforeAll(async () => {
    intake = await startIntakeServer({
      port: 0,
      host: '127.0.0.1',
      secrets: { ilias: new Secret(SECRET), anewspring: new Secret('unused-anewspring-secret') },
      startGradeReturn: starter.start,
    });
    ilias = await startIliasSimulator({
      webhookUrl: `${intake.url}/webhooks/ilias`,
      webhookSecret: SECRET,
      retryDelaysMs: [20, 50],
    });
    ilias.state.seed({
      users: [
        { usr_id: 281, login: 'anna', ext_account: 'CV-1001' },
        { usr_id: 282, login: 'bram' },
      ],
      courses: [{ obj_id: 312, ref_id: 77, title: 'Veilig werken' }],
    });
  });
  afterEach(() => {
    starter.calls.length = 0;
    ilias.state.webhook.secret = SECRET;
  });
  afterAll(async () => {
    await ilias.close();
    await intake.close();
  });

  it('[CV-1] [CV-5] a completion arrives as one grade-return start with the normalized completion', async () => {
    const { delivery } = await ilias.state.complete(281, 77, '8,5', '2026-03-01T10:15:00+01:00');
    expect(delivery.outcome).toBe('delivered');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]?.status).toBe(202);
    expect(JSON.parse(delivery.attempts[0]?.response ?? '')).toEqual({
      workflowId: 'grade-return:ilias:77:CV-1001',
      outcome: 'started',
    });
    expect(starter.calls).toEqual([
      {
        source: 'ilias',
        learnerId: 'CV-1001',
        courseId: '77',
        grade: '8,5',
        completedAt: '2026-03-01T10:15:00+01:00',
      },
    ]);
  });

  it('[CV-1] a repeated webhook for the same learner and course reports duplicate', async () => {
    await ilias.state.complete(282, 77, '7');
    const again = await ilias.state.complete(282, 77, '9');
    expect(JSON.parse(again.delivery.attempts[0]?.response ?? '')).toEqual({
      workflowId: 'grade-return:ilias:77:282',
      outcome: 'duplicate',
    });
    expect(starter.calls).toHaveLength(2);
    // The first grade stands: the second attempt started nothing.
    expect(starter.started.get('grade-return:ilias:77:282')?.grade).toBe('7');
  });

  it('ignores learning-progress changes that are not completions', async () => {
    const { delivery } = await ilias.state.changeLearningProgress({
      usr_id: 281,
      ref_id: 77,
      status: 3,
      mark: '4',
    });
    expect(delivery.attempts[0]?.status).toBe(202);
    expect(JSON.parse(delivery.attempts[0]?.response ?? '')).toEqual({ outcome: 'ignored' });
    expect(starter.calls).toHaveLength(0);
  });

  it('answers 401 to a bad signature, and the sender does not retry it', async () => {
    ilias.state.webhook.secret = 'someone-elses-secret';
    const { delivery } = await ilias.state.complete(281, 77, '8');
    expect(delivery.outcome).toBe('rejected');
    expect(delivery.attempts.map((a) => a.status)).toEqual([401]);
    expect(starter.calls).toHaveLength(0);
  });

  it('answers 401 when the signature header is missing', async () => {
    const res = await fetch(`${intake.url}/webhooks/ilias`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });

  it('answers 400 naming the field of a malformed payload', async () => {
    const body = JSON.stringify({
      event: 'lp_status_changed',
      client_id: 'default',
      usr_id: 281,
      obj_id: 312,
      obj_type: 'crs',
      status: 2,
      mark: '8',
      status_changed: '2026-03-01T10:15:00+01:00',
    });
    const res = await fetch(`${intake.url}/webhooks/ilias`, {
      method: 'POST',
      headers: signedHeaders('ilias', body, SECRET),
      body,
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; issues: { path: string }[] };
    expect(answer.issues.map((i) => i.path)).toEqual(['ref_id']);
    expect(answer.error).toContain('ref_id');
    expect(starter.calls).toHaveLength(0);
  });

  it('answers 400 naming mark when a completion has no mark', async () => {
    const { delivery } = await ilias.state.changeLearningProgress({
      usr_id: 281,
      ref_id: 77,
      status: 2,
      mark: null,
    });
    expect(delivery.outcome).toBe('rejected');
    expect(delivery.attempts[0]?.status).toBe(400);
    expect(delivery.attempts[0]?.response).toContain('mark');
  });

  it('answers 503 when the start fails, and the sender delivers again', async () => {
    starter.failNext(1);
    ilias.state.seed({ users: [{ usr_id: 283, login: 'cees', ext_account: 'CV-1003' }] });
    const { delivery } = await ilias.state.complete(283, 77, '6');
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 202]);
    expect(delivery.outcome).toBe('delivered');
    expect(starter.started.has('grade-return:ilias:77:CV-1003')).toBe(true);
  });

  it('keeps the learning progress readable through its read API', async () => {
    await ilias.state.complete(281, 77, '8,5', '2026-03-01T10:15:00+01:00');
    const res = await fetch(`${ilias.url}/api/v1/courses/77/learning-progress/281`);
    expect(await res.json()).toMatchObject({ usr_id: 281, ref_id: 77, obj_id: 312, status: 2, mark: '8,5' });
    expect((await fetch(`${ilias.url}/api/v1/courses/77/learning-progress/999`)).status).toBe(404);
  });

  it('answers its health check', async () => {
    const res = await fetch(`${intake.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
