import { z } from 'zod';

/** A mail the sink received, as `GET /messages` answers it. */
export const sinkMessage = z.object({
  id: z.string(),
  /** Envelope sender (MAIL FROM). */
  from: z.string(),
  /** Envelope recipients (RCPT TO), so Bcc recipients show too. */
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  messageId: z.string().optional(),
  /** ISO time the sink received it. */
  date: z.string(),
});

export const sinkMessageList = z.array(sinkMessage);

export type SinkMessage = z.infer<typeof sinkMessage>;
