/** The workflows the wiseflow task queue runs; its worker bundles only these. */
export * from './wiseflow-flow-sync';
