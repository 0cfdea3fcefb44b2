/**
 * What the flow-sync activities use of the WISEflow and Praktikportalen clients: the parts of their
 * interfaces (adapters/wiseflow, adapters/praktikportalen) this lifecycle calls.
 */
import type { PraktikportalenClient } from '../../adapters/praktikportalen/types';
import type { WiseflowClient } from '../../adapters/wiseflow/types';

export type FlowSyncWiseflow = Pick<
  WiseflowClient,
  | 'getLicenseInfo'
  | 'listAssessorTypes'
  | 'getFlow'
  | 'findUserByExternalId'
  | 'upsertUser'
  | 'listFlowAssessors'
  | 'addFlowAssessorType'
  | 'addFlowAssessor'
  | 'removeFlowAssessor'
  | 'createAccessToken'
  | 'addExternalSource'
  | 'reportSyncDone'
  | 'reportSyncFailed'
>;

export type FlowSyncPraktikportalen = Pick<PraktikportalenClient, 'getPeriod' | 'publishAccessLink'>;
