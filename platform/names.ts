/**
 * Names shared by workers, clients and tests: task queues, workflow types and ids, search attributes.
 * Workflow ids are deterministic so that a repeated trigger maps onto the same execution.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const taskQueues = {
  gradeReturn: 'grade-return',
  rosterSync: 'roster-sync',
  wiseflow: 'wiseflow',
  competences: 'competences',
} as const;

export type TaskQueue = (typeof taskQueues)[keyof typeof taskQueues];

export const workflowTypes = {
  gradeReturn: 'gradeReturnWorkflow',
  pollMoodleCompletions: 'pollMoodleCompletionsWorkflow',
  rosterSync: 'rosterSyncWorkflow',
  storeRetention: 'storeRetentionWorkflow',
  yearEndFreeze: 'yearEndFreezeWorkflow',
  delayDeleteWindow: 'delayDeleteWindowWorkflow',
  wiseflowFlowSync: 'wiseflowFlowSyncWorkflow',
  competenceLink: 'competenceLinkWorkflow',
  competenceSync: 'competenceSyncWorkflow',
} as const;

export type CompletionSource = 'moodle' | 'ilias' | 'anewspring';

/** One grade return per learner and course in a source system (CV-1). */
/** The daily roster-sync schedule of an integration (PLAT-6); the year-end freeze pauses it (IMSE-5). */
export function rosterSyncScheduleId(integrationId: string): string {
  return `roster-sync-daily:${integrationId}`;
}

/** One year-end freeze per integration at a time (IMSE-5). */
export function yearEndFreezeWorkflowId(integrationId: string): string {
  return `year-end-freeze:${integrationId}`;
}

/** One delay-delete window per integration at a time (IMSE-6). */
export function delayDeleteWorkflowId(integrationId: string): string {
  return `delay-delete:${integrationId}`;
}

export function gradeReturnWorkflowId(source: CompletionSource, courseId: string, learnerId: string): string {
  return `grade-return:${source}:${courseId}:${learnerId}`;
}

/** One flow sync per WISEflow flow and Praktikportalen period (WF-3): linking twice is a no-op. */
export function wiseflowFlowSyncWorkflowId(flowId: number, periodNumber: string): string {
  return `wiseflow-flow-sync:${flowId}:${periodNumber}`;
}

/** The `SourceId` of a flow sync: the intake finds a flow's sync by it when a webhook names no period. */
export function wiseflowFlowSourceId(flowId: number): string {
  return `wiseflow:flow:${flowId}`;
}

export const searchAttributes = {
  /** Which integration lifecycle the workflow belongs to, e.g. `grade-return`. */
  integration: defineSearchAttributeKey('Integration', SearchAttributeType.KEYWORD),
  /** School year the work belongs to, e.g. `2026/2027`. */
  schoolYear: defineSearchAttributeKey('SchoolYear', SearchAttributeType.KEYWORD),
  /** The id of the thing in the source system, e.g. `moodle:course-7:learner-42`. */
  sourceId: defineSearchAttributeKey('SourceId', SearchAttributeType.KEYWORD),
  /** A short, operator-facing state, e.g. `waiting-for-retry`, `registered`. */
  integrationStatus: defineSearchAttributeKey('IntegrationStatus', SearchAttributeType.KEYWORD),
} as const;

/** All custom search attributes, for registering them with a server. */
export const allSearchAttributes = Object.values(searchAttributes);

export const integrations = {
  gradeReturn: 'grade-return',
  rosterSync: 'roster-sync',
  wiseflow: 'praktikportalen-wiseflow',
  competences: 'infocaption-winlas',
  /** The platform's own housekeeping, e.g. the snapshot store's retention. */
  platform: 'platform',
} as const;
