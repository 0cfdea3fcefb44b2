export { createMoodleClient, MOODLE_SYSTEM, type MoodleClient, type MoodleClientOptions } from './client';
export { completedAtOf, courseGradeOf, learnerIdOf } from './completion-rules';
export {
  listCompletionCourses,
  listRecentCompletions,
  scanCourseCompletions,
  type CourseScan,
  type CourseScanOptions,
  type ListRecentCompletionsOptions,
  type SkippedCompletion,
} from './recent-completions';
export type {
  MoodleCourse,
  MoodleCourseCompletionStatus,
  MoodleEnrolledUser,
  MoodleGradeItem,
  MoodleSiteInfo,
  MoodleUserGradeItems,
} from './schemas';
