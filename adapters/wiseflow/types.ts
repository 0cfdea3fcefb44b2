/**
 * WISEflow: the shapes and the client the flow sync uses (REFERENCE.md's WISEflow API facts; what the
 * simulator assumes beyond them is in docs/wiseflow-apis.md). Contract between W1 and W2 (issue 12):
 * fields and methods may be added, never removed or renamed.
 */
export type FlowState =
  'NOT_ACTIVATED' | 'ACTIVATED' | 'PARTICIPATION_STARTED' | 'PARTICIPATION_ENDED' | 'CONCLUDED' | 'ARCHIVED';

export interface LicenseInfo {
  licenseId: number;
  name: string;
  /** Kinds of external id a user can carry, e.g. `{ id: 7, name: 'Praktikportalen' }`. */
  userDataTypes: Array<{ id: number; name: string }>;
  settings: { requireUniqueEmails: boolean };
}

export interface AssessorType {
  id: number;
  name: string;
  external: boolean;
}

export interface Flow {
  id: number;
  title: string;
  state: FlowState;
  /** Unix seconds. */
  markingStart?: number;
  markingEnd?: number;
  participationStart?: number;
  participationEnd?: number;
}

export interface FlowAssessor {
  assessorId: number;
  userId: number;
  assessorTypeId: number;
}

export interface FlowExternalSource {
  id: number;
  reference: string;
  description: string;
  syncState: 'NONE' | 'SUCCESS' | 'PENDING' | 'FAILED';
  /** Unix seconds. */
  lastSync?: number;
  lastRequestedSync?: number;
}

export interface WiseflowUser {
  userId: number;
  firstName: string;
  lastName: string;
  emails: string[];
  externalIds: Array<{ userDataTypeId: number; value: string }>;
  roles: string[];
}

/** Unix seconds. */
export interface AccessToken {
  token: string;
  url: string;
  expires: number;
  creationDate: number;
}

export interface WiseflowClient {
  getLicenseInfo(): Promise<LicenseInfo>;
  /** GET /license/assessor-types */
  listAssessorTypes(): Promise<AssessorType[]>;
  getFlow(flowId: number): Promise<Flow | undefined>;
  findUserByExternalId(userDataTypeId: number, value: string): Promise<WiseflowUser | undefined>;
  /** POST /license/user: creates or updates (201/200); roles for an external assessor only. */
  upsertUser(user: {
    firstName: string;
    lastName: string;
    emails: string[];
    roles: string[];
    externalIds: Array<{ userDataTypeId: number; value: string }>;
  }): Promise<{ user: WiseflowUser; created: boolean }>;
  /** Pages through all. */
  listFlowAssessors(flowId: number): Promise<FlowAssessor[]>;
  /** Idempotent (already added is fine). */
  addFlowAssessorType(flowId: number, assessorTypeId: number): Promise<void>;
  /** 403 when the flow is archived: RejectedError. */
  addFlowAssessor(
    flowId: number,
    assessor: { userId: number; assessorTypeId: number },
  ): Promise<FlowAssessor>;
  /** 404 is treated as already removed. */
  removeFlowAssessor(flowId: number, assessorId: number): Promise<void>;
  /** 403 when the licence lacks the access-token module: RejectedError. */
  createAccessToken(
    userId: number,
    options: { expirationDate: number; sendEmail: false },
  ): Promise<AccessToken>;
  /** 409 (exists) answers the existing source. */
  addExternalSource(
    flowId: number,
    source: { reference: string; description: string },
  ): Promise<FlowExternalSource>;
  listExternalSources(flowId: number): Promise<FlowExternalSource[]>;
  reportSyncDone(flowId: number, reference: string): Promise<void>;
  reportSyncFailed(flowId: number, reference: string, reason: string): Promise<void>;
}
