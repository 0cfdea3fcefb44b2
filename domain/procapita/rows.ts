/**
 * The rows the platform reads from ProCapita: one schema per query in `sql/procapita/`, one row per
 * record of the DBA-installed views (see docs/procapita.md). The same shape is the fixture format.
 * mssql gives `date` columns as JS Dates at UTC midnight and `bit` as booleans; JSON fixtures give
 * strings and booleans (or 0/1). Both are normalized to `YYYY-MM-DD` and booleans here.
 */
import { z } from 'zod';

const id = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1));
const optionalId = z
  .union([id, z.null()])
  .optional()
  .transform((v) => v ?? null);
const text = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? null : v.trim()));
const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1)])
  .nullish()
  .transform((v) => v === true || v === 1);
const date = z
  .union([z.date(), z.iso.date(), z.iso.datetime({ offset: true, local: true })])
  .nullish()
  .transform((v) => {
    if (v == null) return null;
    return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);
  });

export const schoolRowSchema = z.object({
  schoolId: id,
  schoolForm: id,
  schoolName: text,
  startDate: date,
  endDate: date,
});

/** Names and national id are NULL from the database for protected persons (masked in the SQL). */
export const studentRowSchema = z.object({
  studentId: id,
  nationalId: text,
  firstName: text,
  lastName: text,
  email: text,
  protectedIdentity: flag,
  protectedAddress: flag,
  deregistered: flag,
  deceased: flag,
});

export const classPlacementRowSchema = z.object({
  studentId: id,
  classId: id,
  startDate: date,
  endDate: date,
});

export const staffRowSchema = z.object({
  staffId: id,
  nationalId: text,
  firstName: text,
  lastName: text,
  email: text,
  protectedIdentity: flag,
  protectedAddress: flag,
  deceased: flag,
});

export const employmentRowSchema = z.object({
  staffId: id,
  schoolId: id,
  endDate: date,
});

export const classRowSchema = z.object({
  classId: id,
  schoolId: id,
  className: text,
  startDate: date,
  endDate: date,
});

export const classTeacherRowSchema = z.object({ classId: id, staffId: id });

export const groupRowSchema = z.object({
  groupId: id,
  schoolId: id,
  groupName: text,
  startDate: date,
  endDate: date,
});

export const groupMemberRowSchema = z.object({
  groupId: id,
  studentId: id,
  startDate: date,
  endDate: date,
});

export const activityRowSchema = z.object({
  activityId: id,
  schoolId: id,
  activityName: text,
  /** The free-text "other" (övrigt) field that carries the PORTAL marker. */
  otherText: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  startDate: date,
  endDate: date,
});

/** Exactly one of classId and groupId is set on each link. */
export const activityLinkRowSchema = z
  .object({ activityId: id, classId: optionalId, groupId: optionalId })
  .refine((l) => (l.classId === null) !== (l.groupId === null), 'set exactly one of classId and groupId');

export const activityStaffRowSchema = z.object({ activityId: id, staffId: id });

export const procapitaRowsSchema = z.object({
  schools: z.array(schoolRowSchema),
  students: z.array(studentRowSchema),
  classPlacements: z.array(classPlacementRowSchema),
  staff: z.array(staffRowSchema),
  employments: z.array(employmentRowSchema),
  classes: z.array(classRowSchema),
  classTeachers: z.array(classTeacherRowSchema),
  groups: z.array(groupRowSchema),
  groupMembers: z.array(groupMemberRowSchema),
  activities: z.array(activityRowSchema),
  activityLinks: z.array(activityLinkRowSchema),
  activityStaff: z.array(activityStaffRowSchema),
});

export type SchoolRow = z.output<typeof schoolRowSchema>;
export type StudentRow = z.output<typeof studentRowSchema>;
export type ClassPlacementRow = z.output<typeof classPlacementRowSchema>;
export type StaffRow = z.output<typeof staffRowSchema>;
export type EmploymentRow = z.output<typeof employmentRowSchema>;
export type ClassRow = z.output<typeof classRowSchema>;
export type ClassTeacherRow = z.output<typeof classTeacherRowSchema>;
export type GroupRow = z.output<typeof groupRowSchema>;
export type GroupMemberRow = z.output<typeof groupMemberRowSchema>;
export type ActivityRow = z.output<typeof activityRowSchema>;
export type ActivityLinkRow = z.output<typeof activityLinkRowSchema>;
export type ActivityStaffRow = z.output<typeof activityStaffRowSchema>;
export type ProcapitaRows = z.output<typeof procapitaRowsSchema>;
export type ProcapitaRowsInput = z.input<typeof procapitaRowsSchema>;
export type ProcapitaRowsKey = keyof ProcapitaRows;
