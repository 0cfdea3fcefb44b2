/**
 * The HTTP implementation of {@link PraktikportalenClient} on an assumed API (docs/wiseflow-apis.md):
 * an API key in `x-api-key`, the period by number, and a PUT that shows a supervisor's access link.
 */
import { z } from 'zod';
import { createHttpClient, parseAnswer } from '../http';
import { RejectedError } from '../../platform/errors';
import type { Secret } from '../../platform/secret';
import { periodSchema, publishedLinkSchema } from './schemas';
import type { PraktikportalenClient } from './types';

export const PRAKTIKPORTALEN = 'Praktikportalen';
const DEFAULT_TIMEOUT_MS = 15_000;

export interface PraktikportalenClientOptions {
  /** E.g. `https://praktikportal.example/api/v1`. */
  baseUrl: string;
  apiKey: Secret;
  timeoutMs?: number;
}

const linkInputSchema = z.object({
  periodNumber: z.string().regex(/^[a-zA-Z0-9-_]+$/),
  praktikportalenId: z.string().min(1),
  url: z.url(),
  expires: z.number().int().positive(),
});

export function createPraktikportalenClient(opts: PraktikportalenClientOptions): PraktikportalenClient {
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`;
  const http = createHttpClient({
    system: PRAKTIKPORTALEN,
    baseURL: base,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const headers = () => ({ 'x-api-key': opts.apiKey.reveal() });

  return {
    async getPeriod(periodNumber) {
      try {
        const res = await http.get(`internship-periods/${encodeURIComponent(periodNumber)}`, {
          headers: headers(),
        });
        return parseAnswer(PRAKTIKPORTALEN, 'internship period', periodSchema, res.data);
      } catch (err) {
        if (err instanceof RejectedError && err.status === 404) return undefined;
        throw err;
      }
    },

    async publishAccessLink(input) {
      const parsed = linkInputSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new RejectedError(
          PRAKTIKPORTALEN,
          `invalid access link: ${issue?.path.join('.')} ${issue?.message}`,
          undefined,
          'InvalidInput',
        );
      }
      const { periodNumber, praktikportalenId, url, expires } = parsed.data;
      const res = await http.put(
        `internship-periods/${encodeURIComponent(periodNumber)}/supervisors/${encodeURIComponent(praktikportalenId)}/access-link`,
        { url, expires },
        { headers: headers() },
      );
      parseAnswer(PRAKTIKPORTALEN, 'access link answer', publishedLinkSchema, res.data);
    },
  };
}
