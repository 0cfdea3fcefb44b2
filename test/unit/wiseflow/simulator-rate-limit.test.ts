/** The WISEflow simulator's limits: fixed one-second and one-minute windows with WISEflow's headers. */
import { RateLimiter } from '../../../simulators/wiseflow';

const at = (second: number, ms = 0): number => Date.parse('2027-02-01T08:00:00Z') + second * 1000 + ms;

it('[PLAT-16] the per-second limit refuses the request over it until the next second, with Retry-After', () => {
  const limiter = new RateLimiter({ perSecond: 2, perMinute: 100 });
  expect(limiter.take(at(0, 100)).allowed).toBe(true);
  const second = limiter.take(at(0, 200));
  expect(second.headers).toMatchObject({
    'x-ratelimit-second-remaining': '0',
    'x-ratelimit-minute-remaining': '98',
  });
  const refused = limiter.take(at(0, 300));
  expect(refused).toMatchObject({ allowed: false, refusedBy: 'second' });
  expect(refused.headers).toMatchObject({
    'retry-after': '1',
    'ratelimit-limit': '2',
    'ratelimit-remaining': '0',
  });
  expect(limiter.take(at(1, 0)).allowed).toBe(true);
  expect(limiter.refused).toEqual({ second: 1, minute: 0 });
});

it('[PLAT-16] the per-minute limit refuses until the minute ends and names itself in RateLimit-*', () => {
  const limiter = new RateLimiter({ perSecond: 10, perMinute: 3 });
  for (let s = 0; s < 3; s++) expect(limiter.take(at(s)).allowed).toBe(true);
  const refused = limiter.take(at(20));
  expect(refused).toMatchObject({ allowed: false, refusedBy: 'minute' });
  expect(refused.headers).toMatchObject({
    'retry-after': '40',
    'ratelimit-limit': '3',
    'ratelimit-reset': '40',
    'x-ratelimit-minute-remaining': '0',
  });
  expect(limiter.take(at(60)).allowed).toBe(true);
});

it('[PLAT-16] a forced refusal counts against the named window without using the budget', () => {
  const limiter = new RateLimiter({ perSecond: 10, perMinute: 100 });
  expect(limiter.take(at(0), 'minute')).toMatchObject({ allowed: false, refusedBy: 'minute' });
  expect(limiter.take(at(0)).headers['x-ratelimit-minute-remaining']).toBe('99');
});
