/** The roster sync domain: canonical model, pure planner, safety filter and batching. No I/O, no Node built-ins. */
export * from './model';
export * from './target';
export * from './plan';
export {
  planPolicySchema,
  pipelineFor,
  type PlanContext,
  type PlanPipeline,
  type PlanPolicy,
  type PlanStep,
  type SourceStep,
} from './policy';
export { planSync } from './planner';
export { archiveInsteadOfDelete, type ArchivingOptions } from './archiving';
export { RosterIntegrityError } from './diff';
export { rosterIssues, type RosterIssue } from './integrity';
export {
  countRoster,
  countSynced,
  entityCountsSchema,
  isEmptyPlan,
  operationCountsSchema,
  planSummarySchema,
  summarizePlan,
  type EntityCounts,
  type OperationCounts,
  type PlanSummary,
} from './summary';
export {
  defaultTypeLimits,
  evaluateSafetyFilter,
  safetyThresholdsSchema,
  safetyVerdictSchema,
  safetyViolationSchema,
  type Limit,
  type SafetyThresholds,
  type SafetyThresholdsInput,
  type SafetyVerdict,
  type SafetyViolation,
  type TypeLimits,
} from './safety-filter';
export { batchPlan, batchSchema, DEFAULT_BATCH_SIZE, type Batch, type BatchOptions } from './batches';
export { createHasher, hashOf, type Hasher } from './hash';
export {
  approvalCheckSchema,
  checkAgainstApproval,
  planChangeSchema,
  type ApprovalCheck,
  type PlanChange,
} from './approval';
export {
  DELAY_DELETE_REASON,
  delayDeleteActive,
  delayDeleteWindowSchema,
  holdDeletes,
  type DelayDeleteWindow,
} from './delay-delete';
export { mergeSummerData, summerDataActive, summerDataSchema, type SummerData } from './summer-data';
export {
  approvalScopeSchema,
  approvalSelectionSchema,
  isPartialSelection,
  NOT_APPROVED_REASON,
  restrictPlan,
  type ApprovalScope,
  type ApprovalSelection,
} from './partial-approval';
