import type { FastifyInstance } from 'fastify';

/** What every simulator hands back to the test or stack that started it. */
export interface RunningSimulator<State> {
  url: string;
  port: number;
  state: State;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0 = ephemeral) and wraps the fastify app as a {@link RunningSimulator}. */
export async function listen<State>(
  app: FastifyInstance,
  port: number,
  state: State,
): Promise<RunningSimulator<State>> {
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}`, port: actual, state, close: () => app.close() };
}
