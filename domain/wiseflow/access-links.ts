/**
 * Access links (WF-2, WF-6): when a supervisor needs a new WISEflow login link in Praktikportalen.
 * A link is issued through WISEflow's access-token endpoint with an expiry we choose; issuing a new
 * one invalidates the old, and Praktikportalen shows only the latest. No imports: workflow code
 * reads this.
 */

/** What the workflow remembers of a published link: never the token or URL (a login credential). */
export interface LinkRecord {
  userId: number;
  /** Unix seconds. */
  expires: number;
  /** Unix seconds. */
  creationDate: number;
}

export interface LinkPolicy {
  /** How long each link is valid. */
  lifetimeHours: number;
  /** A link is renewed once less than this remains. */
  renewBeforeHours: number;
}

/** Defaults: a week-long link renewed a day before it expires, so a supervisor never meets a dead link. */
export const DEFAULT_LINK_POLICY: LinkPolicy = { lifetimeHours: 7 * 24, renewBeforeHours: 24 };

export type LinkReason = 'new' | 'expiring' | 'user-changed';

export interface LinkToIssue {
  praktikportalenId: string;
  userId: number;
  reason: LinkReason;
}

/** When a link is due for renewal, in ms. */
export const renewalDueAt = (link: LinkRecord, policy: LinkPolicy): number =>
  link.expires * 1000 - policy.renewBeforeHours * 3600_000;

/**
 * The supervisors who need a link now: those without one, those whose link is due (WF-2: renewed
 * before it expires), and those whose WISEflow user changed.
 */
export function linksToIssue(
  holders: ReadonlyArray<{ praktikportalenId: string; userId: number }>,
  links: Readonly<Record<string, LinkRecord>>,
  nowMs: number,
  policy: LinkPolicy,
): LinkToIssue[] {
  const out: LinkToIssue[] = [];
  for (const h of holders) {
    const link = links[h.praktikportalenId];
    if (!link) out.push({ ...h, reason: 'new' });
    else if (link.userId !== h.userId) out.push({ ...h, reason: 'user-changed' });
    else if (nowMs >= renewalDueAt(link, policy)) out.push({ ...h, reason: 'expiring' });
  }
  return out;
}

/** The expiry (unix seconds) of a link issued now. */
export function linkExpiration(nowMs: number, policy: LinkPolicy): number {
  return Math.floor(nowMs / 1000) + Math.round(policy.lifetimeHours * 3600);
}

/** When the next link falls due (ms), or null without links: the workflow wakes for it. */
export function nextRenewalAt(
  links: Readonly<Record<string, LinkRecord>>,
  policy: LinkPolicy,
): number | null {
  const due = Object.values(links).map((l) => renewalDueAt(l, policy));
  return due.length === 0 ? null : Math.min(...due);
}

/** A policy that renews before expiry at all: renewal must come before the link's end. */
export function checkLinkPolicy(policy: LinkPolicy): string | null {
  if (!(policy.lifetimeHours > 0)) return 'linkLifetimeHours must be more than 0';
  if (!(policy.renewBeforeHours > 0)) return 'renewLinksBeforeHours must be more than 0';
  if (policy.renewBeforeHours >= policy.lifetimeHours) {
    return 'renewLinksBeforeHours must be less than linkLifetimeHours';
  }
  return null;
}
