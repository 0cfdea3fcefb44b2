import type { z } from 'zod';
import { emptyTargetState, type TargetState } from '../../domain/roster';
import { RejectedError } from '../../platform/errors';
import type { Secret } from '../../platform/secret';
import { createHttpClient, parseAnswer } from '../http';
import { hierarchyFromItem, membershipFromItem, personFromItem } from './from-target';
import { parseImseXml } from './imse-xml';
import {
  groupItemSchema,
  importReportSchema,
  membershipItemSchema,
  pageSchema,
  personItemSchema,
  type ImportReport,
} from './schemas';

export const ITSLEARNING_SYSTEM = 'itslearning';
/** An import of a full batch is applied before the answer; give it time. */
const DEFAULT_TIMEOUT_MS = 120_000;
/** Entities per read request; the read API allows up to 10,000. */
const PAGE_SIZE = 5000;

export interface ItslearningClientOptions {
  baseUrl: string;
  /** The sync key source the integration writes under; `readSyncedState` reads what lies under it. */
  syncKeySource: string;
  timeoutMs?: number;
  apiKey?: Secret;
}

/** The itslearning IMSE import and the reads the roster sync needs. */
export interface ItslearningClient {
  /**
   * Sends one IMS Enterprise document. The document is validated first; an invalid one is never
   * sent. The target applies a document with a known `idempotencyKey` at most once.
   */
  importDocument(xml: string, idempotencyKey: string): Promise<ImportReport>;
  /**
   * Everything under the integration's sync keys, in canonical shape, read page by page;
   * `onPage` hears after every page how many items of each kind have been read.
   */
  readSyncedState(onPage?: (progress: TargetReadProgress) => void): Promise<TargetState>;
}

export interface TargetReadProgress {
  kind: 'persons' | 'groups' | 'memberships';
  read: number;
}

export function createItslearningClient(opts: ItslearningClientOptions): ItslearningClient {
  const http = createHttpClient({
    system: ITSLEARNING_SYSTEM,
    baseURL: opts.baseUrl,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey.reveal()}` } : undefined,
  });

  async function readAll<S extends z.ZodType>(
    path: string,
    item: S,
    onPage: (read: number) => void = () => undefined,
  ): Promise<z.output<S>[]> {
    const schema = pageSchema(item);
    const out: z.output<S>[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const params = { source: opts.syncKeySource, offset, limit: PAGE_SIZE };
      const res: { data: unknown } = await http.get<unknown>(path, { params });
      const page: { items: unknown[]; nextOffset: number | null } = parseAnswer(
        ITSLEARNING_SYSTEM,
        `${path} page`,
        schema,
        res.data,
      );
      for (const entry of page.items) out.push(entry as z.output<S>);
      onPage(out.length);
      offset = page.nextOffset;
    }
    return out;
  }

  return {
    async importDocument(xml, idempotencyKey) {
      const checked = parseImseXml(xml);
      if (!checked.ok) {
        throw new RejectedError(
          ITSLEARNING_SYSTEM,
          `refused to send an invalid IMS Enterprise document: ${checked.problems.join('; ')}`,
          undefined,
          'InvalidDocument',
        );
      }
      const res = await http.post<unknown>('/imse/import', xml, {
        headers: { 'content-type': 'application/xml', 'idempotency-key': idempotencyKey },
      });
      return parseAnswer(ITSLEARNING_SYSTEM, 'import report', importReportSchema, res.data);
    },

    async readSyncedState(onPage) {
      const report = (kind: TargetReadProgress['kind']) => (read: number) => onPage?.({ kind, read });
      const [persons, groups, memberships] = [
        await readAll('/api/persons', personItemSchema, report('persons')),
        await readAll('/api/groups', groupItemSchema, report('groups')),
        await readAll('/api/memberships', membershipItemSchema, report('memberships')),
      ];
      const state = emptyTargetState();
      for (const item of persons) {
        const person = personFromItem(item);
        if (person) state.persons.push(person);
      }
      for (const item of groups) {
        const entry = hierarchyFromItem(item);
        if (entry && 'unit' in entry) state.units.push(entry.unit);
        else if (entry) state.groups.push(entry.group);
      }
      for (const item of memberships) {
        const membership = membershipFromItem(item);
        if (membership) state.memberships.push(membership);
      }
      return state;
    },
  };
}
