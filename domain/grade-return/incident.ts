/**
 * A platform-wide Coachview problem (CV-6), reported once: the incident's shape and rules. Loaded by
 * workflow code: no imports that load zod.
 */
import type { NotCountedReason } from './attempts';

/** The one workflow that holds an open Coachview incident. */
export const COACHVIEW_INCIDENT_WORKFLOW_ID = 'platform-incident:coachview';

/**
 * How often an open incident probes Coachview (one REST request each): after 15 minutes, then twice as
 * long each time up to an hour, so a long incident costs at most 24 requests a day.
 */
export const INCIDENT_PROBE_INTERVAL_MS = 15 * 60 * 1000;
export const INCIDENT_PROBE_MAX_INTERVAL_MS = 60 * 60 * 1000;

/** The wait before probe number `n` (0-based). */
export function probeInterval(n: number): number {
  return Math.min(INCIDENT_PROBE_MAX_INTERVAL_MS, INCIDENT_PROBE_INTERVAL_MS * 2 ** Math.min(n, 10));
}

/** Probes per workflow run before it continues as new (about a week). */
export const INCIDENT_PROBES_PER_RUN = 200;

export interface CoachviewIncidentInput {
  reason: NotCountedReason;
  /** What an operator reads, naming no learner (docs/failure-messages.md). */
  detail: string;
  /** When the first grade return met it, ISO. */
  since: string;
  /** Probes made by earlier runs of the same incident (continue-as-new); none: a new incident. */
  probesBefore?: number;
}

export type CoachviewProbe = { ok: true } | { ok: false; reason: NotCountedReason; detail: string };

export interface CoachviewIncidentStatus {
  phase: 'open' | 'over';
  reason: NotCountedReason;
  detail: string;
  since: string;
  probes: number;
  lastProbe: ({ at: string } & CoachviewProbe) | null;
  over: string | null;
}
