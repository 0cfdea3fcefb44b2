/**
 * The roster-sync workflow's input and status, as data operators see in the Web UI (IMSE-1..4, 10).
 */
import { z } from 'zod';
import {
  approvalSelectionSchema,
  type ApprovalCheck,
  type ApprovalSelection,
  type PlanSummary,
  type SafetyViolation,
} from '../roster';

export const rosterSyncInputSchema = z
  .object({
    /** Which integration (ProCapita database -> itslearning site) this run is for. */
    integrationId: z.string().trim().min(1).max(60).default('procapita-itslearning'),
    /** The calendar day (Europe/Stockholm) the export is read for; today when left out. */
    syncDate: z.iso.date().optional(),
    /** Plan and report only: nothing is written to the target and no status e-mail is sent (IMSE-10). */
    dryRun: z.boolean().default(false),
    /**
     * Turning the safety filter off for this run is an explicit, recorded operator act (IMSE-3):
     * it needs the operator's name and a reason, which go to the status, the e-mail and history.
     */
    safetyFilter: z
      .object({
        enabled: z.boolean().default(true),
        disabledBy: z.string().trim().min(1).optional(),
        reason: z.string().trim().min(3).optional(),
      })
      .refine((f) => f.enabled || (f.disabledBy && f.reason), {
        message: 'turning the safety filter off needs disabledBy (the operator) and reason',
      })
      .default({ enabled: true }),
    /** How long a run stopped by the filter waits for `approve` before it rejects itself. */
    approvalTimeoutHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .default(72),
  })
  .strict();

export type RosterSyncInput = z.output<typeof rosterSyncInputSchema>;

export const approvalSchema = z.object({
  /** Who decides, e.g. an e-mail address; recorded in history and the status e-mail. */
  operator: z.string().trim().min(1).max(200),
  comment: z.string().trim().max(2000).optional(),
  /**
   * A partial approval (approve only): apply only what matches `apply` and hold what matches `hold`,
   * e.g. `"apply": [{"entityType": "membership"}, {"entityType": "person", "op": "delete"}]` or
   * `"hold": [{"entityType": "course", "op": "delete"}]`. The rest stays for a later run.
   */
  ...approvalSelectionSchema.shape,
});
export type Approval = z.infer<typeof approvalSchema>;

export type RosterSyncPhase =
  | 'reading-source'
  | 'reading-target'
  | 'planning'
  | 'awaiting-approval'
  | 'applying'
  | 'applied'
  | 'dry-run'
  | 'rejected'
  | 'nothing-to-do'
  | 'failed';

export interface RosterSyncStatus {
  phase: RosterSyncPhase;
  integrationId: string;
  syncDate: string | null;
  dryRun: boolean;
  /** The input's choice; when it turned the filter off, also who started the run as Temporal recorded it (PLAT-15). */
  safetyFilter: RosterSyncInput['safetyFilter'] & {
    disabledByIdentity?: string | null;
    /** True when the worker's thresholds file turns the filter off for every run (`enabled: false`). */
    offByConfiguration?: boolean;
  };
  /** Counts per entity type and operation, once planned. */
  summary: PlanSummary | null;
  violations: SafetyViolation[];
  /** Where the whole plan is stored, and how to see it. */
  plan: { key: string; howToView: string } | null;
  approval: {
    decision: 'approved' | 'rejected' | 'timed-out';
    /** The name the operator typed. */
    operator: string | null;
    /**
     * The identity Temporal attached to the update's caller: the Web UI's signed-in user, the CLI's
     * user@host (PLAT-15). Absent in runs recorded before it was kept, and for a timeout.
     */
    identity?: string | null;
    comment?: string;
    /** A partial approval: what it applies and holds. */
    selection?: ApprovalSelection;
    at: string;
  } | null;
  awaitingApprovalUntil: string | null;
  /** Lines the year-end steps added to the plan (held deletes, summer data). Absent in older runs. */
  notes?: string[];
  /**
   * After an approval the run plans again (IMSE-11): how the fresh plan compares with the approved
   * one, and that approval. Absent before the first approval and in runs recorded before it.
   */
  sinceApproval?: (ApprovalCheck & { approved: NonNullable<RosterSyncStatus['approval']> }) | null;
  applied: AppliedSummary | null;
  /**
   * Data that did not fit IMS Enterprise 1.1 and was fitted per entity, and problems in the
   * source's data such as duplicate school rows (IMSE-12): they never stop the run. Absent in runs
   * recorded before it.
   */
  dataWarnings?: { warningCount: number; warnings: string[] } | null;
  error: string | null;
}

/** What applying a plan did, with the target's own warnings (IMSE-4: they go into the status e-mail). */
export interface AppliedSummary {
  batches: number;
  operations: number;
  /** How many warnings itslearning reported over all batches. */
  warningCount: number;
  /** The first of them, verbatim, so the e-mail and the status query stay small. */
  warnings: string[];
}

/** Warnings kept verbatim per run; the count covers the rest. */
export const MAX_KEPT_WARNINGS = 20;
const MAX_WARNING_LENGTH = 300;

/** Adds one import's warnings to the run's, keeping the first few verbatim (pure, for the heartbeat). */
export function addWarnings(
  kept: { warningCount: number; warnings: string[] },
  report: { warnings: string[]; warningCount?: number },
): { warningCount: number; warnings: string[] } {
  const room = Math.max(0, MAX_KEPT_WARNINGS - kept.warnings.length);
  const added = report.warnings
    .slice(0, room)
    .map((w) => (w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH)}...` : w));
  return {
    warningCount: kept.warningCount + Math.max(report.warningCount ?? 0, report.warnings.length),
    warnings: [...kept.warnings, ...added],
  };
}

/**
 * Who made an operator decision, for the status e-mail and current details: the name typed in and
 * the identity Temporal attached to the request, e.g. `maria@school.se (Temporal identity:
 * maria@school.se)`. Runs recorded before the identity was kept show the typed name only.
 */
export function decidedBy(typed: string | null | undefined, identity: string | null | undefined): string {
  const name = typed ?? 'an operator';
  if (identity === undefined) return name;
  return `${name} (Temporal identity: ${identity ?? 'none sent'})`;
}
