/** The Praktikportalen simulator: internship periods, supervisors and the access-link display (an assumed API). */
export {
  API_KEY_HEADER,
  API_PREFIX,
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
  type PraktikportalenSimulatorOptions,
} from './server';
export { PraktikportalenState, type PraktikportalenSeed, type ShownLink } from './state';
