import { createCoachviewClient, type CoachviewClient } from '../../../adapters/coachview';
import { Secret } from '../../../platform/secret';
import type { CoachviewSimulator, Seed } from '../../../simulators/coachview';

export const credentials = {
  clientId: 'grade-return',
  clientSecret: 'client-secret-1',
  pushSecret: 'push-secret-1',
};

/** Anna has an open component for course-7; Bram already has a result for it. */
export const seed: Seed = {
  persons: [
    {
      id: '1001',
      externalId: 'moodle-42',
      firstName: 'Anna',
      lastName: 'de Vries',
      email: 'anna@example.test',
    },
    { id: '1002', firstName: 'Bram', lastName: 'Jansen', email: 'bram@example.test' },
  ],
  enrolments: [
    {
      componentId: 'ec-1',
      personId: '1001',
      trainingId: 'T-1',
      elearningCourseId: 'course-7',
      trainingRequestComponentId: 'tr-1',
    },
    {
      componentId: 'ec-2',
      personId: '1002',
      trainingId: 'T-1',
      elearningCourseId: 'course-7',
      registered: { result: '7.5', approvalDate: '2026-01-10' },
    },
  ],
};

export function clientFor(
  sim: CoachviewSimulator,
  overrides: Partial<{ clientSecret: string; pushSecret: string; timeoutMs: number }> = {},
): CoachviewClient {
  return createCoachviewClient({
    apiBaseUrl: sim.url,
    clientId: credentials.clientId,
    clientSecret: new Secret(overrides.clientSecret ?? credentials.clientSecret),
    resultPushUrl: `${sim.url}/elearning/results`,
    pushSecret: new Secret(overrides.pushSecret ?? credentials.pushSecret),
    timeoutMs: overrides.timeoutMs ?? 2000,
  });
}

/** Resolves with what the promise rejected with, or fails when it did not reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
