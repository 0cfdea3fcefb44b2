/**
 * IMS Enterprise v1.1 XML: built with xmlbuilder2, read with fast-xml-parser, and validated with
 * zod over the parsed tree. The client validates every document before it sends it; the
 * simulator validates what it receives with the same rules.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { z } from 'zod';
import {
  imseDocumentSchema,
  NATIONAL_ID_USERID_TYPE,
  roleOfCode,
  roletypeCodes,
  type ImseDocument,
  type ImseGroup,
  type ImseMember,
  type ImsePerson,
  type ImseSourcedId,
} from './imse-document';

/**
 * `relationship relation` codes of IMS Enterprise 1.1: 1 parent, 2 child, 3 "known as" (the same
 * group under another sourcedid). Only parents are written; a course's term goes in
 * `<timeframe><adminperiod>` (IMSE-12).
 */
export const relationCodes = { parent: '1', child: '2', knownAs: '3' } as const;
const PARENT_RELATION = relationCodes.parent;
const PARENT_LABEL = 'Parent';
const PERSON_IDTYPE = '1';

function sourcedId(parent: XMLBuilder, id: ImseSourcedId): void {
  const el = parent.ele('sourcedid');
  el.ele('source').txt(id.source);
  el.ele('id').txt(id.id);
}

function personXml(root: XMLBuilder, p: ImsePerson): void {
  const el = root.ele('person', { recstatus: String(p.recstatus) });
  sourcedId(el, p.sourcedId);
  if (p.userId) el.ele('userid').txt(p.userId);
  if (p.nationalId) el.ele('userid', { useridtype: NATIONAL_ID_USERID_TYPE }).txt(p.nationalId);
  const name = el.ele('name');
  name.ele('fn').txt(p.name.full);
  if (p.name.family || p.name.given) {
    const n = name.ele('n');
    if (p.name.family) n.ele('family').txt(p.name.family);
    if (p.name.given) n.ele('given').txt(p.name.given);
  }
  if (p.email) el.ele('email').txt(p.email);
  for (const role of p.institutionRoles) {
    el.ele('institutionrole', { primaryrole: role.primary ? 'Yes' : 'No', institutionroletype: role.type });
  }
}

function relationship(el: XMLBuilder, relation: string, id: ImseSourcedId, label: string): void {
  const rel = el.ele('relationship', { relation });
  sourcedId(rel, id);
  rel.ele('label').txt(label);
}

function groupXml(root: XMLBuilder, g: ImseGroup): void {
  const el = root.ele('group', { recstatus: String(g.recstatus) });
  sourcedId(el, g.sourcedId);
  const type = el.ele('grouptype');
  type.ele('scheme').txt(g.type.scheme);
  type.ele('typevalue', { level: '1' }).txt(g.type.value);
  const description = el.ele('description');
  description.ele('short').txt(g.short);
  if (g.long) description.ele('long').txt(g.long);
  if (g.timeframe) {
    const tf = el.ele('timeframe');
    if (g.timeframe.begin) tf.ele('begin', { restrict: '0' }).txt(g.timeframe.begin);
    if (g.timeframe.end) tf.ele('end', { restrict: '0' }).txt(g.timeframe.end);
    if (g.timeframe.adminPeriod) tf.ele('adminperiod').txt(g.timeframe.adminPeriod);
  }
  if (g.parent) relationship(el, PARENT_RELATION, g.parent, PARENT_LABEL);
}

const sameId = (a: ImseSourcedId, b: ImseSourcedId): boolean => a.source === b.source && a.id === b.id;

function membershipsXml(root: XMLBuilder, members: readonly ImseMember[]): void {
  let membership: XMLBuilder | undefined;
  let group: ImseSourcedId | undefined;
  for (const m of members) {
    // Consecutive members of one group share a <membership>, as IMS Enterprise intends.
    if (!membership || !group || !sameId(group, m.group)) {
      membership = root.ele('membership');
      sourcedId(membership, m.group);
      group = m.group;
    }
    const member = membership.ele('member');
    sourcedId(member, m.person);
    member.ele('idtype').txt(PERSON_IDTYPE);
    member
      .ele('role', { roletype: roletypeCodes[m.role], recstatus: String(m.recstatus) })
      .ele('status')
      .txt(m.active ? '1' : '0');
  }
}

/** Writes the document as IMS Enterprise v1.1 XML; the document is checked against its schema first. */
export function buildImseXml(document: ImseDocument): string {
  const doc = imseDocumentSchema.parse(document);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('enterprise');
  const properties = root.ele('properties', { lang: 'sv' });
  properties.ele('datasource').txt(doc.properties.datasource);
  properties.ele('datetime').txt(doc.properties.datetime);
  for (const p of doc.persons) personXml(root, p);
  for (const g of doc.groups) groupXml(root, g);
  membershipsXml(root, doc.memberships);
  return root.end({ prettyPrint: true });
}

const repeated = new Set([
  'person',
  'group',
  'membership',
  'member',
  'role',
  'sourcedid',
  'userid',
  'grouptype',
  'relationship',
  'institutionrole',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Sync keys like "007" must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => repeated.has(name),
});

const text = z
  .union([z.string(), z.object({ '#text': z.string().optional() }).loose()])
  .transform((v) => (typeof v === 'string' ? v : (v['#text'] ?? '')));
const required = text.pipe(z.string().min(1, 'must not be empty'));
const optionalText = text.optional().transform((v) => (v === '' ? undefined : v));
const rawSourcedId = z.object({ source: required, id: required });
const rawSourcedIds = z.array(rawSourcedId).min(1, 'needs a <sourcedid>');
const rawRecstatus = z.enum(['1', '2', '3']).optional();

const rawPerson = z.object({
  '@_recstatus': rawRecstatus,
  sourcedid: rawSourcedIds,
  userid: z
    .array(
      z.union([
        z.string(),
        z.object({ '#text': z.string().optional(), '@_useridtype': z.string().optional() }),
      ]),
    )
    .optional(),
  name: z.object({
    fn: required,
    n: z.union([z.literal(''), z.object({ family: optionalText, given: optionalText })]).optional(),
  }),
  email: optionalText,
  institutionrole: z
    .array(
      z.object({ '@_institutionroletype': z.string(), '@_primaryrole': z.enum(['Yes', 'No']).optional() }),
    )
    .optional(),
});

const rawGroup = z.object({
  '@_recstatus': rawRecstatus,
  sourcedid: rawSourcedIds,
  grouptype: z.array(z.object({ scheme: required, typevalue: required })).min(1, 'needs a <grouptype>'),
  description: z.object({ short: required, long: optionalText }),
  timeframe: z
    .union([z.literal(''), z.object({ begin: optionalText, end: optionalText, adminperiod: optionalText })])
    .optional(),
  relationship: z
    .array(
      z.object({
        '@_relation': z.enum(Object.values(relationCodes), 'relation must be 1, 2 or 3 (IMS Enterprise 1.1)'),
        sourcedid: rawSourcedIds,
        label: optionalText,
      }),
    )
    .optional(),
});

const rawMembership = z.object({
  sourcedid: rawSourcedIds,
  member: z
    .array(
      z.object({
        sourcedid: rawSourcedIds,
        idtype: required.refine((v) => v === PERSON_IDTYPE, 'only persons (idtype 1) can be members'),
        role: z
          .array(
            z.object({
              '@_roletype': z.string().refine((v) => roleOfCode.has(v), 'unknown roletype'),
              '@_recstatus': rawRecstatus,
              status: required.refine((v) => v === '0' || v === '1', 'status must be 0 or 1'),
            }),
          )
          .min(1, 'needs a <role>'),
      }),
    )
    .min(1, 'needs a <member>'),
});

const rawEnterprise = z.object({
  enterprise: z.object({
    properties: z.object({ datasource: required, datetime: required }),
    person: z.array(rawPerson).optional(),
    group: z.array(rawGroup).optional(),
    membership: z.array(rawMembership).optional(),
  }),
});
type RawEnterprise = z.infer<typeof rawEnterprise>['enterprise'];

const first = <T>(items: readonly T[]): T => items[0] as T;
const recstatusOf = (raw: '1' | '2' | '3' | undefined) =>
  raw === undefined ? 1 : (Number(raw) as 1 | 2 | 3);

function normalize(raw: RawEnterprise): unknown {
  return {
    properties: raw.properties,
    persons: (raw.person ?? []).map((p) => {
      const userIds = (p.userid ?? []).map((u) =>
        typeof u === 'string'
          ? { value: u, type: undefined }
          : { value: u['#text'] ?? '', type: u['@_useridtype'] },
      );
      const n = p.name.n === '' ? undefined : p.name.n;
      return {
        recstatus: recstatusOf(p['@_recstatus']),
        sourcedId: first(p.sourcedid),
        userId: userIds.find((u) => u.type === undefined && u.value !== '')?.value,
        nationalId: userIds.find((u) => u.type === NATIONAL_ID_USERID_TYPE)?.value,
        name: { full: p.name.fn, family: n?.family, given: n?.given },
        email: p.email,
        institutionRoles: (p.institutionrole ?? []).map((r) => ({
          type: r['@_institutionroletype'],
          primary: r['@_primaryrole'] === 'Yes',
        })),
      };
    }),
    groups: (raw.group ?? []).map((g) => {
      const tf = g.timeframe === '' ? undefined : g.timeframe;
      return {
        recstatus: recstatusOf(g['@_recstatus']),
        sourcedId: first(g.sourcedid),
        type: { scheme: first(g.grouptype).scheme, value: first(g.grouptype).typevalue },
        short: g.description.short,
        long: g.description.long,
        timeframe: tf && { begin: tf.begin, end: tf.end, adminPeriod: tf.adminperiod },
        parent: g.relationship?.find((r) => r['@_relation'] === PARENT_RELATION)?.sourcedid[0],
      };
    }),
    memberships: (raw.membership ?? []).flatMap((m) =>
      m.member.flatMap((member) =>
        member.role.map((role) => ({
          recstatus: recstatusOf(role['@_recstatus']),
          group: first(m.sourcedid),
          person: first(member.sourcedid),
          role: roleOfCode.get(role['@_roletype']),
          active: role.status === '1',
        })),
      ),
    ),
  };
}

export type ImseParseResult = { ok: true; document: ImseDocument } | { ok: false; problems: string[] };

const MAX_PROBLEMS = 20;

function problemsOf(error: z.ZodError, root: string): string[] {
  return error.issues.slice(0, MAX_PROBLEMS).map((i) => `${[root, ...i.path].join('.')}: ${i.message}`);
}

/**
 * Reads IMS Enterprise XML and checks it: well-formed, an `<enterprise>` with `<properties>`, and
 * every person, group and membership with the elements the import needs. Never throws.
 */
export function parseImseXml(xml: string): ImseParseResult {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    return {
      ok: false,
      problems: [`not well-formed XML at line ${wellFormed.err.line}: ${wellFormed.err.msg}`],
    };
  }
  const raw = rawEnterprise.safeParse(parser.parse(xml));
  if (!raw.success)
    return { ok: false, problems: problemsOf(raw.error, '').map((p) => p.replace(/^\./, '')) };
  const document = imseDocumentSchema.safeParse(normalize(raw.data.enterprise));
  if (!document.success) return { ok: false, problems: problemsOf(document.error, 'document') };
  return { ok: true, document: document.data };
}
