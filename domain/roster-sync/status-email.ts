/**
 * The status e-mail after every roster-sync run (IMSE-4), as a pure function of the run's status.
 */
import { entityTypes } from '../roster';
import { decidedBy, type RosterSyncStatus } from './input';

export type StatusEmailKind =
  'applied' | 'stopped-by-filter' | 'changed-since-approval' | 'rejected' | 'failed' | 'nothing-to-do';

export interface StatusEmail {
  subject: string;
  text: string;
}

const headline: Record<StatusEmailKind, string> = {
  applied: 'applied',
  'stopped-by-filter': 'STOPPED by the safety filter: nothing was written',
  'changed-since-approval': 'STOPPED again: the plan changed since it was approved, nothing was written',
  rejected: 'not applied (rejected)',
  failed: 'FAILED',
  'nothing-to-do': 'no changes',
};

export function rosterStatusEmail(
  kind: StatusEmailKind,
  status: RosterSyncStatus,
  workflowId: string,
  options: { filterOffByConfiguration?: boolean } = {},
): StatusEmail {
  const lines: string[] = [
    `Roster sync ${status.integrationId} for ${status.syncDate ?? 'today'}: ${headline[kind]}.`,
    `Workflow: ${workflowId}`,
    '',
  ];
  if (!status.safetyFilter.enabled) {
    lines.push(
      `The safety filter was turned OFF for this run by ${decidedBy(status.safetyFilter.disabledBy, status.safetyFilter.disabledByIdentity)}: ${status.safetyFilter.reason}`,
      '',
    );
  }
  if (options.filterOffByConfiguration || status.safetyFilter.offByConfiguration) {
    lines.push(
      'The safety filter is turned OFF by configuration (the thresholds file says enabled: false): no run of this integration is checked.',
      '',
    );
  }
  const since = status.sinceApproval;
  if (since && !since.within) {
    const a = since.approved;
    lines.push(
      `The plan changed since it was approved by ${decidedBy(a.operator, a.identity)} at ${a.at}; planned again against fresh data:`,
    );
    for (const c of since.changes) {
      lines.push(`  - ${c.entityType} ${c.op}s: approved ${c.approved}, now ${c.now}`);
    }
    for (const type of entityTypes) {
      const n = since.unapprovedDeletes[type];
      if (n) lines.push(`  - ${type}: ${n} delete(s) of entities the approved plan did not delete`);
    }
    lines.push('');
  }
  if (status.violations.length > 0) {
    lines.push('Safety filter thresholds exceeded:');
    for (const v of status.violations) {
      const share = v.share === null ? 'n/a' : `${(v.share * 100).toFixed(1)}%`;
      const shareLimit = v.shareLimit === null ? 'none' : `${(v.shareLimit * 100).toFixed(1)}%`;
      lines.push(
        `  - ${v.entityType} ${v.kind}: ${v.count} (limit ${v.limit ?? 'none'}; share of previous import ${share}, limit ${shareLimit})`,
      );
    }
    lines.push('');
  }
  if (status.summary) {
    lines.push('Planned changes (create / update / delete / held):');
    for (const type of entityTypes) {
      const c = status.summary.byType[type];
      if (c && c.create + c.update + c.delete + c.held + (c.archive ?? 0) > 0) {
        const archived = c.archive ? `  (${c.archive} archived instead of deleted)` : '';
        lines.push(`  ${type.padEnd(15)} ${c.create} / ${c.update} / ${c.delete} / ${c.held}${archived}`);
      }
    }
    const t = status.summary.totals;
    const archivedTotal = t.archive ? `  (${t.archive} archived instead of deleted)` : '';
    lines.push(
      `  ${'total'.padEnd(15)} ${t.create} / ${t.update} / ${t.delete} / ${t.held}${archivedTotal}`,
      '',
    );
  }
  if (status.notes?.length) {
    for (const note of status.notes) lines.push(note);
    lines.push('');
  }
  if (status.dataWarnings && status.dataWarnings.warningCount > 0) {
    const { warningCount, warnings } = status.dataWarnings;
    lines.push(
      `${warningCount} value(s) in the source needed attention (IMS Enterprise limits, source data); the rest of the run is not affected:`,
    );
    for (const w of warnings) lines.push(`  - ${w}`);
    if (warningCount > warnings.length) lines.push(`  ... and ${warningCount - warnings.length} more`);
    lines.push('');
  }
  if (status.applied) {
    const { operations, batches, warningCount, warnings } = status.applied;
    lines.push(`Applied ${operations} operations in ${batches} batches.`, '');
    if (warningCount > 0) {
      lines.push(`itslearning reported ${warningCount} warning(s) while importing:`);
      for (const w of warnings) lines.push(`  - ${w}`);
      if (warningCount > warnings.length) lines.push(`  ... and ${warningCount - warnings.length} more`);
      lines.push('');
    }
  }
  if (kind === 'stopped-by-filter' || kind === 'changed-since-approval') {
    lines.push(
      `The run waits for an operator until ${status.awaitingApprovalUntil} and is then rejected.`,
      `See the whole plan: ${status.plan?.howToView ?? 'n/a'}`,
      `Approve: Web UI -> workflow ${workflowId} -> Updates -> "approve" with {"operator": "you@school", "comment": "..."}`,
      `   or:   npm run client -- update ${workflowId} approve --input approval.json`,
      'Reject:  the same with the update "reject".',
      'Approve part of it: add "apply" and/or "hold", e.g. {"operator": "you@school", "hold": [{"entityType": "course", "op": "delete"}]};',
      '         what is held stays for a later run.',
    );
  }
  if (status.approval && kind !== 'changed-since-approval') {
    lines.push(
      `Decision: ${status.approval.decision}${status.approval.operator ? ` by ${decidedBy(status.approval.operator, status.approval.identity)}` : ''} at ${status.approval.at}` +
        (status.approval.comment ? ` (${status.approval.comment})` : ''),
    );
    const selection = status.approval.selection;
    if (selection) {
      const scope = (list: { entityType?: string; op?: string }[] | undefined) =>
        list
          ?.map((s) =>
            s.entityType
              ? s.op
                ? `${s.entityType} ${s.op}s`
                : `all ${s.entityType} changes`
              : `all ${s.op}s`,
          )
          .join(', ');
      lines.push(
        `Partial approval: ${selection.apply ? `apply only ${scope(selection.apply)}` : 'apply everything'}` +
          `${selection.hold ? `, hold ${scope(selection.hold)}` : ''}; the rest is held for a later run.`,
      );
    }
  }
  if (status.error) lines.push(`Error: ${status.error}`);
  return {
    subject: `[roster sync] ${status.integrationId} ${status.syncDate ?? ''}: ${headline[kind]}`,
    text: lines.join('\n'),
  };
}
