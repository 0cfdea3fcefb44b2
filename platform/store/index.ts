/** Storage for large data that must not travel through workflow history. */
export {
  assertStoreKey,
  InvalidStoreKeyError,
  StoreKeyNotFoundError,
  type SnapshotStore,
  type StoredRef,
} from './snapshot-store';
export { createLocalStore } from './local-store';
export { rosterSyncKeys } from './keys';
