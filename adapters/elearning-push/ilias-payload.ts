/**
 * The learning-progress webhook of the Ilias completion plugin (Ilias itself has no webhooks; the
 * plugin posts when a user's learning progress on a course changes):
 *
 *   POST <webhook url>   X-Ilias-Signature: sha256=<hex HMAC-SHA256 of the raw body>
 *   {
 *     "event": "lp_status_changed",
 *     "client_id": "default",                  // the Ilias client (installation tenant)
 *     "usr_id": 281,                           // Ilias user id
 *     "login": "jdevries",
 *     "ext_account": "CV-1001",                // external account = Coachview person id; null when unset
 *     "obj_id": 312, "ref_id": 77,             // course object and its repository reference
 *     "obj_type": "crs",
 *     "title": "Veilig werken",
 *     "status": 2,                             // 0 not attempted, 1 in progress, 2 completed, 3 failed
 *     "mark": "8,5",                           // the course mark as entered in Ilias; null when none
 *     "status_changed": "2026-03-01T10:15:00+01:00"
 *   }
 *
 * Learner id: `ext_account` when set, else `usr_id`. Course id: `ref_id`, the number in the course's
 * permanent link (goto.php?target=crs_77) that is filled in on Coachview's e-learning component.
 */
import { z } from 'zod';

export const iliasLpStatus = { notAttempted: 0, inProgress: 1, completed: 2, failed: 3 } as const;

export const iliasWebhookSchema = z
  .object({
    event: z.literal('lp_status_changed'),
    client_id: z.string().min(1),
    usr_id: z.number().int().positive(),
    login: z.string().optional(),
    ext_account: z.string().nullable().optional(),
    obj_id: z.number().int().positive(),
    ref_id: z.number().int().positive(),
    obj_type: z.literal('crs'),
    title: z.string().optional(),
    status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
    mark: z.string().trim().nullable(),
    status_changed: z.iso.datetime({ offset: true }),
  })
  .refine((p) => p.status !== iliasLpStatus.completed || (p.mark !== null && p.mark !== ''), {
    path: ['mark'],
    message: 'a completed course needs a mark',
  });

export type IliasWebhook = z.output<typeof iliasWebhookSchema>;
