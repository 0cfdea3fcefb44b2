import type { Batch, Group, Membership, Operation, Person, Unit } from '../../domain/roster';
import { groupTypeOf, institutionRoleOf } from './canonical-mapping';
import {
  GROUP_TYPE_SCHEME,
  recstatusCodes,
  type ImseDocument,
  type ImseGroup,
  type ImseMember,
  type ImsePerson,
  type Recstatus,
} from './imse-document';
import { buildImseXml } from './imse-xml';

/**
 * The IMSE import has no archive status: a course or term delete (3) is archived by itslearning when
 * the site's course archiving is on (IMSE-8, see docs/roster-sync.md), and terms the integration
 * created are archived on delete (IMSE-9).
 */
const recstatusOf: Record<Operation['op'], Recstatus> = {
  create: recstatusCodes.add,
  update: recstatusCodes.update,
  delete: recstatusCodes.delete,
  archive: recstatusCodes.delete,
};

function personOf(p: Person, source: string, recstatus: Recstatus): ImsePerson {
  return {
    recstatus,
    sourcedId: { source, id: p.sourcedId },
    ...(p.userName ? { userId: p.userName } : {}),
    ...(p.nationalId ? { nationalId: p.nationalId } : {}),
    name: { full: `${p.givenName} ${p.familyName}`, family: p.familyName, given: p.givenName },
    ...(p.email ? { email: p.email } : {}),
    institutionRoles: p.roles.map((role, i) => ({ type: institutionRoleOf[role], primary: i === 0 })),
  };
}

function unitOf(u: Unit, source: string, recstatus: Recstatus): ImseGroup {
  return {
    recstatus,
    sourcedId: { source, id: u.sourcedId },
    type: { scheme: GROUP_TYPE_SCHEME, value: groupTypeOf.unit },
    short: u.name,
    ...(u.parentId ? { parent: { source, id: u.parentId } } : {}),
  };
}

function groupOf(g: Group, source: string, recstatus: Recstatus): ImseGroup {
  return {
    recstatus,
    sourcedId: { source, id: g.sourcedId },
    type: { scheme: GROUP_TYPE_SCHEME, value: groupTypeOf[g.kind] },
    short: g.name,
    ...(g.description ? { long: g.description } : {}),
    ...(g.start || g.end || g.termId
      ? {
          timeframe: {
            ...(g.start ? { begin: g.start } : {}),
            ...(g.end ? { end: g.end } : {}),
            // IMS Enterprise 1.1 has no relationship code for a term: it is the administrative period.
            ...(g.termId ? { adminPeriod: g.termId } : {}),
          },
        }
      : {}),
    ...(g.parentId ? { parent: { source, id: g.parentId } } : {}),
  };
}

function memberOf(m: Membership, source: string, recstatus: Recstatus): ImseMember {
  return {
    recstatus,
    group: { source, id: m.groupId },
    person: { source, id: m.personId },
    role: m.role,
    active: true,
  };
}

/** The IMS Enterprise document of one batch: each operation becomes a record with its recstatus. */
export function toImseModel(batch: Batch): ImseDocument {
  const source = batch.syncKeySource;
  const doc: ImseDocument = {
    properties: { datasource: source, datetime: batch.createdAt },
    persons: [],
    groups: [],
    memberships: [],
  };
  for (const operation of batch.operations) {
    const recstatus = recstatusOf[operation.op];
    switch (operation.entityType) {
      case 'person':
        doc.persons.push(personOf(operation.record, source, recstatus));
        break;
      case 'unit':
        doc.groups.push(unitOf(operation.record, source, recstatus));
        break;
      case 'membership':
        doc.memberships.push(memberOf(operation.record, source, recstatus));
        break;
      default:
        doc.groups.push(groupOf(operation.record, source, recstatus));
    }
  }
  return doc;
}

/** One batch as an IMS Enterprise v1.1 XML document, ready for `importDocument`; the same batch gives the same bytes. */
export function toImseDocument(batch: Batch): string {
  return buildImseXml(toImseModel(batch));
}
