import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ConfigError, type AppConfig } from '../../platform/config';
import type { Secret } from '../../platform/secret';

/** Who called: the static token's holder, or the identity provider's user. */
export interface Caller {
  method: 'token' | 'jwt';
  /** `codec-token`, or the token's `sub` (and its e-mail or user name when present). */
  subject: string;
}

export interface JwtAuthOptions {
  /** The identity provider's JWKS document. */
  jwksUrl: string;
  issuer: string;
  /** The token's `aud` must name one of these. */
  audience: string[];
  /** Claim with the user's groups or roles; a dot path reaches nested claims (`realm_access.roles`). */
  groupsClaim?: string;
  /** When not empty, the token must carry at least one of these groups. */
  requiredGroups?: string[];
}

export interface CodecAuthOptions {
  /** Static bearer token (the CLI's `--codec-auth`, services). */
  token?: Secret;
  /** Access tokens the Web UI forwards (`TEMPORAL_CODEC_PASS_ACCESS_TOKEN`), verified as JWTs. */
  jwt?: JwtAuthOptions;
}

/** Refusal with its HTTP status: 401 (no or bad credentials), 403 (valid but not allowed), 503 (keys unreachable). */
export class CodecAuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'CodecAuthError';
  }
}

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

// Asymmetric algorithms only: a shared-secret HS256 token would let anyone holding the secret mint one.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_TIMEOUT_MS = 5_000;
// A key rotated at the identity provider is fetched at most this often when an unknown `kid` shows up.
const JWKS_COOLDOWN_MS = 30_000;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function claimAt(payload: JWTPayload, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      payload,
    );
}

function groupsOf(payload: JWTPayload, claim: string): string[] {
  const value = claimAt(payload, claim);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function describeJoseError(err: unknown): CodecAuthError {
  if (err instanceof joseErrors.JWTExpired) return new CodecAuthError(401, 'the access token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return new CodecAuthError(401, `the access token's "${err.claim}" claim is not accepted`);
  }
  if (err instanceof joseErrors.JWKSTimeout) {
    return new CodecAuthError(503, "the identity provider's keys could not be fetched in time");
  }
  if (err instanceof joseErrors.JOSEError) {
    return new CodecAuthError(401, `the access token is not valid (${err.code})`);
  }
  // fetch failures of the JWKS endpoint are plain errors
  return new CodecAuthError(503, "the identity provider's keys could not be fetched");
}

/**
 * Checks `Authorization: Bearer <token>` against the static token first (constant time), then as
 * a JWT signed by the identity provider. Returns undefined when no method is configured.
 */
export function createAuthenticator(opts: CodecAuthOptions): Authenticate | undefined {
  if (!opts.token && !opts.jwt) return undefined;
  const expected = opts.token ? digest(opts.token.reveal()) : undefined;
  const jwt = opts.jwt;
  const jwks = jwt
    ? createRemoteJWKSet(new URL(jwt.jwksUrl), {
        timeoutDuration: JWKS_TIMEOUT_MS,
        cooldownDuration: JWKS_COOLDOWN_MS,
      })
    : undefined;
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new CodecAuthError(401, 'an Authorization: Bearer <token> header is required');
    const token = match[1];
    if (expected && timingSafeEqual(digest(token), expected))
      return { method: 'token', subject: 'codec-token' };
    if (!jwt || !jwks || token.split('.').length !== 3) {
      throw new CodecAuthError(401, 'the bearer token is not accepted');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw describeJoseError(err);
    }
    const required = jwt.requiredGroups ?? [];
    if (required.length > 0) {
      const claim = jwt.groupsClaim ?? 'groups';
      const groups = groupsOf(payload, claim);
      if (!required.some((g) => groups.includes(g))) {
        throw new CodecAuthError(
          403,
          `the access token's "${claim}" claim names none of the groups allowed to decode`,
        );
      }
    }
    const name = [payload.email, payload.preferred_username].find((v) => typeof v === 'string');
    return {
      method: 'jwt',
      subject: typeof name === 'string' ? `${payload.sub} (${name})` : String(payload.sub),
    };
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/**
 * Every call but preflights and the open paths must authenticate. Browsers never send credentials
 * on a preflight, so those stay open (they only answer CORS headers).
 */
export function authHook(authenticate: Authenticate, openPaths: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    if (req.method === 'OPTIONS' || openPaths.includes(req.url)) return;
    try {
      req.caller = await authenticate(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof CodecAuthError)) throw err;
      if (err.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(err.statusCode).send({ message: err.message });
    }
  };
}

/**
 * The codec server's authentication from configuration. In production it refuses to start without
 * a method (PLAT-15); a JWKS needs its issuer and audience, or tokens minted by the same identity
 * provider for any other application would be accepted.
 */
export function codecAuthFromConfig(config: Pick<AppConfig, 'environment' | 'codec'>): CodecAuthOptions {
  const { auth, serverToken } = config.codec;
  const problems: string[] = [];
  if (auth.jwksUrl && !auth.issuer) problems.push('CODEC_AUTH_ISSUER: is required with CODEC_AUTH_JWKS_URL');
  if (auth.jwksUrl && !auth.audience?.length) {
    problems.push('CODEC_AUTH_AUDIENCE: is required with CODEC_AUTH_JWKS_URL');
  }
  if (!auth.jwksUrl && (auth.issuer || auth.audience?.length || auth.requiredGroups.length > 0)) {
    problems.push(
      'CODEC_AUTH_JWKS_URL: is required when CODEC_AUTH_ISSUER, _AUDIENCE or _REQUIRED_GROUPS is set',
    );
  }
  if (config.environment === 'production' && !auth.jwksUrl && !serverToken) {
    problems.push(
      'CODEC_AUTH_JWKS_URL / CODEC_SERVER_TOKEN (or CODEC_SERVER_TOKEN_FILE): production decodes only for authenticated callers; configure the identity provider, a token, or both',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    token: serverToken,
    jwt:
      auth.jwksUrl && auth.issuer && auth.audience
        ? {
            jwksUrl: auth.jwksUrl,
            issuer: auth.issuer,
            audience: auth.audience,
            groupsClaim: auth.groupsClaim,
            requiredGroups: auth.requiredGroups,
          }
        : undefined,
  };
}
