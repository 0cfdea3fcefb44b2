export {
  startItslearningSimulator,
  type ItslearningSimulator,
  type ItslearningSimulatorOptions,
} from './server';
export { ItslearningState, type AppliedImport } from './state';
export { Importer, type ImportLogEntry } from './importer';
export {
  seedSchema,
  type ImportReport,
  type SeedInput,
  type SimGroup,
  type SimMembership,
  type SimPerson,
  type SyncKey,
} from './model';
export { MAX_PAGE_SIZE, type GroupView, type MembershipView, type Page } from './views';
