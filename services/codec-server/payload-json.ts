import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/**
 * One payload in the remote codec protocol: proto3 JSON of `temporal.api.common.v1.Payload`, so the
 * data and every metadata value are base64 strings.
 */
const jsonPayload = z.object({
  metadata: z.record(z.string(), z.base64()).nullish(),
  data: z.base64().nullish(),
});

/**
 * Body of `POST /encode` and `POST /decode`, and of their answers. Proto3 JSON leaves out an empty
 * list, so no payloads arrive as `{}` (the `temporal` CLI encodes a query without arguments so).
 */
export const payloadsBody = z.object({
  payloads: z
    .array(jsonPayload)
    .nullish()
    .transform((p) => p ?? []),
});

export type JsonPayload = z.infer<typeof jsonPayload>;
export type PayloadsBody = z.infer<typeof payloadsBody>;

export function fromJsonPayload(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(p.metadata ?? {})) metadata[key] = Buffer.from(value, 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

export function toJsonPayload(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.metadata ?? {})) {
    if (value) metadata[key] = Buffer.from(value).toString('base64');
  }
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}
