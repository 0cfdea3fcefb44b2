/** The workflows the roster-sync task queue runs; its worker bundles only these. */
export * from './roster-sync';
// The year-end lifecycle of the roster sync (IMSE-5, IMSE-6) steers the same integration's runs.
export * from './year-end-freeze';
export * from './delay-delete-window';
// Retention of the snapshot store runs where the store is: on the roster-sync workers.
export * from './store-retention';
