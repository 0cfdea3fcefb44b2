import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PushingState, type WebhookDelivery } from '../elearning-common';

export const anewspringUserSeedSchema = z.object({
  /** The external id, set by the integrating party (Coachview's person id). */
  userId: z.string().min(1),
  name: z.string().default(''),
  email: z.email().optional(),
});

export const anewspringCourseSeedSchema = z.object({
  courseId: z.string().min(1),
  name: z.string().min(1),
});

export const anewspringSeedSchema = z.object({
  users: z.array(anewspringUserSeedSchema).default([]),
  courses: z.array(anewspringCourseSeedSchema).default([]),
});

export const anewspringCompletionInputSchema = z.object({
  userId: z.string().min(1),
  courseId: z.string().min(1),
  score: z.number().min(0).max(100).nullable().default(null),
  grade: z.string().nullable().default(null),
  passed: z.boolean().default(true),
  at: z.iso.datetime({ offset: true }).optional(),
});

export type AnewspringUser = z.output<typeof anewspringUserSeedSchema>;
export type AnewspringCourse = z.output<typeof anewspringCourseSeedSchema>;
export type AnewspringCompletionInput = z.input<typeof anewspringCompletionInputSchema>;

export interface AnewspringResult {
  userId: string;
  courseId: string;
  score: number | null;
  grade: string | null;
  passed: boolean;
  completedAt: string;
}

/** aNewSpring users, courses and course results; each completion is posted to the webhook. */
export class AnewspringState extends PushingState<string, AnewspringUser, string, AnewspringCourse> {
  readonly results = new Map<string, AnewspringResult>();

  seed(input: z.input<typeof anewspringSeedSchema>): void {
    const seed = anewspringSeedSchema.parse(input);
    seed.users.forEach((u) => this.users.set(u.userId, u));
    seed.courses.forEach((c) => this.courses.set(c.courseId, c));
  }

  result(userId: string, courseId: string): AnewspringResult | undefined {
    return this.results.get(`${courseId}:${userId}`);
  }

  /** A learner completes a course; resolves when the webhook delivery (with retries) has ended. */
  async complete(
    input: AnewspringCompletionInput,
  ): Promise<{ result: AnewspringResult; delivery: WebhookDelivery }> {
    const c = anewspringCompletionInputSchema.parse(input);
    if (!this.users.has(c.userId)) throw new Error(`no aNewSpring user ${c.userId}`);
    const course = this.courses.get(c.courseId);
    if (!course) throw new Error(`no aNewSpring course ${c.courseId}`);
    const result: AnewspringResult = {
      userId: c.userId,
      courseId: c.courseId,
      score: c.score,
      grade: c.grade,
      passed: c.passed,
      completedAt: c.at ?? new Date().toISOString(),
    };
    this.results.set(`${c.courseId}:${c.userId}`, result);
    const delivery = await this.push({
      id: randomUUID(),
      event: 'course.completed',
      createdAt: new Date().toISOString(),
      data: { ...result, courseName: course.name },
    });
    return { result, delivery };
  }
}
