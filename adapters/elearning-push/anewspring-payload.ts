/**
 * aNewSpring's course-completed webhook (one subscription per event type):
 *
 *   POST <webhook url>   X-ANS-Signature: sha256=<hex HMAC-SHA256 of the raw body>
 *   {
 *     "id": "6f1c…",                           // event id, the same on every retry
 *     "event": "course.completed",
 *     "createdAt": "2026-03-01T09:15:02Z",
 *     "data": {
 *       "userId": "CV-1001",                   // the user's external id = Coachview person id
 *       "courseId": "ELC-12",                  // the course's external id
 *       "courseName": "Veilig werken",
 *       "score": 85,                           // percentage of the final test; null when none
 *       "grade": "8.5",                        // the grade on the certificate; null when none
 *       "passed": true,
 *       "completedAt": "2026-03-01T09:15:00Z"
 *     }
 *   }
 *
 * Grade: `grade` when set, else `score`.
 */
import { z } from 'zod';

export const anewspringWebhookSchema = z.object({
  id: z.string().min(1),
  event: z.literal('course.completed'),
  createdAt: z.iso.datetime({ offset: true }),
  data: z
    .object({
      userId: z.string().trim().min(1),
      courseId: z.string().trim().min(1),
      courseName: z.string().optional(),
      score: z.number().min(0).max(100).nullable(),
      grade: z.string().trim().nullable(),
      passed: z.boolean(),
      completedAt: z.iso.datetime({ offset: true }),
    })
    .refine((d) => (d.grade !== null && d.grade !== '') || d.score !== null, {
      path: ['grade'],
      message: 'a completion needs a grade or a score',
    }),
});

export type AnewspringWebhook = z.output<typeof anewspringWebhookSchema>;
