import { createLogger } from '../../../platform/logging';
import { createPool, MigrationChangedError, runMigrations, type Migration } from '../../../platform/postgres';
import { Secret } from '../../../platform/secret';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const logger = createLogger('warn', 'test');

const poolFor = (url: string) =>
  createPool({ url: new Secret(url), tls: 'off', poolSize: 2 }, logger, 'the migration test');

describe('runMigrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('[PLAT-12] applies each migration once when several worker processes start together', async () => {
    // Not idempotent on purpose: a second run of the INSERT would leave two rows.
    const migrations: Migration[] = [
      { id: 'demo/001-table', sql: 'CREATE TABLE demo (n int NOT NULL)' },
      { id: 'demo/002-row', sql: 'INSERT INTO demo VALUES (1)' },
    ];
    const pools = Array.from({ length: 5 }, () => poolFor(db.url));
    try {
      const applied = await Promise.all(pools.map((p) => runMigrations(p, migrations)));
      expect(applied.flat().sort()).toEqual(['demo/001-table', 'demo/002-row']);
      const { rows } = await pools[0]!.query<{ count: string }>('SELECT count(*) FROM demo');
      expect(rows[0]?.count).toBe('1');

      const later = [...migrations, { id: 'demo/003-more', sql: 'INSERT INTO demo VALUES (2)' }];
      expect(await runMigrations(pools[1]!, later)).toEqual(['demo/003-more']);
      expect(await runMigrations(pools[2]!, later)).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('[PLAT-12] refuses a released migration that was changed, and rolls back a failing one', async () => {
    const pool = poolFor(db.url);
    try {
      await runMigrations(pool, [{ id: 'demo/001', sql: 'CREATE TABLE demo (n int)' }]);
      await expect(
        runMigrations(pool, [{ id: 'demo/001', sql: 'CREATE TABLE demo (n bigint)' }]),
      ).rejects.toBeInstanceOf(MigrationChangedError);

      await expect(
        runMigrations(pool, [
          { id: 'demo/001', sql: 'CREATE TABLE demo (n int)' },
          { id: 'demo/002', sql: 'CREATE TABLE half (x int); SELECT no_such_function()' },
        ]),
      ).rejects.toThrow(/migration demo\/002 failed: function no_such_function\(\) does not exist/);
      const { rows } = await pool.query("SELECT to_regclass('half') AS t");
      expect(rows[0]).toEqual({ t: null });
    } finally {
      await pool.end();
    }
  });

  it('[PLAT-12] says which setting is missing when a piece needs the database', () => {
    expect(() =>
      createPool({ url: undefined, tls: 'off', poolSize: 2 }, logger, 'STORE_BACKEND=postgres'),
    ).toThrow('DATABASE_URL (or DATABASE_URL_FILE): is required for STORE_BACKEND=postgres');
  });
});
