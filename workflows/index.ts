export * from './grade-return';
export * from './moodle-poll';
