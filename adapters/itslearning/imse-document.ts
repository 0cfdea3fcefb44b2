/**
 * An IMS Enterprise v1.1 document as data: the persons, groups and memberships of one import,
 * each with its `recstatus` (1 add, 2 update, 3 delete). {@link buildImseXml} writes it as XML,
 * {@link parseImseXml} reads and validates XML into it.
 */
import { z } from 'zod';

export const recstatusCodes = { add: 1, update: 2, delete: 3 } as const;
export const recstatusSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Recstatus = z.infer<typeof recstatusSchema>;

/**
 * Field limits of IMS Enterprise 1.1 (the Information Model's data types, as the binding's XSD
 * states them with maxLength) for the elements this platform writes (IMSE-12). Lengths are in
 * characters (Unicode code points), as XML Schema counts them.
 */
export const imseLimits = {
  datasource: 256,
  source: 32,
  id: 256,
  userid: 256,
  fn: 256,
  family: 256,
  given: 256,
  email: 256,
  scheme: 256,
  typevalue: 256,
  short: 60,
  long: 256,
  adminperiod: 32,
  label: 32,
} as const;

/** Length as XML Schema counts it: code points, not UTF-16 units. */
export const charLength = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

const upTo = (max: number) =>
  z
    .string()
    .min(1)
    .refine((v) => charLength(v) <= max, `longer than IMS Enterprise 1.1 allows (${max} characters)`);

export const imseSourcedIdSchema = z.object({ source: upTo(imseLimits.source), id: upTo(imseLimits.id) });
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
  userId: upTo(imseLimits.userid).optional(),
  nationalId: upTo(imseLimits.userid).optional(),
  name: z.object({
    full: upTo(imseLimits.fn),
    family: upTo(imseLimits.family).optional(),
    given: upTo(imseLimits.given).optional(),
  }),
  email: upTo(imseLimits.email).optional(),
  institutionRoles: z.array(z.object({ type: z.enum(institutionRoleTypes), primary: z.boolean() })),
});
export type ImsePerson = z.infer<typeof imsePersonSchema>;

export const imseGroupSchema = z.object({
  recstatus: recstatusSchema,
  sourcedId: imseSourcedIdSchema,
  type: z.object({ scheme: upTo(imseLimits.scheme), value: z.enum(groupTypeValues) }),
  short: upTo(imseLimits.short),
  long: upTo(imseLimits.long).optional(),
  /**
   * `<timeframe>`: first and last day, and for a course the `adminperiod`, IMS Enterprise's
   * administrative period, which carries the sync key id of the course's term (IMSE-12).
   */
  timeframe: z
    .object({
      begin: isoDate.optional(),
      end: isoDate.optional(),
      adminPeriod: upTo(imseLimits.adminperiod).optional(),
    })
    .optional(),
  parent: imseSourcedIdSchema.optional(),
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
  properties: z.object({ datasource: upTo(imseLimits.datasource), datetime: z.string().min(1) }),
  persons: z.array(imsePersonSchema),
  groups: z.array(imseGroupSchema),
  memberships: z.array(imseMemberSchema),
});
export type ImseDocument = z.infer<typeof imseDocumentSchema>;
