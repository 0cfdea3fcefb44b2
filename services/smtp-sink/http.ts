import Fastify from 'fastify';
import type { MessageStore } from './store';

/** Read API over the received mail: `GET /messages`, `GET /messages/:id`, `DELETE /messages`. */
export async function listenHttp(
  port: number,
  host: string,
  store: MessageStore,
): Promise<{ port: number; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/messages', async () => store.list());
  app.get<{ Params: { id: string } }>('/messages/:id', async (req, reply) => {
    const message = store.get(req.params.id);
    return message ?? reply.code(404).send({ message: `no message with id ${req.params.id}` });
  });
  app.delete('/messages', async (_req, reply) => {
    store.clear();
    return reply.code(204).send();
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port, host });
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => app.close(),
  };
}
