import type { Mailer } from '../../adapters/mail';
import type { SupervisorUser } from '../../domain/wiseflow';

export interface KeptAfterMarkingNotice {
  workflowId: string;
  flowId: number;
  periodNumber: string;
  kept: SupervisorUser[];
}

/**
 * Tells the operators that supervisors left the period after marking started and stay assessors on
 * the flow (WF-6): a person decides whether to take them off by hand in WISEflow.
 */
export async function notifyKeptAfterMarking(
  mailer: Mailer,
  recipients: string[],
  notice: KeptAfterMarkingNotice,
): Promise<void> {
  const { flowId, periodNumber, kept } = notice;
  await mailer.send({
    to: recipients,
    subject: `WISEflow flow ${flowId}: ${kept.length} supervisor(s) left period ${periodNumber} after marking started`,
    text: [
      `Marking has started on WISEflow flow ${flowId}, and these supervisors are no longer in Praktikportalen`,
      `period ${periodNumber}. They stay assessors on the flow (they may be marking) and keep their WISEflow user:`,
      '',
      ...kept.map((k) => `- Praktikportalen id ${k.praktikportalenId} (WISEflow user ${k.userId})`),
      '',
      'Remove them as assessors by hand in WISEflow if they should not mark. The sync will not add them again.',
      `Workflow: ${notice.workflowId}`,
    ].join('\n'),
  });
}
