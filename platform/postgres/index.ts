/** The platform's PostgreSQL (PLAT-12): one pool per process, and each piece's own migrations. */
export { createPool, DatabaseNotConfiguredError, type DatabaseConfig } from './pool';
export { MigrationChangedError, runMigrations, type Migration } from './migrations';
