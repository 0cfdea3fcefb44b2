import { connect, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface MtlsTerminator {
  /** `127.0.0.1:<port>`: Temporal's address for a client that has to present a certificate. */
  address: string;
  /** TLS handshakes refused (no client certificate, or one the CA did not sign). */
  refused: number;
  close(): Promise<void>;
}

/**
 * Temporal's frontend as production runs it (mutual TLS, client certificates required), in front of
 * the dev server, which has no TLS of its own: it takes the server certificate and the CA that
 * deploy/make-secrets.sh made, refuses a client without a certificate that CA signed, and passes
 * the gRPC (HTTP/2) bytes through to the dev server.
 */
export async function startMtlsTerminator(opts: {
  target: string;
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}): Promise<MtlsTerminator> {
  const [host, port] = opts.target.split(':') as [string, string];
  const sockets = new Set<Socket>();
  let refused = 0;
  const server = createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ca: opts.ca,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
    },
    (client: TLSSocket) => {
      const upstream = connect(Number(port), host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    },
  );
  server.on('tlsClientError', () => {
    refused++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const listening = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${listening}`,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
