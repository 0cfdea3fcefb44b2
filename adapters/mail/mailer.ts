import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import type { Secret } from '../../platform/secret';
import { RejectedError } from '../../platform/errors';
import { classifySmtpError, SMTP_SYSTEM } from './classify';

// Short enough that an activity attempt fails and retries instead of hanging on a dead relay.
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

export interface MailerOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string;
  password?: Secret;
  from: string;
}

export const outgoingMail = z.object({
  to: z.array(z.email()).min(1),
  subject: z.string().min(1),
  text: z.string(),
  html: z.string().optional(),
});

export type OutgoingMail = z.infer<typeof outgoingMail>;

export interface SentMail {
  messageId: string;
  /** Recipients the server refused while accepting the others. */
  rejected: string[];
}

export interface Mailer {
  /** Sends one mail; throws TransientError (retry) or RejectedError (do not retry) from platform/errors. */
  send(mail: OutgoingMail): Promise<SentMail>;
}

/** An SMTP mailer for status and notification e-mails (PLAT-10). */
export function createMailer(opts: MailerOptions): Mailer {
  const options: SMTPTransport.Options = {
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: opts.user ? { user: opts.user, pass: opts.password?.reveal() } : undefined,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  };
  const transport = nodemailer.createTransport(options);
  return {
    async send(mail) {
      const parsed = outgoingMail.safeParse(mail);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new RejectedError(SMTP_SYSTEM, `invalid mail: ${issues}`, undefined, 'InvalidMail');
      }
      const { to, subject, text, html } = parsed.data;
      try {
        const info = await transport.sendMail({ from: opts.from, to, subject, text, html });
        return { messageId: info.messageId, rejected: info.rejected.map(addressOf) };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
  };
}

function addressOf(recipient: string | { address: string }): string {
  return typeof recipient === 'string' ? recipient : recipient.address;
}
