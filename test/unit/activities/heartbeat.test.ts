import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeatWhile } from '../../../activities/roster-sync/heartbeat';

const silent = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('heartbeatWhile', () => {
  it('[PLAT-11] heartbeats the current progress at once and then on a timer until the work is done', async () => {
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    let pagesRead = 0;
    const result = await env.run(() =>
      heartbeatWhile(
        async () => {
          for (let page = 0; page < 5; page++) {
            await new Promise((r) => setTimeout(r, 30));
            pagesRead++;
          }
          return 'done';
        },
        () => ({ pagesRead }),
        10,
      ),
    );
    expect(result).toBe('done');
    expect(beats[0]).toEqual({ pagesRead: 0 });
    expect(beats.length).toBeGreaterThanOrEqual(5);
    expect(beats.at(-1)).toEqual({ pagesRead: expect.any(Number) });
    const count = beats.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(beats).toHaveLength(count); // no heartbeat after the work ended
  });

  it('stops its timer when the work fails', async () => {
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await expect(
      env.run(() =>
        heartbeatWhile(
          () => Promise.reject(new Error('read failed')),
          () => ({}),
          5,
        ),
      ),
    ).rejects.toThrow('read failed');
    const count = beats.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(beats).toHaveLength(count);
  });
});
