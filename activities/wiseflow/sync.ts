/**
 * One sync of a flow with its internship period (WF-1, WF-2, WF-6): read the flow and the period,
 * make each supervisor's WISEflow user (found by the Praktikportalen external id, created as an
 * external assessor only), put them on the flow as assessors of the external type, take off those
 * who left before marking started, and issue and publish access links that are new or due. Every
 * write is planned against what WISEflow holds now, so a retry after a worker died mid-sync repeats
 * nothing that was already done.
 */
import {
  hasMarkingStarted,
  isFlowFinished,
  linkExpiration,
  linksToIssue,
  planFlowAssessors,
  planUsers,
  type ExistingUser,
  type LinkPolicy,
  type LinkRecord,
  type SupervisorUser,
} from '../../domain/wiseflow';
import { EXTERNAL_ASSESSOR_ROLE } from '../../adapters/wiseflow/limits';
import { RejectedError } from '../../platform/errors';
import type { FlowSyncPraktikportalen, FlowSyncWiseflow } from './ports';

/**
 * The licence roles of a supervisor's user: the external assessor role and nothing else, never an
 * ordinary user (WF-1, seed 003: "they do not have a login to WISEflow"; they log in through the
 * access link). The role's name is an assumption (docs/wiseflow-apis.md).
 */
export const SUPERVISOR_ROLES = [EXTERNAL_ASSESSOR_ROLE];

export interface SyncFlowInput {
  flowId: number;
  periodNumber: string;
  userDataTypeId: number;
  known: Record<string, number>;
  links: Record<string, LinkRecord>;
  linkPolicy: LinkPolicy;
  /** The workflow's time (ms): marking start and link expiry are judged at it. */
  nowMs: number;
}

export interface SyncFlowResult {
  flowState: string;
  finished: boolean;
  markingStarted: boolean;
  supervisors: number;
  usersCreated: number;
  usersUpdated: number;
  assessorsAdded: number;
  assessorsRemoved: number;
  keptAfterMarking: SupervisorUser[];
  linksIssued: number;
  known: Record<string, number>;
  links: Record<string, LinkRecord>;
}

export async function syncFlow(
  wiseflow: FlowSyncWiseflow,
  praktikportalen: FlowSyncPraktikportalen,
  input: SyncFlowInput,
  progress: (step: string) => void = () => undefined,
): Promise<SyncFlowResult> {
  const { flowId, periodNumber, userDataTypeId } = input;
  progress('reading the flow');
  const flow = await wiseflow.getFlow(flowId);
  if (!flow) {
    throw new RejectedError(
      'WISEflow',
      `flow ${flowId} does not exist (or is not on this licence)`,
      404,
      'FlowNotFound',
    );
  }
  const untouched = {
    flowState: flow.state,
    supervisors: 0,
    usersCreated: 0,
    usersUpdated: 0,
    assessorsAdded: 0,
    assessorsRemoved: 0,
    keptAfterMarking: [],
    linksIssued: 0,
    known: input.known,
    links: input.links,
  };
  // A concluded or archived flow is left as it is: the sync has ended (WF-3).
  if (isFlowFinished(flow.state)) return { ...untouched, finished: true, markingStarted: true };
  const markingStarted = hasMarkingStarted(flow, input.nowMs);

  progress('reading the period');
  const period = await praktikportalen.getPeriod(periodNumber);
  if (!period) {
    throw new RejectedError(
      'Praktikportalen',
      `internship period ${periodNumber} does not exist; check the number the flow is linked to`,
      404,
      'PeriodNotFound',
    );
  }

  progress('finding the external assessor type');
  const externalType = (await wiseflow.listAssessorTypes()).find((t) => t.external);
  if (!externalType) {
    throw new RejectedError(
      'WISEflow',
      'the licence has no external assessor type, so supervisors cannot be added as external assessors',
      undefined,
      'NoExternalAssessorType',
    );
  }
  await wiseflow.addFlowAssessorType(flowId, externalType.id);

  progress('supervisors');
  const found = new Map<string, ExistingUser | undefined>();
  for (const s of period.supervisors) {
    if (!found.has(s.praktikportalenId)) {
      found.set(
        s.praktikportalenId,
        await wiseflow.findUserByExternalId(userDataTypeId, s.praktikportalenId),
      );
    }
  }
  let usersCreated = 0;
  let usersUpdated = 0;
  const desired: SupervisorUser[] = [];
  for (const action of planUsers(period.supervisors, found)) {
    const { supervisor } = action;
    if (action.kind === 'keep') {
      desired.push({ praktikportalenId: supervisor.praktikportalenId, userId: action.userId });
      continue;
    }
    // Creates or updates by the external id: WISEflow answers 201 or 200 (REFERENCE.md).
    const { user, created } = await wiseflow.upsertUser({
      firstName: supervisor.firstName,
      lastName: supervisor.lastName,
      emails: [supervisor.email],
      roles: SUPERVISOR_ROLES,
      externalIds: [{ userDataTypeId, value: supervisor.praktikportalenId }],
    });
    if (created) usersCreated++;
    else usersUpdated++;
    desired.push({ praktikportalenId: supervisor.praktikportalenId, userId: user.userId });
  }

  progress('assessors');
  const plan = planFlowAssessors({
    desired,
    known: input.known,
    assessors: await wiseflow.listFlowAssessors(flowId),
    externalAssessorTypeId: externalType.id,
    markingStarted,
  });
  for (const a of plan.add) {
    await wiseflow.addFlowAssessor(flowId, { userId: a.userId, assessorTypeId: externalType.id });
  }
  let assessorsRemoved = 0;
  for (const r of plan.remove) {
    for (const assessorId of r.assessorIds) await wiseflow.removeFlowAssessor(flowId, assessorId);
    assessorsRemoved++;
  }

  progress('access links');
  // Links for the period's supervisors: Praktikportalen shows links only to those in the period, so
  // one kept after marking keeps the link it has until it expires.
  const holders = desired;
  const links: Record<string, LinkRecord> = {};
  for (const h of holders) {
    const link = input.links[h.praktikportalenId];
    if (link) links[h.praktikportalenId] = link;
  }
  let linksIssued = 0;
  for (const due of linksToIssue(holders, links, input.nowMs, input.linkPolicy)) {
    // A new token invalidates the old link in WISEflow; Praktikportalen then shows only the new one (WF-6).
    const token = await wiseflow.createAccessToken(due.userId, {
      expirationDate: linkExpiration(input.nowMs, input.linkPolicy),
      sendEmail: false,
    });
    await praktikportalen.publishAccessLink({
      periodNumber,
      praktikportalenId: due.praktikportalenId,
      url: token.url,
      expires: token.expires,
    });
    links[due.praktikportalenId] = {
      userId: due.userId,
      expires: token.expires,
      creationDate: token.creationDate,
    };
    linksIssued++;
  }

  return {
    flowState: flow.state,
    finished: false,
    markingStarted,
    supervisors: desired.length,
    usersCreated,
    usersUpdated,
    assessorsAdded: plan.add.length,
    assessorsRemoved,
    keptAfterMarking: plan.keptAfterMarking,
    linksIssued,
    known: plan.known,
    links,
  };
}
