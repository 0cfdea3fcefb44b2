import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '../../../platform/tools';
import { createTestDatabase, findPostgresBinaries, testPostgresAdminUrl } from '../../support/postgres';

const script = path.join(repoRoot, 'deploy/postgres/create-integrations-db.sh');

async function connects(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

it('[PLAT-12] the compose init script creates the platform database and its own role, again and again', async () => {
  const admin = new URL(testPostgresAdminUrl());
  const name = `integrations_${randomBytes(4).toString('hex')}`;
  const folder = mkdtempSync(path.join(tmpdir(), 'integrations-db-'));
  const adminPw = path.join(folder, 'admin');
  const rolePw = path.join(folder, 'role');
  writeFileSync(adminPw, decodeURIComponent(admin.password));
  const run = () =>
    execFileSync('sh', [script], {
      encoding: 'utf8',
      env: {
        PATH: `${findPostgresBinaries()}:${process.env.PATH}`,
        PGHOST: admin.hostname,
        PGPORT: admin.port,
        PGUSER: decodeURIComponent(admin.username),
        PGPASSWORD_FILE: adminPw,
        INTEGRATIONS_DB: name,
        INTEGRATIONS_ROLE: name,
        INTEGRATIONS_PASSWORD_FILE: rolePw,
      },
    });
  const other = await createTestDatabase();
  try {
    writeFileSync(rolePw, 'first-password');
    expect(run()).toContain(`database ${name} and role ${name} are ready`);
    writeFileSync(rolePw, 'rotated-password');
    run(); // a restart with a rotated secret

    const url = (pw: string) => `postgres://${name}:${pw}@${admin.host}/${name}`;
    expect(await connects(url('first-password'))).toBe(false);
    expect(await connects(url('rotated-password'))).toBe(true);
    const client = new Client({ connectionString: url('rotated-password') });
    await client.connect();
    try {
      const { rows } = await client.query<{ su: boolean; owner: string }>(
        "SELECT current_setting('is_superuser')::boolean AS su, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()",
      );
      expect(rows[0]).toEqual({ su: false, owner: name });
      await client.query('CREATE TABLE owned_by_the_platform (x int)');
    } finally {
      await client.end();
    }
    // Another role of the same server cannot connect to the platform's database.
    const stranger = new URL(other.url);
    stranger.pathname = `/${name}`;
    expect(await connects(stranger.toString())).toBe(false);
  } finally {
    await other.drop();
    const c = new Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS ${name}`);
    await c.end();
  }
});
