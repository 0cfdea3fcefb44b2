/**
 * The continuous sync's cursor (CW-2): the latest completion instant seen and the results seen at
 * that instant. InfoCaption's `completedSince` is inclusive, so results at the cursor's instant come
 * again and are skipped here rather than counted twice.
 */
export interface SyncCursor {
  completedSince: string | null;
  seenAtCursor: string[];
}

export const emptyCursor = (): SyncCursor => ({ completedSince: null, seenAtCursor: [] });

/** Whether a result is new to the cursor. */
export function isNewToCursor(
  cursor: SyncCursor,
  result: { resultId: string; completedAt: string },
): boolean {
  if (cursor.completedSince === null) return true;
  const at = Date.parse(result.completedAt);
  const since = Date.parse(cursor.completedSince);
  if (at > since) return true;
  return at === since && !cursor.seenAtCursor.includes(result.resultId);
}

/** The cursor after seeing `results` (any order). */
export function advanceCursor(
  cursor: SyncCursor,
  results: ReadonlyArray<{ resultId: string; completedAt: string }>,
): SyncCursor {
  let { completedSince, seenAtCursor } = cursor;
  let since = completedSince === null ? Number.NEGATIVE_INFINITY : Date.parse(completedSince);
  for (const r of results) {
    const at = Date.parse(r.completedAt);
    if (at > since) {
      since = at;
      completedSince = r.completedAt;
      seenAtCursor = [r.resultId];
    } else if (at === since && !seenAtCursor.includes(r.resultId)) {
      seenAtCursor = [...seenAtCursor, r.resultId];
    }
  }
  return { completedSince, seenAtCursor };
}

/**
 * Where a sync starts listing from the cursor's instant (CW-2). The results at that instant come first
 * (completedAt, then resultId), the seen before any unseen, so the first unseen is on page
 * floor(seen / hitsPerPage) + 1; it starts one page earlier, so that up to a page of seen results gone
 * from the listing since (a deleted participant) cannot make it skip an unseen one.
 */
export function syncStartPage(cursor: SyncCursor, hitsPerPage: number): number {
  if (cursor.completedSince === null) return 1;
  return Math.max(1, Math.floor(cursor.seenAtCursor.length / hitsPerPage));
}

/**
 * The page a sync reads after `page` took the cursor from `before` to `after`: still at the same
 * instant (the whole page was at it), the next one; at a later instant, where that instant's unseen start.
 */
export function nextSyncPage(
  before: SyncCursor,
  after: SyncCursor,
  page: number,
  hitsPerPage: number,
): number {
  return after.completedSince === before.completedSince ? page + 1 : syncStartPage(after, hitsPerPage);
}
