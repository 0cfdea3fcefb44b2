/**
 * What a WISEflow licence holds, as far as the Praktikportalen integration touches it: the licence and
 * its user data types, assessor types, users, flows with their assessors and external sources, access
 * tokens and registered webhooks. Every change is real state a test or the Web UI's user can look at.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { WebhookDelivery } from '../elearning-common';
import type {
  AccessToken,
  AssessorType,
  Flow,
  FlowAssessor,
  FlowExternalSource,
  FlowState,
  LicenseInfo,
  WiseflowUser,
} from '../../adapters/wiseflow/types';
import type { WiseflowWebhooks } from './webhooks';

import { EXTERNAL_ASSESSOR_ROLE } from '../../adapters/wiseflow/limits';

/** The licence role a supervisor from Praktikportalen gets; any other set of roles makes an ordinary user. */
export { EXTERNAL_ASSESSOR_ROLE };
/** Default lifetime of an access token (REFERENCE.md: 8 hours). */
export const DEFAULT_ACCESS_TOKEN_SECONDS = 8 * 3600;

export const flowStates = [
  'NOT_ACTIVATED',
  'ACTIVATED',
  'PARTICIPATION_STARTED',
  'PARTICIPATION_ENDED',
  'CONCLUDED',
  'ARCHIVED',
] as const satisfies readonly FlowState[];

const unix = z.number().int().min(0);
const externalId = z.object({ userDataTypeId: z.number().int().positive(), value: z.string().min(1) });

export const licenceSeedSchema = z.object({
  licenseId: z.number().int().positive().default(1001),
  name: z.string().min(1).default('Demo University College'),
  userDataTypes: z
    .array(z.object({ id: z.number().int().positive(), name: z.string().min(1) }))
    .default([{ id: 7, name: 'Praktikportalen' }]),
  requireUniqueEmails: z.boolean().default(false),
  /** The licence's access-token module: without it `POST /user/{id}/access-token` answers 403. */
  accessTokenModule: z.boolean().default(true),
});

export const flowSeedSchema = z.object({
  id: z.number().int().positive(),
  title: z.string().min(1),
  state: z.enum(flowStates).default('ACTIVATED'),
  participationStart: unix.optional(),
  participationEnd: unix.optional(),
  markingStart: unix.optional(),
  markingEnd: unix.optional(),
  /**
   * Moves the flow forward by its dates on WISEflow's clock, as managers would: participation started
   * at `participationStart`, ended at `participationEnd`, concluded at `markingEnd` (never back, never
   * out of NOT_ACTIVATED or ARCHIVED). For time-skipping tests with the `now` option.
   */
  followDates: z.boolean().default(false),
});

export const userInputSchema = z.object({
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  emails: z.array(z.email()).min(1),
  roles: z.array(z.string().min(1)).default([]),
  externalIds: z.array(externalId).default([]),
});

export const webhookInputSchema = z.object({
  url: z.url(),
  secret: z.string().min(8),
  events: z.array(z.enum(['FLOW_EXTERNAL_SOURCE', 'FLOW_STATE_UPDATED', 'FLOW_PERIOD_UPDATED'])).min(1),
  active: z.boolean().default(true),
});

export const seedSchema = z.object({
  licence: licenceSeedSchema.optional(),
  assessorTypes: z
    .array(z.object({ id: z.number().int().positive(), name: z.string().min(1), external: z.boolean() }))
    .optional(),
  flows: z.array(flowSeedSchema).default([]),
  users: z.array(userInputSchema).default([]),
  webhooks: z.array(webhookInputSchema).default([]),
});

export type WiseflowSeed = z.input<typeof seedSchema>;
export type UserInput = z.input<typeof userInputSchema>;
export type WebhookRegistration = z.output<typeof webhookInputSchema> & { id: number };

export const DEFAULT_ASSESSOR_TYPES: AssessorType[] = [
  { id: 1, name: 'Internal assessor', external: false },
  { id: 2, name: 'Co-assessor', external: false },
  { id: 3, name: 'External assessor (Praktikportalen)', external: true },
];

/** A user as the simulator keeps it: what WISEflow answers, plus the kind the roles make (for tests). */
export interface UserRecord extends WiseflowUser {
  kind: 'external-assessor' | 'ordinary';
}

export interface AccessTokenRecord extends AccessToken {
  userId: number;
  /** Set when a newer token for the same user made this link stop working. */
  supersededAt?: number;
}

export interface ExternalSourceRecord extends FlowExternalSource {
  /** The reason given with the last `sync/fail`. */
  failReason?: string;
  /** The update request sent last (webhook requestId). */
  requestId?: string;
}

export interface FlowRecord extends Flow {
  followDates: boolean;
  assessorTypeIds: number[];
  assessors: FlowAssessor[];
  externalSources: ExternalSourceRecord[];
}

export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string): HttpProblem => new HttpProblem(404, `${what} not found`);

export class WiseflowState {
  licence: z.output<typeof licenceSeedSchema> = licenceSeedSchema.parse({});
  assessorTypes: AssessorType[] = [...DEFAULT_ASSESSOR_TYPES];
  readonly users = new Map<number, UserRecord>();
  readonly flows = new Map<number, FlowRecord>();
  readonly tokens = new Map<string, AccessTokenRecord>();
  readonly webhookRegistrations: WebhookRegistration[] = [];
  /** Every POST /license/user, oldest first: which user, created or updated, with which roles. */
  readonly userWrites: Array<{ userId: number; created: boolean; roles: string[] }> = [];
  /** Seconds added to the real clock: tests and demos move WISEflow's time (token expiry, sync times). */
  clockOffsetSeconds = 0;
  #nextUserId = 5001;
  #nextAssessorId = 9001;
  #nextSourceId = 301;
  #nextWebhookId = 1;

  constructor(
    readonly webhooks: WiseflowWebhooks,
    /** Where an access link points: `<accessLinkBase>/<token>`. */
    public accessLinkBase: string,
    /** WISEflow's clock in ms; a time-skipping test passes the test server's. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Unix seconds on WISEflow's clock. */
  now(): number {
    return Math.floor(this.clock() / 1000) + this.clockOffsetSeconds;
  }

  reset(): void {
    this.licence = licenceSeedSchema.parse({});
    this.assessorTypes = [...DEFAULT_ASSESSOR_TYPES];
    this.users.clear();
    this.flows.clear();
    this.tokens.clear();
    this.webhookRegistrations.length = 0;
    this.userWrites.length = 0;
    this.clockOffsetSeconds = 0;
    this.webhooks.reset();
  }

  seed(input: WiseflowSeed): void {
    const seed = seedSchema.parse(input);
    if (seed.licence) this.licence = seed.licence;
    if (seed.assessorTypes) this.assessorTypes = seed.assessorTypes;
    for (const flow of seed.flows) {
      this.flows.set(flow.id, { ...flow, assessorTypeIds: [], assessors: [], externalSources: [] });
    }
    for (const user of seed.users) this.upsertUser(user);
    for (const webhook of seed.webhooks) this.registerWebhook(webhook);
  }

  licenseInfo(): LicenseInfo & { roles: string[]; modules: { accessToken: boolean } } {
    return {
      licenseId: this.licence.licenseId,
      name: this.licence.name,
      userDataTypes: this.licence.userDataTypes,
      settings: { requireUniqueEmails: this.licence.requireUniqueEmails },
      roles: ['manager', 'participant', 'assessor', EXTERNAL_ASSESSOR_ROLE],
      modules: { accessToken: this.licence.accessTokenModule },
    };
  }

  // --- users ---------------------------------------------------------------------------------

  findUserByExternalId(userDataTypeId: number, value: string): UserRecord | undefined {
    return [...this.users.values()].find((u) =>
      u.externalIds.some((e) => e.userDataTypeId === userDataTypeId && e.value === value),
    );
  }

  /**
   * `POST /license/user`: the user with one of the given external ids is updated (200); with
   * `requireUniqueEmails`, so is the user with the same e-mail; otherwise a new user is made (201).
   */
  upsertUser(input: UserInput): { user: UserRecord; created: boolean } {
    const u = userInputSchema.parse(input);
    const known = new Set(this.licence.userDataTypes.map((t) => t.id));
    const unknownType = u.externalIds.find((e) => !known.has(e.userDataTypeId));
    if (unknownType) {
      throw new HttpProblem(400, `userDataTypeId ${unknownType.userDataTypeId} is not on this licence`);
    }
    const existing =
      u.externalIds.map((e) => this.findUserByExternalId(e.userDataTypeId, e.value)).find(Boolean) ??
      (this.licence.requireUniqueEmails
        ? [...this.users.values()].find((x) => x.emails.some((e) => u.emails.includes(e)))
        : undefined);
    const userId = existing?.userId ?? this.#nextUserId++;
    const externalIds = [
      ...(existing?.externalIds ?? []).filter(
        (e) => !u.externalIds.some((n) => n.userDataTypeId === e.userDataTypeId),
      ),
      ...u.externalIds,
    ];
    const user: UserRecord = {
      userId,
      firstName: u.firstName,
      lastName: u.lastName,
      emails: u.emails,
      roles: u.roles,
      externalIds,
      kind: u.roles.includes(EXTERNAL_ASSESSOR_ROLE) ? 'external-assessor' : 'ordinary',
    };
    this.users.set(userId, user);
    this.userWrites.push({ userId, created: !existing, roles: u.roles });
    return { user, created: !existing };
  }

  // --- flows ---------------------------------------------------------------------------------

  flow(flowId: number): FlowRecord {
    const flow = this.flows.get(flowId);
    if (!flow) throw notFound(`flow ${flowId}`);
    if (flow.followDates) this.#followDates(flow);
    return flow;
  }

  #followDates(flow: FlowRecord): void {
    if (flow.state === 'NOT_ACTIVATED' || flow.state === 'ARCHIVED') return;
    const now = this.now();
    const reached = (at: number | undefined): boolean => at !== undefined && at <= now;
    const due: FlowState = reached(flow.markingEnd)
      ? 'CONCLUDED'
      : reached(flow.participationEnd)
        ? 'PARTICIPATION_ENDED'
        : reached(flow.participationStart)
          ? 'PARTICIPATION_STARTED'
          : 'ACTIVATED';
    if (flowStates.indexOf(due) <= flowStates.indexOf(flow.state)) return;
    flow.state = due;
    this.webhooks
      .send(this.webhookRegistrations, { event: 'FLOW_STATE_UPDATED', flowId: flow.id, state: due })
      .catch(() => {});
  }

  /** WISEflow refuses changes to an archived flow with 403. */
  writableFlow(flowId: number): FlowRecord {
    const flow = this.flow(flowId);
    if (flow.state === 'ARCHIVED') throw new HttpProblem(403, `flow ${flowId} is archived`);
    return flow;
  }

  flowView(flowId: number): Flow {
    const {
      assessorTypeIds: _t,
      assessors: _a,
      externalSources: _s,
      followDates: _f,
      ...flow
    } = this.flow(flowId);
    return flow;
  }

  setFlowState(flowId: number, state: FlowState): Flow {
    const flow = this.flow(flowId);
    flow.state = state;
    // A state set by hand is kept: the dates no longer move it.
    flow.followDates = false;
    this.webhooks
      .send(this.webhookRegistrations, { event: 'FLOW_STATE_UPDATED', flowId, state })
      .catch(() => {});
    return this.flowView(flowId);
  }

  setFlowDates(
    flowId: number,
    dates: Partial<Pick<Flow, 'participationStart' | 'participationEnd' | 'markingStart' | 'markingEnd'>>,
  ): Flow {
    const flow = this.writableFlow(flowId);
    for (const [key, value] of Object.entries(dates)) {
      if (value !== undefined) flow[key as 'markingStart'] = value;
    }
    return this.flowView(flowId);
  }

  addAssessorType(flowId: number, assessorTypeId: number): { added: boolean } {
    const flow = this.writableFlow(flowId);
    if (!this.assessorTypes.some((t) => t.id === assessorTypeId))
      throw notFound(`assessor type ${assessorTypeId}`);
    if (flow.assessorTypeIds.includes(assessorTypeId)) return { added: false };
    flow.assessorTypeIds.push(assessorTypeId);
    return { added: true };
  }

  /** Every call adds an assessor, as WISEflow does: a caller that adds twice makes a duplicate. */
  addAssessor(flowId: number, userId: number, assessorTypeId: number): FlowAssessor {
    const flow = this.writableFlow(flowId);
    if (!this.users.has(userId)) throw notFound(`user ${userId}`);
    if (!flow.assessorTypeIds.includes(assessorTypeId)) {
      throw new HttpProblem(400, `assessor type ${assessorTypeId} is not added to flow ${flowId}`);
    }
    const assessor = { assessorId: this.#nextAssessorId++, userId, assessorTypeId };
    flow.assessors.push(assessor);
    return assessor;
  }

  removeAssessor(flowId: number, assessorId: number): void {
    const flow = this.writableFlow(flowId);
    const at = flow.assessors.findIndex((a) => a.assessorId === assessorId);
    if (at < 0) throw notFound(`assessor ${assessorId} on flow ${flowId}`);
    flow.assessors.splice(at, 1);
  }

  // --- access tokens -------------------------------------------------------------------------

  /** A login link for a user; the user's older links stop working (REFERENCE.md). */
  createAccessToken(userId: number, expirationDate: number | undefined): AccessToken {
    if (!this.licence.accessTokenModule) {
      throw new HttpProblem(403, 'the licence does not have the access-token module');
    }
    if (!this.users.has(userId)) throw notFound(`user ${userId}`);
    const now = this.now();
    for (const t of this.tokens.values()) {
      if (t.userId === userId && t.supersededAt === undefined) t.supersededAt = now;
    }
    const token = randomBytes(18).toString('base64url');
    const record: AccessTokenRecord = {
      token,
      url: `${this.accessLinkBase}/${token}`,
      expires: expirationDate ?? now + DEFAULT_ACCESS_TOKEN_SECONDS,
      creationDate: now,
      userId,
    };
    this.tokens.set(token, record);
    const { userId: _u, supersededAt: _s, ...answer } = record;
    return answer;
  }

  /** Whether a link logs its user in now, and why not. */
  checkAccess(
    token: string,
  ):
    | { valid: true; userId: number; expires: number }
    | { valid: false; reason: 'unknown' | 'superseded' | 'expired'; userId?: number } {
    const t = this.tokens.get(token);
    if (!t) return { valid: false, reason: 'unknown' };
    if (t.supersededAt !== undefined) return { valid: false, reason: 'superseded', userId: t.userId };
    if (t.expires <= this.now()) return { valid: false, reason: 'expired', userId: t.userId };
    return { valid: true, userId: t.userId, expires: t.expires };
  }

  // --- external sources ----------------------------------------------------------------------

  addExternalSource(flowId: number, reference: string, description: string): ExternalSourceRecord {
    const flow = this.writableFlow(flowId);
    if (flow.externalSources.some((s) => s.reference === reference)) {
      throw new HttpProblem(409, `external source ${reference} already exists on flow ${flowId}`);
    }
    const source: ExternalSourceRecord = {
      id: this.#nextSourceId++,
      reference,
      description,
      syncState: 'NONE',
    };
    flow.externalSources.push(source);
    return source;
  }

  externalSource(flowId: number, reference: string): ExternalSourceRecord {
    const source = this.flow(flowId).externalSources.find((s) => s.reference === reference);
    if (!source) throw notFound(`external source ${reference} on flow ${flowId}`);
    return source;
  }

  removeExternalSource(flowId: number, sourceId: number): void {
    const flow = this.writableFlow(flowId);
    const at = flow.externalSources.findIndex((s) => s.id === sourceId);
    if (at < 0) throw notFound(`external source ${sourceId} on flow ${flowId}`);
    flow.externalSources.splice(at, 1);
  }

  reportSync(
    flowId: number,
    reference: string,
    outcome: { done: true } | { done: false; reason: string },
  ): void {
    const source = this.externalSource(flowId, reference);
    if (outcome.done) {
      source.syncState = 'SUCCESS';
      source.lastSync = this.now();
      delete source.failReason;
    } else {
      source.syncState = 'FAILED';
      source.failReason = outcome.reason;
    }
  }

  /**
   * A manager presses "update" in WISEflow: the flow's external sources go PENDING and the
   * FLOW_EXTERNAL_SOURCE webhook goes to every active registration that asked for it.
   */
  async requestUpdate(flowId: number): Promise<{ requestId: string; deliveries: WebhookDelivery[] }> {
    const flow = this.flow(flowId);
    const requestId = randomUUID();
    const now = this.now();
    for (const source of flow.externalSources) {
      source.syncState = 'PENDING';
      source.lastRequestedSync = now;
      source.requestId = requestId;
    }
    const reference = flow.externalSources[0]?.reference;
    const deliveries = await this.webhooks.send(this.webhookRegistrations, {
      event: 'FLOW_EXTERNAL_SOURCE',
      requestId,
      flowId,
      ...(reference ? { reference } : {}),
    });
    return { requestId, deliveries };
  }

  // --- webhooks ------------------------------------------------------------------------------

  registerWebhook(input: z.input<typeof webhookInputSchema>): WebhookRegistration {
    const registration = { ...webhookInputSchema.parse(input), id: this.#nextWebhookId++ };
    this.webhookRegistrations.push(registration);
    return registration;
  }

  removeWebhook(id: number): void {
    const at = this.webhookRegistrations.findIndex((w) => w.id === id);
    if (at < 0) throw notFound(`webhook ${id}`);
    this.webhookRegistrations.splice(at, 1);
  }

  snapshot() {
    return structuredClone({
      licence: this.licenseInfo(),
      assessorTypes: this.assessorTypes,
      users: [...this.users.values()],
      userWrites: this.userWrites,
      flows: [...this.flows.values()],
      accessTokens: [...this.tokens.values()].map((t) => ({ ...t, ...this.checkAccess(t.token) })),
      webhooks: this.webhookRegistrations.map(({ secret: _s, ...w }) => w),
      clock: { now: this.now(), offsetSeconds: this.clockOffsetSeconds },
    });
  }
}
