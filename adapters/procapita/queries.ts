/**
 * The platform's queries over ProCapita (PC-1): one `.sql` file per row set in `sql/procapita/`, each
 * with the zod schema of its rows. The parameters a file uses are read from its text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import {
  activityLinkRowSchema,
  activityRowSchema,
  activityStaffRowSchema,
  classPlacementRowSchema,
  classRowSchema,
  classTeacherRowSchema,
  employmentRowSchema,
  groupMemberRowSchema,
  groupRowSchema,
  schoolRowSchema,
  staffRowSchema,
  studentRowSchema,
  type ProcapitaRowsKey,
} from '../../domain/procapita';

export const procapitaQueryFiles = {
  schools: { file: 'schools.sql', schema: schoolRowSchema },
  students: { file: 'students.sql', schema: studentRowSchema },
  classPlacements: { file: 'class-placements.sql', schema: classPlacementRowSchema },
  staff: { file: 'staff.sql', schema: staffRowSchema },
  employments: { file: 'employments.sql', schema: employmentRowSchema },
  classes: { file: 'classes.sql', schema: classRowSchema },
  classTeachers: { file: 'class-teachers.sql', schema: classTeacherRowSchema },
  groups: { file: 'groups.sql', schema: groupRowSchema },
  groupMembers: { file: 'group-members.sql', schema: groupMemberRowSchema },
  activities: { file: 'activities.sql', schema: activityRowSchema },
  activityLinks: { file: 'activity-links.sql', schema: activityLinkRowSchema },
  activityStaff: { file: 'activity-staff.sql', schema: activityStaffRowSchema },
} as const satisfies Record<ProcapitaRowsKey, { file: string; schema: z.ZodType }>;

export const procapitaQueryParameters = ['schoolIds', 'syncDate'] as const;
export type ProcapitaQueryParameter = (typeof procapitaQueryParameters)[number];

export interface ProcapitaQuery {
  key: ProcapitaRowsKey;
  file: string;
  text: string;
  parameters: ProcapitaQueryParameter[];
}

/** `sql/procapita` at the repository root, from the sources or from `dist/` after a build. */
export function defaultSqlDir(): string {
  const candidates = [
    resolve(__dirname, '../../sql/procapita'),
    resolve(__dirname, '../../../sql/procapita'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** Reads every query file once; a missing file fails at start-up, not at the nightly run. */
export function loadProcapitaQueries(sqlDir: string = defaultSqlDir()): ProcapitaQuery[] {
  return (Object.keys(procapitaQueryFiles) as ProcapitaRowsKey[]).map((key) => {
    const { file } = procapitaQueryFiles[key];
    const text = readFileSync(join(sqlDir, file), 'utf8');
    const parameters = procapitaQueryParameters.filter((p) => new RegExp(`@${p}\\b`).test(text));
    return { key, file, text, parameters };
  });
}
