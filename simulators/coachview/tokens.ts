/** OAuth2 client-credentials tokens: one registered client, opaque bearer tokens with an expiry. */
import { randomBytes } from 'node:crypto';
import { sameText } from './constant-time';

export class TokenIssuer {
  #tokens = new Map<string, { clientId: string; expiresAt: number }>();
  #issued = 0;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** A new token, or undefined when the credentials are wrong. */
  issue(clientId: string, clientSecret: string): string | undefined {
    if (clientId !== this.clientId || !sameText(clientSecret, this.clientSecret)) return undefined;
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, { clientId, expiresAt: this.now() + this.ttlSeconds * 1000 });
    this.#issued++;
    return token;
  }

  /** The client a bearer token belongs to, or undefined when it is unknown or expired. */
  verify(authorization: string | undefined): string | undefined {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const entry = token ? this.#tokens.get(token) : undefined;
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.clientId;
  }

  get issued(): number {
    return this.#issued;
  }

  reset(): void {
    this.#tokens.clear();
    this.#issued = 0;
  }
}
