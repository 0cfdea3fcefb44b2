/** The workflows the roster-sync task queue runs; its worker bundles only these. */
export * from './roster-sync';
