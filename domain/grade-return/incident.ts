/**
 * A platform-wide Coachview problem (CV-6), reported once: the incident's shape and rules. Loaded by
 * workflow code: no imports that load zod.
 */
import type { NotCountedReason } from './attempts';

/** The one workflow that holds an open Coachview incident. */
export const COACHVIEW_INCIDENT_WORKFLOW_ID = 'platform-incident:coachview';

/** How often an open incident probes Coachview (one REST request each: 96 a day at most). */
export const INCIDENT_PROBE_INTERVAL_MS = 15 * 60 * 1000;

/** Probes per workflow run before it continues as new (about two days). */
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
