/** The workflows the roster-sync task queue runs; its worker bundles only these. */
export * from './roster-sync';
// Retention of the snapshot store runs where the store is: on the roster-sync workers.
export * from './store-retention';
