/**
 * What an operator reads about a roster sync in the Web UI (PLAT-13): the start's summary and
 * details, and the current state with counts. No names, e-mails or sync keys of the roster's
 * persons; the operator decisions say who made them, as the `status` query and the e-mail do (PLAT-15).
 */
import { currentDetails, plural, startMetadata, type StartMetadata } from '../user-metadata';
import type { EntityType, OperationCounts, SafetyViolation } from '../roster';
import { decidedBy, type RosterSyncStatus } from './input';

export function rosterSyncStartMetadata(input: {
  integrationId?: string;
  syncDate?: string;
  dryRun?: boolean;
}): StartMetadata {
  const integrationId = input.integrationId ?? 'procapita-itslearning';
  const day = input.syncDate ?? "the day's";
  return startMetadata(
    `Roster sync ${integrationId}: ${day} ProCapita roster → itslearning${input.dryRun ? ' (dry run)' : ''}`,
    [
      `Reads the ProCapita roster for ${input.syncDate ?? 'the day the run starts (Europe/Stockholm)'}, ` +
        'reads what itslearning holds under the sync key, plans creates, updates and deletes and checks ' +
        (input.dryRun
          ? 'the safety filter, then stops: a dry run writes nothing and sends no e-mail.'
          : 'the safety filter; it waits for an operator when the filter trips, applies the plan and e-mails the status.'),
      '',
      '- Where it stands: the current details here, or the `status` query (counts, plan key).',
      '- Stopped by the safety filter: send the update `approve` or `reject` with `{"operator": "you@school.se", "comment": "why"}`.',
      '- The whole plan: `npm run client -- show-stored <plan key> --summary`.',
    ],
  );
}

const entityNames: Record<EntityType, string> = {
  person: 'persons',
  unit: 'units',
  class: 'classes',
  'teaching-group': 'teaching groups',
  course: 'courses',
  term: 'terms',
  membership: 'memberships',
};

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** "deletes of persons 412 > 50", "deletes of persons 61.0% of the previous import > 20.0%". */
export function describeViolation(v: SafetyViolation): string {
  const what = `${v.kind} of ${entityNames[v.entityType]}`;
  const parts: string[] = [];
  if (v.exceeded.includes('absolute')) parts.push(`${what} ${v.count} > ${v.limit ?? 'none'}`);
  if (v.exceeded.includes('share') && v.share !== null && v.shareLimit !== null) {
    parts.push(`${what} ${percent(v.share)} of the previous import > ${percent(v.shareLimit)}`);
  }
  return parts.join('; ');
}

const totalsText = (t: OperationCounts): string =>
  `${plural(t.create, 'create')}, ${plural(t.update, 'update')}, ${plural(t.delete, 'delete')}` +
  (t.archive ? `, ${t.archive} archived` : '') +
  (t.held > 0 ? `, ${t.held} held` : '');

/** The run's current details, from its status (the same data as the `status` query). */
export function rosterSyncCurrentDetails(status: RosterSyncStatus): string {
  const day = status.syncDate ?? 'today';
  const plan = status.summary ? `Plan: ${totalsText(status.summary.totals)}.` : '';
  const filterOff = [
    status.safetyFilter.enabled
      ? ''
      : `Safety filter turned off by ${decidedBy(status.safetyFilter.disabledBy, status.safetyFilter.disabledByIdentity)}.`,
    status.safetyFilter.offByConfiguration
      ? 'Safety filter turned off by configuration (thresholds file: enabled: false).'
      : '',
  ];
  const approvedBy =
    status.approval?.decision === 'approved'
      ? `Approved by ${decidedBy(status.approval.operator, status.approval.identity)} at ${status.approval.at}.`
      : '';
  return currentDetails([...phaseDetails(status, day, plan, approvedBy), ...filterOff].filter(Boolean));
}

function phaseDetails(status: RosterSyncStatus, day: string, plan: string, approvedBy: string): string[] {
  switch (status.phase) {
    case 'reading-source':
      return [`Reading the ProCapita roster for ${day}.`];
    case 'reading-target':
      return [`Reading what itslearning holds (roster for ${day} read).`];
    case 'planning':
      return [`Planning the changes for ${day}.`];
    case 'awaiting-approval':
      return [
        status.sinceApproval && !status.sinceApproval.within
          ? `The plan changed since it was approved at ${status.sinceApproval.approved.at}: ` +
            `${status.sinceApproval.changes
              .map((c) => `${c.op}s of ${entityNames[c.entityType]} ${c.approved} → ${c.now}`)
              .join(
                ', ',
              )}${Object.keys(status.sinceApproval.unapprovedDeletes).length > 0 ? ', with deletes the approval did not cover' : ''}; approve again or reject.`
          : '',
        `Waiting for approval until ${status.awaitingApprovalUntil ?? 'the deadline'}: ` +
          `${status.violations.map(describeViolation).join('; ')}.`,
        plan,
        'Send the update approve or reject; nothing has been written to itslearning.',
      ];
    case 'applying':
      return [`Applying the plan for ${day}.`, plan, approvedBy];
    case 'applied': {
      const a = status.applied;
      return [
        a
          ? `Applied ${plural(a.operations, 'operation')} in ${plural(a.batches, 'batch', 'batches')}` +
            ` for ${day}; itslearning reported ${plural(a.warningCount, 'warning')}.`
          : `Applied for ${day}.`,
        approvedBy,
      ];
    }
    case 'dry-run':
      return [`Dry run for ${day}: nothing written.`, plan];
    case 'nothing-to-do':
      return [`Nothing to do for ${day}: itslearning already matches ProCapita.`];
    case 'rejected': {
      const approval = status.approval;
      return [
        approval?.decision === 'timed-out' || !approval
          ? `Rejected for ${day}: no decision before the deadline; nothing written.`
          : `Rejected by ${decidedBy(approval.operator, approval.identity)} at ${approval.at} for ${day}; nothing written.`,
        plan,
      ];
    }
    case 'failed':
      return [`Failed for ${day}: ${status.error ?? 'see the failure'}.`];
  }
}
