/** Where a link keeps its data in the snapshot store (segments of letters, digits, '.', '_', '-'). */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '-');

export function competenceKeys(linkId: string, backfillId = 'none') {
  const base = `competences/${safe(linkId)}`;
  const backfill = `${base}/backfill-${safe(backfillId)}`;
  return {
    unmatched: `${base}/unmatched.json`,
    directory: `${backfill}/persons.json`,
    page: (guideId: number, page: number) => `${backfill}/course-${guideId}/page-${page}.json`,
  } as const;
}
