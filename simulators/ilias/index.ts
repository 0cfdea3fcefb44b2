export {
  ILIAS_SIGNATURE_HEADER,
  startIliasSimulator,
  type IliasSimulator,
  type IliasSimulatorOptions,
} from './server';
export {
  IliasState,
  type IliasCourse,
  type IliasLearningProgress,
  type IliasLpChange,
  type IliasUser,
} from './state';
