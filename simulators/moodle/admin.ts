import type { FastifyInstance } from 'fastify';
import {
  moodleAccessSeedSchema,
  moodleCompletionSeedSchema,
  moodleCourseSeedSchema,
  moodleGradeSeedSchema,
  moodleSeedSchema,
  moodleUserSeedSchema,
  type MoodleState,
} from './state';
import { z } from 'zod';

/** `/__admin/...`: seed and read state, and play Moodle's cron marking a course complete. */
export function registerMoodleAdmin(app: FastifyInstance, state: MoodleState): void {
  app.get('/__admin/state', async () => state.snapshot());
  app.post('/__admin/reset', async () => {
    state.reset();
    return { ok: true };
  });
  app.post('/__admin/seed', async (request) => {
    state.seed(moodleSeedSchema.parse(request.body));
    return state.snapshot();
  });
  app.post('/__admin/courses', async (request, reply) =>
    reply.code(201).send(state.addCourse(moodleCourseSeedSchema.parse(request.body))),
  );
  app.post('/__admin/users', async (request, reply) =>
    reply.code(201).send(state.addUser(moodleUserSeedSchema.parse(request.body))),
  );
  app.post('/__admin/enrolments', async (request, reply) => {
    const { courseid, userid } = z
      .object({ courseid: z.number().int(), userid: z.number().int() })
      .parse(request.body);
    state.enrol(courseid, userid);
    return reply.code(201).send({ courseid, userid });
  });
  app.post('/__admin/grades', async (request) => {
    state.setGrade(moodleGradeSeedSchema.parse(request.body));
    return { ok: true };
  });
  app.post('/__admin/access', async (request) => {
    state.access(moodleAccessSeedSchema.parse(request.body));
    return { ok: true };
  });
  app.post('/__admin/completions', async (request, reply) => {
    state.complete(moodleCompletionSeedSchema.parse(request.body));
    return reply.code(201).send({ ok: true });
  });
}
