/**
 * Which stages of a WISEflow flow the Praktikportalen sync keeps up to date (WF-3). No imports:
 * workflow code reads this.
 */

/** WISEflow's flow states (REFERENCE.md), in the order a flow passes through them. */
export type FlowStateName =
  'NOT_ACTIVATED' | 'ACTIVATED' | 'PARTICIPATION_STARTED' | 'PARTICIPATION_ENDED' | 'CONCLUDED' | 'ARCHIVED';

/**
 * The active stages: from set-up (a manager links the flow before activating it, so the supervisors
 * are in place when it starts) through marking. Assumption, documented in docs/wiseflow.md: WISEflow
 * says "the active stages" without listing them.
 */
export const ACTIVE_FLOW_STATES: readonly FlowStateName[] = [
  'NOT_ACTIVATED',
  'ACTIVATED',
  'PARTICIPATION_STARTED',
  'PARTICIPATION_ENDED',
];

/** The sync ends when the flow reaches one of these (WF-3). */
export const FINISHED_FLOW_STATES: readonly FlowStateName[] = ['CONCLUDED', 'ARCHIVED'];

export function isFlowActive(state: FlowStateName): boolean {
  return ACTIVE_FLOW_STATES.includes(state);
}

export function isFlowFinished(state: FlowStateName): boolean {
  return FINISHED_FLOW_STATES.includes(state);
}

/**
 * Whether marking has started (WF-6): its start date has passed, or the flow is past participation
 * (marking follows it; a flow without marking dates is treated as marking from then on, so that a
 * supervisor who may be marking is never removed).
 */
export function hasMarkingStarted(
  flow: { state: FlowStateName; markingStart?: number },
  nowMs: number,
): boolean {
  if (flow.markingStart !== undefined && nowMs >= flow.markingStart * 1000) return true;
  return flow.state === 'PARTICIPATION_ENDED' || isFlowFinished(flow.state);
}
