import { completionSchema, type Completion } from '../../domain/grade-return/completion';
import { anewspringWebhookSchema, type AnewspringWebhook } from './anewspring-payload';
import { iliasLpStatus, iliasWebhookSchema, type IliasWebhook } from './ilias-payload';

export type PushSource = 'ilias' | 'anewspring';

/** The webhook payload schema of each pushing system. */
export const webhookSchemas = {
  ilias: iliasWebhookSchema,
  anewspring: anewspringWebhookSchema,
} as const;

export type WebhookPayload<S extends PushSource> = S extends 'ilias' ? IliasWebhook : AnewspringWebhook;

/**
 * The normalized completion in a webhook, or null when the event is not a completion (an Ilias
 * learning-progress change to "in progress" or "failed"). Throws a ZodError when the values do not
 * fit a {@link Completion}.
 */
export function toCompletion<S extends PushSource>(source: S, payload: WebhookPayload<S>): Completion | null;
export function toCompletion(
  source: PushSource,
  payload: IliasWebhook | AnewspringWebhook,
): Completion | null {
  return source === 'ilias'
    ? fromIlias(payload as IliasWebhook)
    : fromAnewspring(payload as AnewspringWebhook);
}

function fromIlias(p: IliasWebhook): Completion | null {
  if (p.status !== iliasLpStatus.completed) return null;
  return completionSchema.parse({
    source: 'ilias',
    learnerId: p.ext_account?.trim() || String(p.usr_id),
    courseId: String(p.ref_id),
    grade: p.mark ?? '',
    completedAt: p.status_changed,
  });
}

function fromAnewspring(p: AnewspringWebhook): Completion {
  const { data } = p;
  return completionSchema.parse({
    source: 'anewspring',
    learnerId: data.userId,
    courseId: data.courseId,
    grade: data.grade || String(data.score ?? ''),
    completedAt: data.completedAt,
  });
}
