import { connect, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMailer } from '../../../adapters/mail';
import { RejectedError, TransientError } from '../../../platform/errors';
import { startSmtpSink, sinkMessage, sinkMessageList, type SmtpSink } from '../../../services/smtp-sink';

const from = 'integrations@school.test';
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});
afterAll(async () => {
  await sink?.close();
});
beforeEach(() => sink.clear());

/** An SMTP server that answers every RCPT TO with the given reply code. */
async function refusingServer(responseCode: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    closeTimeout: 500,
    onRcptTo(address, _session, callback) {
      // Real servers quote the recipient in their reply, as here.
      callback(
        Object.assign(new Error(`<${address.address}>: mailbox unavailable (${responseCode})`), {
          responseCode,
        }),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const errorOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('mailer and SMTP sink', () => {
  it('[PLAT-10] a mail sent through SMTP can be read back from the sink, in process and over HTTP', async () => {
    expect(sink.smtpPort).toBeGreaterThan(0);
    expect(sink.httpPort).toBeGreaterThan(0);
    const mailer = createMailer({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from });

    const arriving = sink.waitFor((m) => m.subject.startsWith('Import stopped'), 5000);
    const sent = await mailer.send({
      to: ['ops@school.test', 'admin@school.test'],
      subject: 'Import stopped by the safety filter',
      text: 'Deletes: 412 of 1200 (34%), threshold 10%.',
      html: '<p>Deletes: <b>412</b></p>',
    });
    const received = await arriving;

    expect(sent.messageId).toMatch(/^<.+>$/);
    expect(sent.rejected).toEqual([]);
    expect(received).toMatchObject({
      from,
      to: ['ops@school.test', 'admin@school.test'],
      subject: 'Import stopped by the safety filter',
      messageId: sent.messageId,
    });
    expect(received.text.trim()).toBe('Deletes: 412 of 1200 (34%), threshold 10%.');
    expect(received.html).toContain('<b>412</b>');

    const list = sinkMessageList.parse(await (await fetch(`${sink.url}/messages`)).json());
    expect(list.map((m) => m.id)).toEqual([received.id]);
    const one = sinkMessage.parse(await (await fetch(`${sink.url}/messages/${received.id}`)).json());
    expect(one.subject).toBe(received.subject);
    expect((await fetch(`${sink.url}/messages/nope`)).status).toBe(404);

    expect((await fetch(`${sink.url}/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(sink.messages()).toEqual([]);
  });

  it('[PLAT-10] a sender that dies mid-session (connection reset) does not stop the sink: the next mail arrives', async () => {
    // A worker process killed while its mailer holds a connection: the sink sees ECONNRESET.
    const socket = connect(sink.smtpPort, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write('EHLO dying-worker\r\nMAIL FROM:<w@school.test>\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const mailer = createMailer({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from });
    const arriving = sink.waitFor((m) => m.subject === 'After the reset', 5000);
    await mailer.send({ to: ['ops@school.test'], subject: 'After the reset', text: 'still here' });
    expect((await arriving).text.trim()).toBe('still here');
  });

  it('[PLAT-10] waitFor rejects with a clear message when no matching mail arrives', async () => {
    await expect(sink.waitFor((m) => m.subject === 'never sent', 100)).rejects.toThrow(
      /no matching message within 100 ms/,
    );
  });

  it('[PLAT-10] a 5xx rejection is a RejectedError (do not retry)', async () => {
    const server = await refusingServer(550);
    try {
      const mailer = createMailer({ host: '127.0.0.1', port: server.port, secure: false, from });
      const err = await errorOf(mailer.send({ to: ['gone@school.test'], subject: 's', text: 't' }));
      expect(err).toBeInstanceOf(RejectedError);
      expect((err as RejectedError).status).toBe(550);
      expect((err as RejectedError).type).toBe('smtp.Rejected');
    } finally {
      await server.close();
    }
  });

  it('[PLAT-13] a refusal names the step and the reply code; the reply, which quotes the address, is kept apart', async () => {
    const server = await refusingServer(550);
    try {
      const mailer = createMailer({ host: '127.0.0.1', port: server.port, secure: false, from });
      const err = (await errorOf(
        mailer.send({ to: ['gone@school.test'], subject: 's', text: 't' }),
      )) as RejectedError;
      expect(err.message).toBe('smtp: server rejected the mail during RCPT TO (550)');
      expect(err.verbatim).toContain('gone@school.test');
    } finally {
      await server.close();
    }
  });

  it('[PLAT-10] a 4xx deferral and a refused connection are TransientErrors (retry)', async () => {
    const server = await refusingServer(451);
    try {
      const mailer = createMailer({ host: '127.0.0.1', port: server.port, secure: false, from });
      const err = await errorOf(mailer.send({ to: ['busy@school.test'], subject: 's', text: 't' }));
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).status).toBe(451);
    } finally {
      await server.close();
    }
    // The refusing server is closed now, so nothing listens on its port.
    const down = createMailer({ host: '127.0.0.1', port: server.port, secure: false, from });
    const err = await errorOf(down.send({ to: ['x@school.test'], subject: 's', text: 't' }));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).system).toBe('smtp');
  });

  it('[PLAT-10] an invalid recipient is refused before connecting', async () => {
    const mailer = createMailer({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from });
    const err = await errorOf(mailer.send({ to: ['not-an-address'], subject: 's', text: 't' }));
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as Error).message).toMatch(/to\.0/);
    expect(sink.messages()).toEqual([]);
  });
});
