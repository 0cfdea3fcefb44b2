/** A zeroed counter for each reason, so that the summary always names every reason. */
export function zeroCounts<const T extends readonly string[]>(reasons: T): Record<T[number], number> {
  return Object.fromEntries(reasons.map((r) => [r, 0])) as Record<T[number], number>;
}
