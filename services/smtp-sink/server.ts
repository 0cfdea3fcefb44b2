import { listenHttp } from './http';
import type { SinkMessage } from './message';
import { listenSmtp } from './smtp';
import { MessageStore } from './store';

export interface SmtpSinkOptions {
  /** 0 picks a free port. */
  smtpPort: number;
  /** 0 picks a free port. */
  httpPort: number;
  /** Defaults to 127.0.0.1: the sink has no auth and is for the local stack and tests only. */
  host?: string;
}

export interface SmtpSink {
  smtpPort: number;
  httpPort: number;
  /** Base URL of the HTTP API. */
  url: string;
  messages(): SinkMessage[];
  waitFor(predicate: (m: SinkMessage) => boolean, timeoutMs: number): Promise<SinkMessage>;
  clear(): void;
  close(): Promise<void>;
}

/** Starts the local SMTP sink (PLAT-10): accepts any mail over SMTP, keeps it in memory, serves it over HTTP. */
export async function startSmtpSink(opts: SmtpSinkOptions): Promise<SmtpSink> {
  const host = opts.host ?? '127.0.0.1';
  const store = new MessageStore();
  const smtp = await listenSmtp(opts.smtpPort, host, (m) => store.add(m));
  const http = await listenHttp(opts.httpPort, host, store).catch(async (err: unknown) => {
    await smtp.close();
    throw err;
  });
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    smtpPort: smtp.port,
    httpPort: http.port,
    url: `http://${urlHost}:${http.port}`,
    messages: () => store.list(),
    waitFor: (predicate, timeoutMs) => store.waitFor(predicate, timeoutMs),
    clear: () => store.clear(),
    close: async () => {
      await Promise.all([smtp.close(), http.close()]);
    },
  };
}
