import type { z } from 'zod';

/** A 400 body that names every bad field, e.g. `data.userId: Invalid input: expected string`. */
export function invalidPayload(
  what: string,
  error: z.ZodError,
): { error: string; issues: { path: string; message: string }[] } {
  const issues = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  return { error: `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues };
}
