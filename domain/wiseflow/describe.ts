/**
 * What an operator reads about a flow sync in the Web UI (PLAT-13) and its `status` query. Counts
 * and states only in the texts: supervisors are people, named only in the encrypted status query.
 * No zod: workflow code loads this.
 */
import { currentDetails, plural, startMetadata, type StartMetadata } from '../user-metadata';
import type { SyncRecord, UpdateRequest } from './input';
import type { SupervisorUser } from './assessor-plan';

export type FlowSyncPhase = 'checking-licence' | 'linking' | 'syncing' | 'waiting' | 'ended' | 'refused';

export interface FlowSyncStatus {
  phase: FlowSyncPhase;
  flowId: number;
  periodNumber: string;
  syncEveryMinutes: number;
  linkedAt: string | null;
  flowState: string | null;
  markingStarted: boolean;
  /** Syncs made by this workflow, over every continue-as-new. */
  syncs: number;
  lastSync: SyncRecord | null;
  nextSyncAt: string | null;
  nextLinkRenewalAt: string | null;
  /** Supervisors on the flow now (Praktikportalen id → WISEflow user id). */
  supervisors: Record<string, number>;
  /** Supervisors who left after marking started and stay as assessors (WF-6). */
  keptAfterMarking: SupervisorUser[];
  pendingRequests: UpdateRequest[];
  /** Update requests answered to WISEflow, latest last (at most a few). */
  answered: Array<{ requestId?: string; outcome: 'done' | 'failed'; reason?: string; at: string }>;
  /** Why the workflow refused or ended. */
  endReason: string | null;
}

export function flowSyncStartMetadata(input: {
  flowId: number;
  periodNumber: string;
  syncEveryMinutes: number;
}): StartMetadata {
  return startMetadata(`WISEflow flow ${input.flowId} ← Praktikportalen period ${input.periodNumber}`, [
    `Links WISEflow flow **${input.flowId}** to internship period **${input.periodNumber}** in Praktikportalen ` +
      `and keeps it up to date through the flow's active stages: every ${plural(input.syncEveryMinutes, 'minute')}, ` +
      'and at once when a manager presses “update” in WISEflow. Ends when the flow is concluded or archived.',
    '',
    '- Supervisors become external assessors with working access links in Praktikportalen (WF-1, WF-2).',
    '- Where it stands: the current details here, or the `status` query.',
    '- Sync now: the signal `requestSync` (or `npm run client -- wiseflow request-sync <flowId> <period>`).',
  ]);
}

function describeSync(s: SyncRecord): string {
  if (s.outcome === 'failed') return `Last sync at ${s.at} failed: ${s.error ?? 'unknown reason'}.`;
  const changes = [
    s.usersCreated > 0 ? `${plural(s.usersCreated, 'user')} created` : null,
    s.usersUpdated > 0 ? `${plural(s.usersUpdated, 'user')} updated` : null,
    s.assessorsAdded > 0 ? `${plural(s.assessorsAdded, 'assessor')} added` : null,
    s.assessorsRemoved > 0 ? `${plural(s.assessorsRemoved, 'assessor')} removed` : null,
    s.linksIssued > 0 ? `${plural(s.linksIssued, 'access link')} issued` : null,
  ].filter((x): x is string => x !== null);
  return (
    `Last sync at ${s.at} (${s.trigger}): flow ${s.flowState ?? '?'}, ${plural(s.supervisors, 'supervisor')}; ` +
    `${changes.length > 0 ? changes.join(', ') : 'nothing to change'}.`
  );
}

export function flowSyncCurrentDetails(s: FlowSyncStatus): string {
  const lines: string[] = [];
  switch (s.phase) {
    case 'checking-licence':
      lines.push('Checking that the WISEflow licence carries a Praktikportalen id (WF-4).');
      break;
    case 'linking':
      lines.push(`Adding period ${s.periodNumber} as the flow's external source in WISEflow.`);
      break;
    case 'syncing':
      lines.push(`**Syncing** flow ${s.flowId} with period ${s.periodNumber}.`);
      break;
    case 'waiting':
      lines.push(
        `**Up to date**; next sync at ${s.nextSyncAt ?? '?'}` +
          (s.nextLinkRenewalAt ? `, next access-link renewal at ${s.nextLinkRenewalAt}.` : '.'),
      );
      break;
    case 'ended':
      lines.push(`**Ended**: ${s.endReason ?? 'the flow left its active stages'}.`);
      break;
    case 'refused':
      lines.push(`**Refused**: ${s.endReason ?? ''}`);
      break;
  }
  if (s.lastSync) lines.push('', describeSync(s.lastSync));
  if (s.keptAfterMarking.length > 0) {
    lines.push(
      '',
      `${plural(s.keptAfterMarking.length, 'supervisor')} left the period after marking started and ` +
        'stay assessors (WF-6); the operators were e-mailed. Who: the `status` query.',
    );
  }
  return currentDetails(lines);
}
