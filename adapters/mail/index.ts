/** Outgoing e-mail over SMTP (PLAT-10). */
export {
  createMailer,
  outgoingMail,
  type Mailer,
  type MailerOptions,
  type OutgoingMail,
  type SentMail,
} from './mailer';
export { mailerFromConfig } from './from-config';
export { classifySmtpError, SMTP_SYSTEM } from './classify';
