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
  const reply = f.response ? `: ${oneLine(f.response)}` : '';
  const during = f.command ? ` during ${f.command}` : '';
  const status = f.responseCode;
  if (status !== undefined && status >= 500) {
    return new RejectedError(
      SMTP_SYSTEM,
      `server rejected the mail${during} (${status})${reply}`,
      status,
      'Rejected',
    );
  }
  if (status !== undefined && status >= 400) {
    return new TransientError(SMTP_SYSTEM, `server deferred the mail${during} (${status})${reply}`, status);
  }
  if (f.code && PERMANENT_CODES.has(f.code)) {
    return new RejectedError(
      SMTP_SYSTEM,
      `${f.code}: ${oneLine(f.message ?? 'send failed')}`,
      undefined,
      'Rejected',
    );
  }
  return new TransientError(SMTP_SYSTEM, `${f.code ?? 'send failed'}: ${oneLine(f.message ?? String(err))}`);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}
