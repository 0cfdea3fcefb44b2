export {
  ANEWSPRING_SIGNATURE_HEADER,
  startAnewspringSimulator,
  type AnewspringSimulator,
  type AnewspringSimulatorOptions,
} from './server';
export {
  AnewspringState,
  type AnewspringCompletionInput,
  type AnewspringCourse,
  type AnewspringResult,
  type AnewspringUser,
} from './state';
