/** The workflows the competences task queue runs; its worker bundles only these. */
export * from './competence-link';
export * from './competence-sync';
