/**
 * The flow-sync activities (task queue `wiseflow`): licence gate, link, sync, the answer to an update
 * request, and the operators' e-mail. Calls to WISEflow count against the `wiseflow-api` rate budget:
 * those activities answer a spent budget instead of failing (`budgeted`), and the workflow waits.
 */
import type { Mailer } from '../../adapters/mail';
import { budgeted } from '../../platform/rate-budget/activity';
import { heartbeatWhile } from '../roster-sync/heartbeat';
import { checkWiseflowLicence, linkFlowToPeriod, type LinkFlowInput } from './link';
import { notifyKeptAfterMarking, type KeptAfterMarkingNotice } from './notify';
import type { FlowSyncPraktikportalen, FlowSyncWiseflow } from './ports';
import { syncFlow, type SyncFlowInput } from './sync';

export interface FlowSyncDeps {
  wiseflow: FlowSyncWiseflow;
  praktikportalen: FlowSyncPraktikportalen;
  /** WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID; unset: the licence's user data type named Praktikportalen. */
  praktikportalenUserDataTypeId?: number;
  mailer: Mailer;
  operatorRecipients: string[];
}

export interface SyncAnswer {
  flowId: number;
  reference: string;
  outcome: 'done' | 'failed';
  reason?: string;
}

/** WISEflow keeps a failure reason short; ours are a sentence, cut here to be safe. */
const REASON_MAX_CHARS = 500;

export function createFlowSyncActivities(deps: FlowSyncDeps) {
  return {
    checkWiseflowLicence: budgeted(() =>
      checkWiseflowLicence(deps.wiseflow, deps.praktikportalenUserDataTypeId),
    ),
    linkFlowToPeriod: budgeted((input: LinkFlowInput) =>
      linkFlowToPeriod(deps.wiseflow, deps.praktikportalen, input),
    ),
    syncFlow: budgeted((input: SyncFlowInput) => {
      let step = 'starting';
      return heartbeatWhile(
        () =>
          syncFlow(deps.wiseflow, deps.praktikportalen, input, (s) => {
            step = s;
          }),
        () => ({ flowId: input.flowId, step }),
        5_000,
      );
    }),
    /** Tells WISEflow the requested sync is done or failed, with the reason (WF-5). */
    answerSyncRequest: budgeted(async (answer: SyncAnswer): Promise<void> => {
      if (answer.outcome === 'done') await deps.wiseflow.reportSyncDone(answer.flowId, answer.reference);
      else {
        const reason = (answer.reason ?? 'the sync failed').slice(0, REASON_MAX_CHARS);
        await deps.wiseflow.reportSyncFailed(answer.flowId, answer.reference, reason);
      }
    }),
    notifyKeptAfterMarking: (notice: KeptAfterMarkingNotice): Promise<void> =>
      notifyKeptAfterMarking(deps.mailer, deps.operatorRecipients, notice),
  };
}

export type FlowSyncActivities = ReturnType<typeof createFlowSyncActivities>;
export type { KeptAfterMarkingNotice, LinkFlowInput, SyncFlowInput };
export type { LicenceCheckResult, LinkFlowResult } from './link';
export type { SyncFlowResult } from './sync';
