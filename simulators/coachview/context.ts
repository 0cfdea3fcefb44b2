import type { FastifyReply } from 'fastify';
import type { Fault, FaultSwitches } from '../common/faults';
import type { PushLogEntry } from './model';
import type { DailyQuota } from './quota';
import type { CoachviewStore } from './store';
import type { TokenIssuer } from './tokens';

/** Everything the routes share; built once per simulator. */
export interface SimulatorContext {
  store: CoachviewStore;
  faults: FaultSwitches;
  tokens: TokenIssuer;
  quota: DailyQuota;
  pushLog: PushLogEntry[];
  pushSecret: string;
  now: () => number;
}

/** Sends the answer a fault stands for. */
export function answerFault(reply: FastifyReply, fault: Fault): FastifyReply {
  switch (fault.kind) {
    case 'fail':
      return reply
        .code(fault.status)
        .send({ error: fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error' });
    case 'rate-limit':
      return reply
        .code(429)
        .header('retry-after', String(fault.retryAfterSeconds))
        .send({ error: 'Too Many Requests' });
    case 'malformed':
      // Cut-off JSON, as a proxy that drops the connection half-way might leave it.
      return reply.code(200).type('application/json').send('{"status":"proce');
  }
}
