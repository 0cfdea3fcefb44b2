import { createHash } from 'node:crypto';
import { parseImseXml } from '../../adapters/itslearning/imse-xml';
import type { ImseDocument } from '../../adapters/itslearning/imse-document';
import type { ImportReport } from './model';
import type { ItslearningState } from './state';

export interface ImportLogEntry {
  importId: string | null;
  idempotencyKey: string | null;
  receivedAt: string;
  bytes: number;
  outcome: 'applied' | 'replayed' | 'rejected';
  problems?: string[];
  report?: ImportReport;
}

export type ImportOutcome =
  { status: 200; report: ImportReport } | { status: 400 | 409; error: string; problems: string[] };

function foreignSources(doc: ImseDocument, expected: string): string[] {
  const sources = new Set<string>();
  for (const p of doc.persons) sources.add(p.sourcedId.source);
  for (const g of doc.groups) {
    sources.add(g.sourcedId.source);
    if (g.parent) sources.add(g.parent.source);
  }
  for (const m of doc.memberships) sources.add(m.group.source).add(m.person.source);
  return [...sources].filter((s) => s !== expected);
}

/** The IMSE import engine: validate, honour the idempotency key, apply, report, log. */
export class Importer {
  readonly log: ImportLogEntry[] = [];
  #byKey = new Map<string, { fingerprint: string; report: ImportReport }>();
  #count = 0;
  /**
   * The idempotency cache is this simulator's own: the real itslearning import has none. Switched
   * off, a re-sent batch is imported again, as the real import would (IMSE recstatus semantics).
   */
  idempotencyCache: boolean;

  constructor(
    private readonly state: ItslearningState,
    private readonly syncKeySource: string | undefined,
    options: { idempotencyCache?: boolean } = {},
  ) {
    this.idempotencyCache = options.idempotencyCache ?? true;
  }

  reset(): void {
    this.log.length = 0;
    this.#byKey.clear();
    this.#count = 0;
  }

  run(xml: string, idempotencyKey: string | null): ImportOutcome {
    const entry: ImportLogEntry = {
      importId: null,
      idempotencyKey,
      receivedAt: new Date().toISOString(),
      bytes: Buffer.byteLength(xml),
      outcome: 'rejected',
    };
    this.log.push(entry);
    const fingerprint = createHash('sha256').update(xml).digest('hex');
    const previous =
      idempotencyKey === null || !this.idempotencyCache ? undefined : this.#byKey.get(idempotencyKey);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        entry.problems = ['idempotency key reused with another document'];
        return {
          status: 409,
          error: 'idempotency key reused with another document',
          problems: entry.problems,
        };
      }
      entry.outcome = 'replayed';
      entry.importId = previous.report.importId;
      entry.report = previous.report;
      return { status: 200, report: previous.report };
    }
    const parsed = parseImseXml(xml);
    const problems = parsed.ok
      ? this.syncKeySource === undefined
        ? []
        : foreignSources(parsed.document, this.syncKeySource).map(
            (s) => `sourcedid source ${s} is not this integration's (${this.syncKeySource})`,
          )
      : parsed.problems;
    if (!parsed.ok || problems.length > 0) {
      entry.problems = problems;
      return { status: 400, error: 'invalid IMS Enterprise document', problems };
    }
    const applied = this.state.apply(parsed.document);
    const report: ImportReport = {
      importId: `import-${++this.#count}`,
      idempotencyKey,
      receivedAt: entry.receivedAt,
      ...applied,
    };
    if (idempotencyKey !== null && this.idempotencyCache)
      this.#byKey.set(idempotencyKey, { fingerprint, report });
    Object.assign(entry, { outcome: 'applied', importId: report.importId, report });
    return { status: 200, report };
  }
}
