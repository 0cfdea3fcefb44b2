/** Pieces the InfoCaption and WinLas simulators share: faults, the per-second limit, counters, the guard. */
export { FaultSwitches, type Fault, type FaultSettings } from '../common/faults';
export { PerSecondLimit, type RateDecision } from './rate-limit';
export { RequestCounters } from './usage';
export {
  adminErrors,
  guardApi,
  listenOn,
  routeOf,
  SeedError,
  type GuardOptions,
  type Refusal,
} from './guard';
export { generatedEmail } from './generated';
export {
  adminControls,
  type AdminControls,
  type ControlOptions,
  type RequestUsage,
  type SimulatorControls,
} from './controls';
export {
  startCompetenceSimulator,
  type CompetenceSimulator,
  type CompetenceSimulatorSetup,
  type SeedableState,
} from './start';
