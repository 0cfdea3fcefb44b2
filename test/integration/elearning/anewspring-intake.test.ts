import { Secret } from '../../../platform/secret';
import { startIntakeServer, type IntakeServer } from '../../../services/intake';
import { startAnewspringSimulator, type AnewspringSimulator } from '../../../simulators/anewspring';
import { fakeGradeReturnStarter } from './fakes';
import { signedHeaders } from './signed';

const SECRET = 'anewspring-shared-secret';
const OPERATOR_TOKEN = 'operator-token-0123456789';

describe('aNewSpring simulator -> intake server over HTTP', () => {
  const starter = fakeGradeReturnStarter();
  let intake: IntakeServer;
  let ans: AnewspringSimulator;

  beforeAll(async () => {
    intake = await startIntakeServer({
      port: 0,
      host: '127.0.0.1',
      secrets: { ilias: new Secret('unused-ilias-secret'), anewspring: new Secret(SECRET) },
      startGradeReturn: starter.start,
      operatorToken: new Secret(OPERATOR_TOKEN),
    });
    ans = await startAnewspringSimulator({
      webhookUrl: `${intake.url}/webhooks/anewspring`,
      webhookSecret: SECRET,
      retryDelaysMs: [20, 50],
    });
    ans.state.seed({
      users: [
        { userId: 'CV-2001', name: 'Anna' },
        { userId: 'CV-2002', name: 'Bram' },
      ],
      courses: [{ courseId: 'ELC-12', name: 'Veilig werken' }],
    });
  });
  afterEach(() => {
    starter.calls.length = 0;
  });
  afterAll(async () => {
    await ans.close();
    await intake.close();
  });

  it('[CV-1] [CV-5] a course.completed webhook becomes one grade-return start', async () => {
    const res = await fetch(`${ans.url}/__admin/completions?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: 'CV-2001',
        courseId: 'ELC-12',
        grade: '8.5',
        score: 85,
        at: '2026-03-01T09:15:00Z',
      }),
    });
    expect(res.status).toBe(201);
    expect(starter.calls).toEqual([
      {
        source: 'anewspring',
        learnerId: 'CV-2001',
        courseId: 'ELC-12',
        grade: '8.5',
        completedAt: '2026-03-01T09:15:00Z',
      },
    ]);
    const deliveries = (await (await fetch(`${ans.url}/__admin/deliveries`)).json()) as { outcome: string }[];
    expect(deliveries.at(-1)?.outcome).toBe('delivered');
  });

  it('[CV-1] a repeated webhook for the same learner and course reports duplicate', async () => {
    const first = await ans.state.complete({ userId: 'CV-2002', courseId: 'ELC-12', score: 70 });
    const second = await ans.state.complete({ userId: 'CV-2002', courseId: 'ELC-12', score: 95 });
    expect(JSON.parse(first.delivery.attempts[0]?.response ?? '')).toMatchObject({ outcome: 'started' });
    expect(JSON.parse(second.delivery.attempts[0]?.response ?? '')).toEqual({
      workflowId: 'grade-return:anewspring:ELC-12:CV-2002',
      outcome: 'duplicate',
    });
    // Without a certificate grade, the score is the grade.
    expect(starter.started.get('grade-return:anewspring:ELC-12:CV-2002')?.grade).toBe('70');
  });

  it('answers 401 to a bad signature', async () => {
    const body = JSON.stringify({ id: 'x', event: 'course.completed' });
    const res = await fetch(`${intake.url}/webhooks/anewspring`, {
      method: 'POST',
      headers: signedHeaders('anewspring', body, 'wrong-secret'),
      body,
    });
    expect(res.status).toBe(401);
    expect(starter.calls).toHaveLength(0);
  });

  it('answers 400 naming the field of a malformed payload', async () => {
    const body = JSON.stringify({
      id: 'evt-1',
      event: 'course.completed',
      createdAt: '2026-03-01T09:15:02Z',
      data: { courseId: 'ELC-12', score: 80, grade: null, passed: true, completedAt: '2026-03-01T09:15:00Z' },
    });
    const res = await fetch(`${intake.url}/webhooks/anewspring`, {
      method: 'POST',
      headers: signedHeaders('anewspring', body, SECRET),
      body,
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; issues: { path: string }[] };
    expect(answer.issues.map((i) => i.path)).toEqual(['data.userId']);
    expect(answer.error).toContain('data.userId');
  });

  it('keeps retrying while the intake is unreachable, then gives up with a visible failure', async () => {
    ans.state.webhook.url = 'http://127.0.0.1:9/webhooks/anewspring';
    try {
      const { delivery } = await ans.state.complete({ userId: 'CV-2001', courseId: 'ELC-12', grade: '7' });
      expect(delivery.outcome).toBe('failed');
      expect(delivery.attempts).toHaveLength(3);
      expect(delivery.attempts.every((a) => a.error !== undefined)).toBe(true);
    } finally {
      ans.state.webhook.url = `${intake.url}/webhooks/anewspring`;
    }
    const read = await fetch(`${ans.url}/api/v1/users/CV-2001/courses/ELC-12/result`);
    expect(await read.json()).toMatchObject({ grade: '7', passed: true });
  });

  it('accepts a normalized completion on /completions only with the operator token', async () => {
    const completion = {
      source: 'moodle',
      learnerId: 'CV-3001',
      courseId: '10',
      grade: 8,
      completedAt: '2026-03-01',
    };
    const post = (auth?: string, body: unknown = completion) =>
      fetch(`${intake.url}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(body),
      });
    expect((await post()).status).toBe(401);
    expect((await post('Bearer not-the-token')).status).toBe(401);
    const bad = await post(`Bearer ${OPERATOR_TOKEN}`, { ...completion, courseId: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('courseId');
    const ok = await post(`Bearer ${OPERATOR_TOKEN}`);
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ workflowId: 'grade-return:moodle:10:CV-3001', outcome: 'started' });
    expect(starter.calls.at(-1)).toMatchObject({ grade: '8', learnerId: 'CV-3001' });
  });
});
