/** Identity (CW-3): a participant is the WinLas person with the same e-mail, trimmed and case-insensitive. */

/** The form two e-mails are compared in; empty when there is no e-mail. */
export function emailKey(email: string | null | undefined): string {
  return (email ?? '').trim().toLowerCase();
}

/** The person directory as a lookup by e-mail; a person listed twice keeps the first entry. */
export function directoryByEmail<P extends { id: string; email: string }>(
  persons: readonly P[],
): Map<string, string> {
  const byEmail = new Map<string, string>();
  for (const p of persons) {
    const key = emailKey(p.email);
    if (key && !byEmail.has(key)) byEmail.set(key, p.id);
  }
  return byEmail;
}
