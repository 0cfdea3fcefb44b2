import type { AppConfig } from '../../platform/config';
import { createMailer, type Mailer } from './mailer';

/** The mailer from the validated `smtp` configuration section. */
export function mailerFromConfig(config: AppConfig['smtp']): Mailer {
  return createMailer({
    host: config.host,
    port: config.port,
    secure: config.secure,
    user: config.user,
    password: config.password,
    from: config.from,
  });
}
