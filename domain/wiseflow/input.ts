/**
 * The flow-sync workflow's input (WF-3): a flow, the internship period it is linked to, and how often
 * it is synced. Plain JSON an operator pastes into the Web UI. Checked without zod: workflow code
 * loads this, and the wiseflow bundle stays small.
 */
import { checkLinkPolicy, DEFAULT_LINK_POLICY, type LinkRecord } from './access-links';

/** WISEflow's rule for an external source reference (REFERENCE.md): the period number must fit it. */
export const REFERENCE_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/;

export const DEFAULT_SYNC_EVERY_MINUTES = 60;
/** Syncs per run before continue-as-new: about 10 events each, so a run's history stays near 1,000. */
export const DEFAULT_SYNCS_PER_RUN = 100;
/** Update-request ids remembered, so a request delivered again is answered once (WF-5). */
export const REQUEST_IDS_KEPT = 50;

/** What a run hands to the next one at continue-as-new. */
export interface FlowSyncCarried {
  /** The licence's Praktikportalen user data type, found at the licence check (WF-4). */
  userDataTypeId: number;
  syncs: number;
  /** The supervisors this sync put on the flow, Praktikportalen id → WISEflow user id. */
  known: Record<string, number>;
  links: Record<string, LinkRecord>;
  /** Supervisors kept after marking started whom the operator was already told about. */
  reportedKept: string[];
  requestIds: string[];
  pendingRequests: UpdateRequest[];
  linkedAt: string;
  lastSync: SyncRecord | null;
}

export interface FlowSyncInput {
  flowId: number;
  periodNumber: string;
  syncEveryMinutes: number;
  linkLifetimeHours: number;
  renewLinksBeforeHours: number;
  syncsPerRun: number;
  carried?: FlowSyncCarried;
}

/** A manager's "update" in WISEflow (the FLOW_EXTERNAL_SOURCE webhook), or the CLI's request-sync. */
export interface UpdateRequest {
  /** WISEflow's request id; absent for an operator's request from the CLI. */
  requestId?: string;
  /** The external source reference WISEflow is told about: the period number. */
  reference?: string;
  receivedAt?: string;
}

export interface SyncRecord {
  at: string;
  outcome: 'synced' | 'failed';
  flowState: string | null;
  markingStarted: boolean;
  supervisors: number;
  usersCreated: number;
  usersUpdated: number;
  assessorsAdded: number;
  assessorsRemoved: number;
  keptAfterMarking: number;
  linksIssued: number;
  /** Why the sync failed, in words for operators and for WISEflow's sync state. */
  error?: string;
  trigger: 'link' | 'periodic' | 'update-request' | 'link-renewal';
}

export type InputCheck = { ok: true; value: FlowSyncInput } | { ok: false; problems: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function positive(
  raw: Record<string, unknown>,
  name: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  const v = raw[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    problems.push(`${name}: must be a number more than 0 and at most ${max}`);
    return fallback;
  }
  return v;
}

/** Checks and completes a raw input; problems name fields, never their values. */
export function checkFlowSyncInput(raw: unknown): InputCheck {
  if (!isRecord(raw)) return { ok: false, problems: ['the input must be a JSON object'] };
  const problems: string[] = [];
  const flowId = typeof raw.flowId === 'string' && /^\d+$/.test(raw.flowId) ? Number(raw.flowId) : raw.flowId;
  if (typeof flowId !== 'number' || !Number.isInteger(flowId) || flowId <= 0) {
    problems.push('flowId: must be a positive whole number (the WISEflow flow id)');
  }
  const periodNumber = typeof raw.periodNumber === 'number' ? String(raw.periodNumber) : raw.periodNumber;
  if (typeof periodNumber !== 'string' || !REFERENCE_PATTERN.test(periodNumber)) {
    problems.push(
      'periodNumber: must be the internship period number from Praktikportalen (letters, digits, - and _, at most 255)',
    );
  }
  const syncEveryMinutes = positive(
    raw,
    'syncEveryMinutes',
    DEFAULT_SYNC_EVERY_MINUTES,
    7 * 24 * 60,
    problems,
  );
  const linkLifetimeHours = positive(
    raw,
    'linkLifetimeHours',
    DEFAULT_LINK_POLICY.lifetimeHours,
    365 * 24,
    problems,
  );
  const renewLinksBeforeHours = positive(
    raw,
    'renewLinksBeforeHours',
    DEFAULT_LINK_POLICY.renewBeforeHours,
    365 * 24,
    problems,
  );
  const syncsPerRun = Math.floor(positive(raw, 'syncsPerRun', DEFAULT_SYNCS_PER_RUN, 10_000, problems));
  if (problems.length === 0) {
    const policyProblem = checkLinkPolicy({
      lifetimeHours: linkLifetimeHours,
      renewBeforeHours: renewLinksBeforeHours,
    });
    if (policyProblem) problems.push(policyProblem);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      flowId: flowId as number,
      periodNumber: periodNumber as string,
      syncEveryMinutes,
      linkLifetimeHours,
      renewLinksBeforeHours,
      syncsPerRun,
      ...(isRecord(raw.carried) ? { carried: raw.carried as unknown as FlowSyncCarried } : {}),
    },
  };
}
