/**
 * An IMS Enterprise v1.1 document as data: the persons, groups and memberships of one import,
 * each with its `recstatus` (1 add, 2 update, 3 delete). {@link buildImseXml} writes it as XML,
 * {@link parseImseXml} reads and validates XML into it.
 */
import { z } from 'zod';

export const recstatusCodes = { add: 1, update: 2, delete: 3 } as const;
export const recstatusSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Recstatus = z.infer<typeof recstatusSchema>;

export const imseSourcedIdSchema = z.object({ source: z.string().min(1), id: z.string().min(1) });
export type ImseSourcedId = z.infer<typeof imseSourcedIdSchema>;

/** `<role roletype>` codes of IMS Enterprise v1.1. */
export const roletypeCodes = {
  Learner: '01',
  Instructor: '02',
  ContentDeveloper: '03',
  Member: '04',
  Manager: '05',
  Mentor: '06',
  Administrator: '07',
  TeachingAssistant: '08',
} as const;
export type ImseRole = keyof typeof roletypeCodes;
export const imseRoles = Object.keys(roletypeCodes) as ImseRole[];
export const roleOfCode = new Map(
  Object.entries(roletypeCodes).map(([role, code]) => [code as string, role as ImseRole]),
);

/** `institutionroletype` values of IMS Enterprise v1.1 that the platform uses. */
export const institutionRoleTypes = ['Student', 'Faculty', 'Staff', 'Administrator', 'Member'] as const;

/** The `<grouptype>` scheme the integration writes its group types under. */
export const GROUP_TYPE_SCHEME = 'SchoolIntegrations';
export const groupTypeValues = ['Unit', 'Class', 'TeachingGroup', 'Course', 'Term'] as const;
export type GroupTypeValue = (typeof groupTypeValues)[number];

/** `useridtype` of the `<userid>` that carries the national identity number. */
export const NATIONAL_ID_USERID_TYPE = 'NationalIdentityNumber';

const isoDate = z.iso.date();

export const imsePersonSchema = z.object({
  recstatus: recstatusSchema,
  sourcedId: imseSourcedIdSchema,
  userId: z.string().min(1).optional(),
  nationalId: z.string().min(1).optional(),
  name: z.object({
    full: z.string().min(1),
    family: z.string().min(1).optional(),
    given: z.string().min(1).optional(),
  }),
  email: z.string().min(1).optional(),
  institutionRoles: z.array(z.object({ type: z.enum(institutionRoleTypes), primary: z.boolean() })),
});
export type ImsePerson = z.infer<typeof imsePersonSchema>;

export const imseGroupSchema = z.object({
  recstatus: recstatusSchema,
  sourcedId: imseSourcedIdSchema,
  type: z.object({ scheme: z.string().min(1), value: z.enum(groupTypeValues) }),
  short: z.string().min(1),
  long: z.string().min(1).optional(),
  timeframe: z.object({ begin: isoDate.optional(), end: isoDate.optional() }).optional(),
  parent: imseSourcedIdSchema.optional(),
  term: imseSourcedIdSchema.optional(),
});
export type ImseGroup = z.infer<typeof imseGroupSchema>;

/** One `<member>` of one `<membership>`, flattened. */
export const imseMemberSchema = z.object({
  recstatus: recstatusSchema,
  group: imseSourcedIdSchema,
  person: imseSourcedIdSchema,
  role: z.enum(imseRoles as [ImseRole, ...ImseRole[]]),
  active: z.boolean(),
});
export type ImseMember = z.infer<typeof imseMemberSchema>;

export const imseDocumentSchema = z.object({
  properties: z.object({ datasource: z.string().min(1), datetime: z.string().min(1) }),
  persons: z.array(imsePersonSchema),
  groups: z.array(imseGroupSchema),
  memberships: z.array(imseMemberSchema),
});
export type ImseDocument = z.infer<typeof imseDocumentSchema>;
