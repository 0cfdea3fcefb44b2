import { RejectedError, TransientError } from '../../platform/errors';

export const SMTP_SYSTEM = 'smtp';

/** The fields nodemailer puts on its errors (see nodemailer's SMTP connection error codes). */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** Nodemailer codes for a sender-side problem that will fail the same way on every retry. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EAUTH']);

/**
 * Classifies a failed send: 5xx replies and envelope/auth problems are permanent
 * ({@link RejectedError}); 4xx replies, timeouts and connection errors are {@link TransientError}.
 */
export function classifySmtpError(err: unknown): Error {
  const f = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  // The server's reply and nodemailer's message may quote addresses: encrypted details only.
  const reply = f.response ? oneLine(f.response) : f.message ? oneLine(f.message) : undefined;
  const during = f.command ? ` during ${f.command}` : '';
  const status = f.responseCode;
  if (status !== undefined && status >= 500) {
    return new RejectedError(
      SMTP_SYSTEM,
      `server rejected the mail${during} (${status})`,
      status,
      'Rejected',
    ).quoting(reply);
  }
  if (status !== undefined && status >= 400) {
    return new TransientError(SMTP_SYSTEM, `server deferred the mail${during} (${status})`, status).quoting(
      reply,
    );
  }
  if (f.code && PERMANENT_CODES.has(f.code)) {
    return new RejectedError(
      SMTP_SYSTEM,
      `${f.code}: the mail cannot be sent`,
      undefined,
      'Rejected',
    ).quoting(reply);
  }
  return new TransientError(SMTP_SYSTEM, `${f.code ?? 'send failed'}: the mail was not sent`).quoting(
    reply ?? oneLine(String(err)),
  );
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}
