import { connect, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsProxy {
  /** `127.0.0.1:<port>`, for TEMPORAL_ADDRESS. */
  address: string;
  /** The subject CN of every client certificate that connected, in order. */
  clients: string[];
  close(): Promise<void>;
}

/**
 * Mutual TLS in front of a plaintext gRPC server (the Temporal dev server has no TLS): the proxy
 * presents `cert`, accepts only clients whose certificate `ca` signed, and forwards the decrypted
 * HTTP/2 stream. Lets a test run a service with its production TLS settings and certificates.
 */
export async function startTlsProxy(opts: {
  target: string;
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}): Promise<TlsProxy> {
  const [host = '127.0.0.1', port = ''] = opts.target.split(/:(?=\d+$)/);
  const clients: string[] = [];
  const open = new Set<Socket>();
  const server = createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ca: opts.ca,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      const subject = socket.getPeerCertificate().subject as { CN?: string } | undefined;
      clients.push(subject?.CN ?? '');
      const upstream = connect(Number(port), host);
      for (const s of [socket, upstream]) {
        open.add(s);
        s.once('close', () => open.delete(s));
      }
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const listening = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${listening}`,
    clients,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
