/**
 * The intake's WISEflow route (WF-5): signed like every webhook of the intake, deliveries deduplicated
 * by id, then the flow's sync is signalled. The signal itself is recorded here; the flow-sync tests
 * drive the same route into a running workflow.
 */
import { randomUUID } from 'node:crypto';
import { DELIVERY_ID_HEADER, signDelivery } from '../../../adapters/elearning-push/signature';
import { WISEFLOW_SIGNATURE_HEADER } from '../../../adapters/wiseflow/webhook';
import { Secret } from '../../../platform/secret';
import { startIntakeServer, type RequestFlowSync } from '../../../services/intake';

const SECRET = 'wiseflow-webhook-secret';
type Request = Parameters<RequestFlowSync>[0];

async function intake(answer: (r: Request) => ReturnType<RequestFlowSync>) {
  const requests: Request[] = [];
  const app = await startIntakeServer({
    port: 0,
    secrets: { ilias: new Secret('unused-ilias'), anewspring: new Secret('unused-ans') },
    startGradeReturn: async () => 'started',
    wiseflow: {
      secret: new Secret(SECRET),
      requestFlowSync: async (r) => {
        requests.push(r);
        return answer(r);
      },
    },
  });
  const deliver = (
    payload: unknown,
    opts: { deliveryId?: string; secret?: string; timestamp?: number } = {},
  ) => {
    const body = JSON.stringify(payload);
    const deliveryId = opts.deliveryId ?? randomUUID();
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${app.url}/webhooks/wiseflow`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WISEFLOW_SIGNATURE_HEADER]: signDelivery(
          { rawBody: body, deliveryId, timestamp },
          new Secret(opts.secret ?? SECRET),
        ),
        [DELIVERY_ID_HEADER]: deliveryId,
      },
      body,
    });
  };
  return { app, requests, deliver };
}

const update = { event: 'FLOW_EXTERNAL_SOURCE', requestId: 'req-1', flowId: 501, reference: 'PP-2027-04' };
const signalled = async () => ({
  outcome: 'signalled' as const,
  workflowId: 'wiseflow-flow-sync:501:PP-2027-04',
});

it('[WF-5] an update request signals the flow sync once; the same delivery again is a duplicate that signals nothing', async () => {
  const { app, requests, deliver } = await intake(signalled);
  const first = await deliver(update, { deliveryId: 'd-1' });
  expect(first.status).toBe(202);
  expect(await first.json()).toEqual({
    outcome: 'signalled',
    workflowId: 'wiseflow-flow-sync:501:PP-2027-04',
  });
  expect(requests).toEqual([{ flowId: 501, requestId: 'req-1', reference: 'PP-2027-04' }]);
  const again = await deliver(update, { deliveryId: 'd-1' });
  expect(again.status).toBe(200);
  expect(await again.json()).toEqual({ outcome: 'duplicate', deliveryId: 'd-1' });
  expect(requests).toHaveLength(1);
  await app.close();
});

it('[WF-5] a flow state change syncs without a request id; a flow no sync is linked to is ignored', async () => {
  const { app, requests, deliver } = await intake(async (r) =>
    r.flowId === 999 ? { outcome: 'no-sync' } : signalled(),
  );
  expect((await deliver({ event: 'FLOW_STATE_UPDATED', flowId: 501, state: 'CONCLUDED' })).status).toBe(202);
  expect(requests).toEqual([{ flowId: 501 }]);
  const unlinked = await deliver({ ...update, flowId: 999 });
  expect(unlinked.status).toBe(202);
  expect(await unlinked.json()).toEqual({ outcome: 'ignored' });
  await app.close();
});

it('[WF-5] a forged, stale or malformed delivery is refused and signals nothing', async () => {
  const { app, requests, deliver } = await intake(signalled);
  expect((await deliver(update, { secret: 'someone-elses-secret' })).status).toBe(401);
  expect((await deliver(update, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
  const malformed = await deliver({ ...update, flowId: 'five hundred and one' });
  expect(malformed.status).toBe(400);
  expect(((await malformed.json()) as { error: string }).error).toMatch(/flowId/);
  expect(requests).toHaveLength(0);
  await app.close();
});

it('[WF-5] when the flow sync cannot be reached the delivery is answered 503 and its id released, so the retry is taken', async () => {
  let down = true;
  const { app, requests, deliver } = await intake(async () => {
    if (down) throw new Error('Temporal unavailable');
    return signalled();
  });
  const failed = await deliver(update, { deliveryId: 'd-2' });
  expect(failed.status).toBe(503);
  expect(failed.headers.get('retry-after')).toBeTruthy();
  down = false;
  const retry = await deliver(update, { deliveryId: 'd-2' });
  expect(retry.status).toBe(202);
  expect(requests).toHaveLength(2);
  await app.close();
});
