/** Storage for large data that must not travel through workflow history. */
export {
  assertStoreKey,
  InvalidStoreKeyError,
  StoreKeyNotFoundError,
  type SnapshotStore,
  type StoredRef,
} from './snapshot-store';
export { createLocalStore } from './local-store';
export { createPostgresStore, snapshotStoreMigrations, type PostgresStoreOptions } from './postgres-store';
export { jsonText } from './json-text';
export { snapshotStoreFromConfig, type ConfiguredStore } from './from-config';
export { rosterSyncKeys, yearEndKeys } from './keys';
