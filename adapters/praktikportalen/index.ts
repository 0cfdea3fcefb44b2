/** Praktikportalen: the client the flow sync uses (an assumed API, docs/wiseflow-apis.md) and its types. */
export type {
  InternshipPeriod,
  InternshipStudent,
  InternshipSupervisor,
  PraktikportalenClient,
} from './types';
export {
  createPraktikportalenClient,
  PRAKTIKPORTALEN,
  type PraktikportalenClientOptions,
} from './http-client';
