/**
 * The HTTP implementation of {@link WiseflowClient}: OAuth2 client credentials (a 1-hour token,
 * cached), `X-Client-Name` on every call, every answer checked by zod, failures classified by
 * adapters/http.ts with WISEflow's `X-Trace-Id` kept in the failure's details.
 */
import { AxiosError, type AxiosResponse, type Method } from 'axios';
import { z } from 'zod';
import { classifyHttpError, createHttpClient, parseAnswer } from '../http';
import { withTokenRenewal } from '../oauth2-bearer';
import { createClientCredentialsTokenProvider } from '../oauth2-client-credentials';
import { ExternalSystemError, RejectedError, TransientError } from '../../platform/errors';
import { rateBudgetSpentFailure, type RateBudget } from '../../platform/rate-budget';
import type { Secret } from '../../platform/secret';
import { DEFAULT_TIMEOUT_MS, PAGE_SIZE, TOKEN_RENEWAL_MARGIN_MS, WISEFLOW } from './limits';
import {
  accessTokenAnswerSchema,
  assessorPageSchema,
  assessorTypesSchema,
  externalSourceSchema,
  flowAssessorSchema,
  flowSchema,
  licenseInfoSchema,
  userSchema,
} from './schemas';
import type { FlowExternalSource, WiseflowClient } from './types';

/** Relative to the base URL (which ends in `/v1`). */
export const TOKEN_PATH = 'oauth2/token';

export interface WiseflowClientOptions {
  /** E.g. `https://europe-api.wiseflow.net/v1`. */
  baseUrl: string;
  clientId: string;
  clientSecret: Secret;
  /** Sent as `X-Client-Name`, so WISEflow knows whose calls these are. */
  clientName: string;
  timeoutMs?: number;
  /** `wiseflow-api` (per second); each call takes one unit, a 429 marks it spent for every worker. */
  rateBudget?: RateBudget;
  /** More budgets every call also takes from, e.g. `wiseflow-api-minute`. */
  rateBudgets?: RateBudget[];
  /** Where a login link points when WISEflow's answer carries only the token: `<accessLinkBaseUrl>/<token>`. */
  accessLinkBaseUrl?: string;
  now?: () => number;
}

interface CallOptions<S extends z.ZodType | undefined> {
  body?: unknown;
  params?: Record<string, unknown>;
  schema: S;
  what: string;
  /** Statuses answered as `undefined` instead of an error (404 on a lookup). */
  absentOn?: number[];
  /** Turns a refusal into the error that names its reason (403 archived, 403 no module). */
  refusal?: (status: number, trace: string) => ExternalSystemError | undefined;
}

/** For calls that have no `absentOn`: an answer is always there. */
function answered<T>(res: T | undefined): T {
  if (res === undefined) throw new Error('an answer was expected');
  return res;
}

const withTrace = (trace: string | undefined, body: unknown): string =>
  `X-Trace-Id ${trace ?? '(none)'}${body === undefined || body === '' ? '' : `; answer ${JSON.stringify(body).slice(0, 500)}`}`;

export function createWiseflowClient(opts: WiseflowClientOptions): WiseflowClient {
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`;
  const now = opts.now ?? Date.now;
  const http = createHttpClient({
    system: WISEFLOW,
    baseURL: base,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    headers: { 'X-Client-Name': opts.clientName },
  });
  const budgets = [...(opts.rateBudget ? [opts.rateBudget] : []), ...(opts.rateBudgets ?? [])];
  const linkBase = (opts.accessLinkBaseUrl ?? `${new URL(base).origin}/access`).replace(/\/$/, '');

  const tokens = createClientCredentialsTokenProvider({
    system: WISEFLOW,
    http,
    tokenPath: TOKEN_PATH,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    renewalMarginMs: TOKEN_RENEWAL_MARGIN_MS,
    // The token request counts against the same limits as every other call.
    beforeRequest: async () => {
      for (const budget of budgets) await budget.acquire();
    },
    failure: (res) => failure(res),
    now,
  });

  /** An error answer classified by adapters/http.ts, with WISEflow's trace id and words kept for the details. */
  function failure(res: AxiosResponse, refusal?: CallOptions<undefined>['refusal']): Error {
    const trace = res.headers['x-trace-id'] as string | undefined;
    const specific = refusal?.(res.status, trace ?? '(none)');
    if (specific) return specific.quoting(withTrace(trace, res.data));
    const classified = classifyHttpError(
      WISEFLOW,
      new AxiosError(`answered ${res.status}`, undefined, res.config, res.request, res),
    );
    if (classified instanceof TransientError && res.status === 429 && classified.retryAfterMs === undefined) {
      const reset = Number(res.headers['ratelimit-reset']);
      const wait = Number.isFinite(reset) && reset > 0 ? reset * 1000 : 1000;
      return new TransientError(WISEFLOW, classified.message.replace(/^WISEflow: /, ''), 429, wait).quoting(
        withTrace(trace, res.data),
      );
    }
    return classified instanceof ExternalSystemError
      ? classified.quoting(withTrace(trace, res.data))
      : classified;
  }

  async function call<S extends z.ZodType>(
    method: Method,
    path: string,
    o: CallOptions<S>,
  ): Promise<{ status: number; data: z.output<S> } | undefined> {
    // WISEflow may end a token early: a 401 is sent again once with a renewed one.
    const res = await withTokenRenewal(
      tokens,
      async (bearer) => {
        for (const budget of budgets) await budget.acquire();
        const answer = await http.request({
          method,
          url: path.replace(/^\//, ''),
          data: o.body,
          params: o.params,
          headers: { Authorization: `Bearer ${bearer}` },
          validateStatus: () => true,
        });
        if (answer.status === 429 && budgets.length > 0) throw await spentOn429(answer);
        return answer;
      },
      (answer) => answer.status === 401,
    );
    if (o.absentOn?.includes(res.status)) return undefined;
    if (res.status >= 400) throw failure(res, o.refusal);
    return { status: res.status, data: parseAnswer(WISEFLOW, o.what, o.schema, res.data) };
  }

  /**
   * A 429 marks the budget of the window WISEflow says is used up (the per-minute one when
   * `X-RateLimit-Minute-Remaining` is 0, else the per-second one) spent until `Retry-After`, so every
   * worker waits; the activity hands the workflow a RateBudgetSpent failure to wait durably.
   */
  async function spentOn429(res: AxiosResponse): Promise<Error> {
    const err = failure(res) as TransientError;
    const windowOf = (b: RateBudget): number => {
      const p = b.definition.policy;
      return p.kind === 'fixed-window' ? p.windowMs : p.kind === 'token-bucket' ? p.perMs : 86_400_000;
    };
    const byWindow = [...budgets].sort((a, b) => windowOf(a) - windowOf(b));
    const minuteSpent = String(res.headers['x-ratelimit-minute-remaining']) === '0';
    const budget = (minuteSpent ? byWindow.at(-1) : byWindow[0]) as RateBudget;
    const until = now() + (err.retryAfterMs ?? 1000);
    await budget.markSpent(until);
    return rateBudgetSpentFailure({
      budget: budget.name,
      availableAt: new Date(Math.ceil(until)).toISOString(),
      spreadMs: budget.definition.spreadMs,
      reason: `${WISEFLOW} answered 429`,
    });
  }

  const noBody = z.unknown();
  const archived =
    (flowId: number, what: string) =>
    (status: number): ExternalSystemError | undefined =>
      status === 403
        ? new RejectedError(
            WISEFLOW,
            `${what} on flow ${flowId} refused (403): the flow is archived`,
            403,
            'FlowArchived',
          )
        : undefined;

  async function listExternalSources(flowId: number): Promise<FlowExternalSource[]> {
    const res = await call('GET', `flows/${flowId}/external-sources`, {
      schema: z.array(externalSourceSchema),
      what: 'external source list',
    });
    return res?.data ?? [];
  }

  return {
    async getLicenseInfo() {
      return answered(await call('GET', 'license/info', { schema: licenseInfoSchema, what: 'licence info' }))
        .data;
    },

    async listAssessorTypes() {
      return answered(
        await call('GET', 'license/assessor-types', { schema: assessorTypesSchema, what: 'assessor types' }),
      ).data;
    },

    async getFlow(flowId) {
      return (await call('GET', `flows/${flowId}`, { schema: flowSchema, what: 'flow', absentOn: [404] }))
        ?.data;
    },

    async findUserByExternalId(userDataTypeId, value) {
      const res = await call('GET', `user/userDataType/${userDataTypeId}/${encodeURIComponent(value)}`, {
        schema: userSchema,
        what: 'user',
        absentOn: [404],
      });
      return res?.data;
    },

    async upsertUser(user) {
      const res = answered(
        await call('POST', 'license/user', { body: user, schema: userSchema, what: 'user answer' }),
      );
      return { user: res.data, created: res.status === 201 };
    },

    async listFlowAssessors(flowId) {
      const all: z.output<typeof flowAssessorSchema>[] = [];
      for (let offset = 0; ;) {
        const page = answered(
          await call('GET', `flows/${flowId}/assessors`, {
            params: { offset, limit: PAGE_SIZE },
            schema: assessorPageSchema,
            what: 'assessor page',
          }),
        ).data;
        all.push(...page.data);
        offset += page.data.length;
        if (page.data.length === 0 || offset >= page.total) return all;
      }
    },

    async addFlowAssessorType(flowId, assessorTypeId) {
      await call('POST', `flows/${flowId}/assessor-types`, {
        body: { assessorTypeId },
        schema: noBody,
        what: 'assessor type answer',
        refusal: archived(flowId, 'adding an assessor type'),
      });
    },

    async addFlowAssessor(flowId, assessor) {
      return answered(
        await call('POST', `flows/${flowId}/assessors`, {
          body: assessor,
          schema: flowAssessorSchema,
          what: 'assessor answer',
          refusal: archived(flowId, 'adding an assessor'),
        }),
      ).data;
    },

    async removeFlowAssessor(flowId, assessorId) {
      // Already gone (a retry after a lost answer, or removed by hand) is what was wanted.
      await call('DELETE', `flows/${flowId}/assessors/${assessorId}`, {
        schema: noBody,
        what: 'assessor removal',
        absentOn: [404],
        refusal: archived(flowId, 'removing an assessor'),
      });
    },

    async createAccessToken(userId, options) {
      const answer = answered(
        await call('POST', `user/${userId}/access-token`, {
          body: { expirationDate: options.expirationDate, sendEmail: options.sendEmail },
          schema: accessTokenAnswerSchema,
          what: 'access token answer',
          refusal: (status) =>
            status === 403
              ? new RejectedError(
                  WISEFLOW,
                  'access token refused (403): the licence does not have the access-token module',
                  403,
                  'AccessTokenModuleMissing',
                )
              : undefined,
        }),
      ).data;
      return { ...answer, url: answer.url ?? `${linkBase}/${encodeURIComponent(answer.token)}` };
    },

    async addExternalSource(flowId, source) {
      const res = await call('POST', `flows/${flowId}/external-sources`, {
        body: source,
        schema: externalSourceSchema,
        what: 'external source answer',
        absentOn: [409],
        refusal: archived(flowId, 'adding an external source'),
      });
      if (res) return res.data;
      // 409: the source is there already (an earlier link, or a retry after a lost answer).
      const existing = (await listExternalSources(flowId)).find((s) => s.reference === source.reference);
      if (existing) return existing;
      throw new RejectedError(
        WISEFLOW,
        `external source on flow ${flowId} answered 409 but is not listed`,
        409,
        'Conflict',
      );
    },

    listExternalSources,

    async reportSyncDone(flowId, reference) {
      await call('POST', `flows/${flowId}/external-sources/${encodeURIComponent(reference)}/sync/done`, {
        body: {},
        schema: noBody,
        what: 'sync done answer',
      });
    },

    async reportSyncFailed(flowId, reference, reason) {
      await call('POST', `flows/${flowId}/external-sources/${encodeURIComponent(reference)}/sync/fail`, {
        body: { reason },
        schema: noBody,
        what: 'sync fail answer',
      });
    },
  };
}
