/** The reader's output: what the roster sync takes from ProCapita, and the summary operators read. */
import { z } from 'zod';
import { calendarDateSchema } from './dates';
import { classExclusionReasons } from './class';
import { schoolExclusionReasons } from './school';
import { staffExclusionReasons } from './staff';
import { studentExclusionReasons } from './student';
import { teachingGroupExclusionReasons } from './teaching-group';

export const exportedSchoolSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  schoolForm: z.string(),
});

/** PC-7: first name, last name, e-mail; national id only when configured. */
export const exportedPersonSchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.email().nullable(),
  nationalId: z.string().optional(),
  /** The exported schools of the person's active placements or employments. */
  schoolIds: z.array(z.string()),
});

export const exportedClassSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  schoolId: z.string(),
  startDate: calendarDateSchema,
  endDate: calendarDateSchema,
  /** False during the lead days before the day before the start: teachers only. */
  studentsIncluded: z.boolean(),
});

export const exportedTeachingGroupSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  schoolId: z.string(),
  startDate: calendarDateSchema.nullable(),
  endDate: calendarDateSchema.nullable(),
  /** The active parents only. */
  classIds: z.array(z.string()),
  groupIds: z.array(z.string()),
  studentsIncluded: z.boolean(),
});

export const membershipSchema = z.object({
  container: z.enum(['class', 'teaching-group']),
  containerId: z.string(),
  personId: z.string(),
  role: z.enum(['teacher', 'student']),
});

export const procapitaExportSchema = z.object({
  syncDate: calendarDateSchema,
  schools: z.array(exportedSchoolSchema),
  students: z.array(exportedPersonSchema),
  staff: z.array(exportedPersonSchema),
  classes: z.array(exportedClassSchema),
  teachingGroups: z.array(exportedTeachingGroupSchema),
  memberships: z.array(membershipSchema),
});

const countsBy = <const T extends readonly [string, ...string[]]>(reasons: T) =>
  z.record(z.enum(reasons), z.number().int().min(0));

/**
 * Counts only, plus the ids of exported persons who lack e-mail. Nothing in it identifies an excluded
 * person: a student with protected identity is a number here and nothing else.
 */
export const procapitaSummarySchema = z.object({
  syncDate: calendarDateSchema,
  counts: z.object({
    schools: z.number().int(),
    students: z.number().int(),
    staff: z.number().int(),
    classes: z.number().int(),
    teachingGroups: z.number().int(),
    memberships: z.object({
      classTeachers: z.number().int(),
      classStudents: z.number().int(),
      teachingGroupTeachers: z.number().int(),
      teachingGroupStudents: z.number().int(),
    }),
  }),
  excluded: z.object({
    schools: countsBy(schoolExclusionReasons),
    students: countsBy([...studentExclusionReasons, 'missingEmail']),
    staff: countsBy([...staffExclusionReasons, 'missingEmail']),
    classes: countsBy(classExclusionReasons),
    teachingGroups: countsBy(teachingGroupExclusionReasons),
  }),
  email: z.object({
    policy: z.enum(['export', 'hold-back']),
    fromProcapita: z.number().int(),
    fromMapping: z.number().int(),
    /** ProCapita ids of persons still without e-mail (exported without it, or held back by the policy). */
    withoutEmail: z.object({ students: z.array(z.string()), staff: z.array(z.string()) }),
  }),
});

export type ExportedSchool = z.output<typeof exportedSchoolSchema>;
export type ExportedPerson = z.output<typeof exportedPersonSchema>;
export type ExportedClass = z.output<typeof exportedClassSchema>;
export type ExportedTeachingGroup = z.output<typeof exportedTeachingGroupSchema>;
export type Membership = z.output<typeof membershipSchema>;
export type ProcapitaExport = z.output<typeof procapitaExportSchema>;
export type ProcapitaSummary = z.output<typeof procapitaSummarySchema>;
