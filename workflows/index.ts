export * from './grade-return';
export * from './moodle-poll';
export * from './roster-sync';
export * from './store-retention';
export * from './wiseflow-flow-sync';
export * from './competence-link';
export * from './competence-sync';
