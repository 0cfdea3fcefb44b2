export { buildIntakeServer, startIntakeServer, type IntakeServer, type IntakeServerOptions } from './server';
export type { IntakeAnswer, StartGradeReturn } from './types';
export type { RequestFlowSync } from './wiseflow-route';
