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
