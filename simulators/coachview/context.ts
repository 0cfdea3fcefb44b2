import type { FastifyReply } from 'fastify';
import { answerFault as answerAnyFault, type Fault, type FaultSwitches } from '../common/faults';
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

/** Sends the answer a fault stands for, with Coachview's JSON error bodies. */
export function answerFault(reply: FastifyReply, fault: Fault): FastifyReply {
  return answerAnyFault(reply, fault, {
    malformedBody: '{"status":"proce',
    fail: (r, status) =>
      r.code(status).send({ error: status === 503 ? 'Service Unavailable' : 'Internal Server Error' }),
  });
}
