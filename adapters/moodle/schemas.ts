/**
 * The answers of the Moodle web service functions this platform calls, as documented in Moodle's
 * API docs (Site administration > Development > API documentation). Only the fields we use are
 * required; Moodle adds fields between releases, so objects are not strict.
 */
import { z } from 'zod';

/** Moodle answers exceptions with HTTP 200 and this body. */
export const moodleExceptionSchema = z.object({
  exception: z.string(),
  errorcode: z.string(),
  message: z.string(),
  debuginfo: z.string().optional(),
});

const moodleBool = z.union([z.boolean(), z.number().int()]).transform((v) => Boolean(v));

export const siteInfoSchema = z.object({
  sitename: z.string(),
  username: z.string(),
  userid: z.number().int(),
  release: z.string().optional(),
  version: z.string().optional(),
  functions: z.array(z.object({ name: z.string(), version: z.string() })).default([]),
});

export const courseSchema = z.object({
  id: z.number().int(),
  shortname: z.string(),
  fullname: z.string(),
  idnumber: z.string().optional(),
  format: z.string().optional(),
  enablecompletion: moodleBool.default(false),
});

export const enrolledUserSchema = z.object({
  id: z.number().int(),
  username: z.string().optional(),
  fullname: z.string(),
  email: z.string().optional(),
  /** Set by the site to the id other systems know the person by; absent when empty. */
  idnumber: z.string().optional(),
  /** When the user last opened this course (unix seconds; 0 = never); asked for with `userfields`. */
  lastcourseaccess: z.number().int().nullable().optional(),
});

export const warningSchema = z.object({
  item: z.string().optional(),
  itemid: z.number().int().optional(),
  warningcode: z.string(),
  message: z.string(),
});

export const courseCompletionStatusSchema = z.object({
  completionstatus: z.object({
    completed: z.boolean(),
    /** 1 = all criteria must be met, 2 = any criterion (COMPLETION_AGGREGATION_ALL / _ANY). */
    aggregation: z.number().int(),
    completions: z.array(
      z.object({
        type: z.number().int(),
        title: z.string(),
        status: z.string(),
        complete: z.boolean(),
        timecompleted: z.number().int().nullable().optional(),
        details: z.object({
          type: z.string(),
          criteria: z.string(),
          requirement: z.string(),
          status: z.string(),
        }),
      }),
    ),
  }),
  warnings: z.array(warningSchema).default([]),
});

export const gradeItemSchema = z.object({
  id: z.number().int(),
  itemname: z.string().nullable(),
  itemtype: z.string(),
  itemmodule: z.string().nullable().optional(),
  graderaw: z.number().nullable().optional(),
  /** When the grade was last set (unix seconds), null while ungraded. */
  gradedategraded: z.number().int().nullable().optional(),
  gradeformatted: z.string().optional(),
  grademin: z.number().optional(),
  grademax: z.number().optional(),
  percentageformatted: z.string().optional(),
});

export const userGradeItemsSchema = z.object({
  usergrades: z.array(
    z.object({
      courseid: z.number().int(),
      userid: z.number().int(),
      userfullname: z.string().optional(),
      useridnumber: z.string().optional(),
      gradeitems: z.array(gradeItemSchema),
    }),
  ),
  warnings: z.array(warningSchema).default([]),
});

export type MoodleSiteInfo = z.output<typeof siteInfoSchema>;
export type MoodleCourse = z.output<typeof courseSchema>;
export type MoodleEnrolledUser = z.output<typeof enrolledUserSchema>;
export type MoodleCourseCompletionStatus = z.output<typeof courseCompletionStatusSchema>;
export type MoodleGradeItem = z.output<typeof gradeItemSchema>;
export type MoodleUserGradeItems = z.output<typeof userGradeItemsSchema>;
