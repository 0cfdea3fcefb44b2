import { z } from 'zod';
import { PushingState, type WebhookDelivery, type WebhookSender } from '../elearning-common';

export const iliasUserSeedSchema = z.object({
  usr_id: z.number().int().positive(),
  login: z.string().min(1),
  firstname: z.string().default(''),
  lastname: z.string().default(''),
  email: z.email().optional(),
  /** External account: where Ilias keeps the id Coachview knows. */
  ext_account: z.string().nullable().default(null),
});

export const iliasCourseSeedSchema = z.object({
  obj_id: z.number().int().positive(),
  ref_id: z.number().int().positive(),
  title: z.string().min(1),
});

export const iliasSeedSchema = z.object({
  users: z.array(iliasUserSeedSchema).default([]),
  courses: z.array(iliasCourseSeedSchema).default([]),
});

export const iliasLpChangeSchema = z.object({
  usr_id: z.number().int(),
  ref_id: z.number().int(),
  /** 0 not attempted, 1 in progress, 2 completed, 3 failed. */
  status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(2),
  mark: z.string().nullable().default(null),
  at: z.iso.datetime({ offset: true }).optional(),
});

export type IliasUser = z.output<typeof iliasUserSeedSchema>;
export type IliasCourse = z.output<typeof iliasCourseSeedSchema>;
export type IliasLpChange = z.input<typeof iliasLpChangeSchema>;

export interface IliasLearningProgress {
  usr_id: number;
  obj_id: number;
  ref_id: number;
  status: 0 | 1 | 2 | 3;
  mark: string | null;
  status_changed: string;
}

/** Ilias users, courses and learning progress; every progress change is posted to the webhook. */
export class IliasState extends PushingState<number, IliasUser, number, IliasCourse> {
  readonly progress = new Map<string, IliasLearningProgress>();

  constructor(
    webhook: WebhookSender,
    readonly clientId = 'default',
  ) {
    super(webhook);
  }

  seed(input: z.input<typeof iliasSeedSchema>): void {
    const seed = iliasSeedSchema.parse(input);
    seed.users.forEach((u) => this.users.set(u.usr_id, u));
    seed.courses.forEach((c) => this.courses.set(c.ref_id, c));
  }

  learningProgress(refId: number, usrId: number): IliasLearningProgress | undefined {
    return this.progress.get(`${refId}:${usrId}`);
  }

  /** Records a learning-progress change and posts the webhook (with retries); resolves when delivery ends. */
  async changeLearningProgress(
    input: IliasLpChange,
  ): Promise<{ progress: IliasLearningProgress; delivery: WebhookDelivery }> {
    const change = iliasLpChangeSchema.parse(input);
    const user = this.users.get(change.usr_id);
    const course = this.courses.get(change.ref_id);
    if (!user) throw new Error(`no Ilias user ${change.usr_id}`);
    if (!course) throw new Error(`no Ilias course with ref_id ${change.ref_id}`);
    const progress: IliasLearningProgress = {
      usr_id: user.usr_id,
      obj_id: course.obj_id,
      ref_id: course.ref_id,
      status: change.status,
      mark: change.mark,
      status_changed: change.at ?? new Date().toISOString(),
    };
    this.progress.set(`${course.ref_id}:${user.usr_id}`, progress);
    const delivery = await this.push({
      event: 'lp_status_changed',
      client_id: this.clientId,
      usr_id: user.usr_id,
      login: user.login,
      ext_account: user.ext_account,
      obj_id: course.obj_id,
      ref_id: course.ref_id,
      obj_type: 'crs',
      title: course.title,
      status: progress.status,
      mark: progress.mark,
      status_changed: progress.status_changed,
    });
    return { progress, delivery };
  }

  /** A learner completes a course with a mark. */
  complete(
    usrId: number,
    refId: number,
    mark: string,
    at?: string,
  ): ReturnType<IliasState['changeLearningProgress']> {
    return this.changeLearningProgress({ usr_id: usrId, ref_id: refId, status: 2, mark, at });
  }
}
