import { Client } from 'pg';
import { createTestDatabase } from '../../support/postgres';

describe('the private PostgreSQL of the test run', () => {
  it('[PLAT-12] hands each test a fresh database owned by its own non-superuser role', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(a.url).not.toBe(b.url);
      const client = new Client({ connectionString: a.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ db: string; su: boolean; host: string | null }>(
          "SELECT current_database() AS db, current_setting('is_superuser')::boolean AS su, inet_server_addr()::text AS host",
        );
        expect(rows[0]).toEqual({ db: new URL(a.url).pathname.slice(1), su: false, host: '127.0.0.1/32' });
        await client.query('CREATE TABLE t (x int)');
      } finally {
        await client.end();
      }
    } finally {
      await a.drop();
      await b.drop();
    }
    const gone = new Client({ connectionString: a.url });
    await expect(gone.connect()).rejects.toThrow();
    await gone.end().catch(() => undefined);
  });
});
