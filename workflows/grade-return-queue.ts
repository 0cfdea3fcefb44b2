/** The workflows the grade-return task queue runs; its worker bundles only these. */
export * from './grade-return';
export * from './moodle-poll';
export * from './coachview-incident';
