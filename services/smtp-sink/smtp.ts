import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { SinkMessage } from './message';

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
// Tests close the sink right after sending; do not wait the default 30 s for idle clients.
const CLOSE_TIMEOUT_MS = 1000;

/** A local SMTP listener without auth or TLS that hands every parsed mail to `onMessage`. */
export async function listenSmtp(
  port: number,
  host: string,
  onMessage: (m: SinkMessage) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          onMessage({
            id: randomUUID(),
            from: envelopeFrom(session),
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : undefined,
            messageId: mail.messageId,
            date: new Date().toISOString(),
          });
          callback();
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  // smtp-server emits a client connection's errors on the server: a sender that dies mid-session (a
  // killed worker) resets its connection. Unheard, that error would end the process hosting the sink.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function envelopeFrom(session: SMTPServerSession): string {
  const from = session.envelope.mailFrom;
  return from ? from.address : '';
}
