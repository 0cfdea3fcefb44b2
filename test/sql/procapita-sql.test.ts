/**
 * The platform's ProCapita SQL against a real SQL Server. It runs only when
 * PROCAPITA_TEST_CONNECTION_STRING is set (docker-compose has SQL Server); it creates a throw-away
 * database, the view contract as tables and synthetic rows, and drops the database afterwards.
 * Without the variable the suite is reported as skipped, never as passed.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sql from 'mssql';
import { createProcapitaReader } from '../../adapters/procapita';
import { buildExport, type ProcapitaRows } from '../../domain/procapita';
import { generateProcapitaRows } from '../../domain/procapita/generator';

const connectionString = process.env.PROCAPITA_TEST_CONNECTION_STRING;
const describeWithSqlServer = connectionString ? describe : describe.skip;
const title = connectionString
  ? '[PC-1] ProCapita SQL on SQL Server'
  : '[PC-1] ProCapita SQL on SQL Server (skipped: PROCAPITA_TEST_CONNECTION_STRING is not set)';

const SYNC = '2026-08-20';

type SqlType = sql.ISqlType | (() => sql.ISqlType);
type Column = [column: string, field: string, type: SqlType];
const id = sql.NVarChar(50);
const tables: Record<keyof ProcapitaRows, { table: string; columns: Column[] }> = {
  schools: {
    table: 'pc_school',
    columns: [
      ['school_id', 'schoolId', id],
      ['school_form', 'schoolForm', sql.NVarChar(20)],
      ['school_name', 'schoolName', sql.NVarChar(200)],
      ['start_date', 'startDate', sql.Date],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  students: {
    table: 'pc_student',
    columns: [
      ['student_id', 'studentId', id],
      ['national_id', 'nationalId', sql.NVarChar(13)],
      ['first_name', 'firstName', sql.NVarChar(100)],
      ['last_name', 'lastName', sql.NVarChar(100)],
      ['email', 'email', sql.NVarChar(320)],
      ['protected_identity', 'protectedIdentity', sql.Bit],
      ['protected_address', 'protectedAddress', sql.Bit],
      ['deregistered', 'deregistered', sql.Bit],
      ['deceased', 'deceased', sql.Bit],
    ],
  },
  classPlacements: {
    table: 'pc_class_placement',
    columns: [
      ['student_id', 'studentId', id],
      ['class_id', 'classId', id],
      ['start_date', 'startDate', sql.Date],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  staff: {
    table: 'pc_staff',
    columns: [
      ['staff_id', 'staffId', id],
      ['national_id', 'nationalId', sql.NVarChar(13)],
      ['first_name', 'firstName', sql.NVarChar(100)],
      ['last_name', 'lastName', sql.NVarChar(100)],
      ['email', 'email', sql.NVarChar(320)],
      ['protected_identity', 'protectedIdentity', sql.Bit],
      ['protected_address', 'protectedAddress', sql.Bit],
      ['deceased', 'deceased', sql.Bit],
    ],
  },
  employments: {
    table: 'pc_employment',
    columns: [
      ['staff_id', 'staffId', id],
      ['school_id', 'schoolId', id],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  classes: {
    table: 'pc_class',
    columns: [
      ['class_id', 'classId', id],
      ['school_id', 'schoolId', id],
      ['class_name', 'className', sql.NVarChar(100)],
      ['start_date', 'startDate', sql.Date],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  classTeachers: {
    table: 'pc_class_teacher',
    columns: [
      ['class_id', 'classId', id],
      ['staff_id', 'staffId', id],
    ],
  },
  groups: {
    table: 'pc_group',
    columns: [
      ['group_id', 'groupId', id],
      ['school_id', 'schoolId', id],
      ['group_name', 'groupName', sql.NVarChar(100)],
      ['start_date', 'startDate', sql.Date],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  groupMembers: {
    table: 'pc_group_member',
    columns: [
      ['group_id', 'groupId', id],
      ['student_id', 'studentId', id],
      ['start_date', 'startDate', sql.Date],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  activities: {
    table: 'pc_activity',
    columns: [
      ['activity_id', 'activityId', id],
      ['school_id', 'schoolId', id],
      ['activity_name', 'activityName', sql.NVarChar(200)],
      ['other_text', 'otherText', sql.NVarChar(sql.MAX)],
      ['start_date', 'startDate', sql.Date],
      ['end_date', 'endDate', sql.Date],
    ],
  },
  activityLinks: {
    table: 'pc_activity_link',
    columns: [
      ['activity_id', 'activityId', id],
      ['class_id', 'classId', id],
      ['group_id', 'groupId', id],
    ],
  },
  activityStaff: {
    table: 'pc_activity_staff',
    columns: [
      ['activity_id', 'activityId', id],
      ['staff_id', 'staffId', id],
    ],
  },
};

async function insertRows(pool: sql.ConnectionPool, rows: ProcapitaRows): Promise<void> {
  for (const [key, spec] of Object.entries(tables) as [
    keyof ProcapitaRows,
    (typeof tables)[keyof ProcapitaRows],
  ][]) {
    const table = new sql.Table(`integration.${spec.table}`);
    for (const [column, , type] of spec.columns) table.columns.add(column, type, { nullable: true });
    for (const row of rows[key] as unknown as Record<string, unknown>[]) {
      table.rows.add(
        ...spec.columns.map(([, field, type]) => {
          const value = (row[field] ?? null) as string | boolean | null;
          return type === sql.Date && typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : value;
        }),
      );
    }
    if (table.rows.length > 0) await pool.request().bulk(table);
  }
}

const sorted = <T>(items: T[]): T[] =>
  [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describeWithSqlServer(title, () => {
  const database = `procapita_test_${randomBytes(4).toString('hex')}`;
  const generated = generateProcapitaRows({
    seed: 'sql',
    students: 400,
    staff: 40,
    classes: 16,
    teachingGroups: 40,
    groups: 4,
    syncDate: SYNC,
  });
  let admin: sql.ConnectionPool;
  let pool: sql.ConnectionPool;

  beforeAll(async () => {
    admin = await new sql.ConnectionPool(connectionString!).connect();
    await admin.request().batch(`CREATE DATABASE ${database}`);
    pool = await new sql.ConnectionPool({
      ...sql.ConnectionPool.parseConnectionString(connectionString!),
      database,
    }).connect();
    const ddl = readFileSync(join(__dirname, 'procapita-contract.sql'), 'utf8');
    for (const batch of ddl.split(/^GO$/m)) await pool.request().batch(batch);
    await insertRows(pool, generated.rows);
  });

  afterAll(async () => {
    await pool?.close();
    if (admin) {
      await admin
        .request()
        .batch(
          `ALTER DATABASE ${database} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ${database}`,
        );
      await admin.close();
    }
  });

  it('[PC-1] every query runs, parameterized, and the rows pass their schemas', async () => {
    const rows = await createProcapitaReader(pool).readSnapshot(
      SYNC,
      generated.config.schools.map((s) => s.schoolId),
    );
    expect(rows.schools.length).toBeGreaterThan(0);
    expect(rows.students.length).toBeGreaterThan(0);
    expect(rows.activities.length).toBeGreaterThan(0);
  });

  it('[PC-1] the export from SQL Server equals the export from the same rows as a fixture', async () => {
    const rows = await createProcapitaReader(pool).readSnapshot(
      SYNC,
      generated.config.schools.map((s) => s.schoolId),
    );
    const fromSql = buildExport(rows, generated.config, SYNC).export;
    const fromFixture = buildExport(generated.rows, generated.config, SYNC).export;
    for (const key of ['schools', 'students', 'staff', 'classes', 'teachingGroups', 'memberships'] as const) {
      expect(sorted<unknown>(fromSql[key])).toEqual(sorted<unknown>(fromFixture[key]));
    }
  });

  it('[PC-3] protected students leave the database with their id and flags only', async () => {
    const rows = await createProcapitaReader(pool).readSnapshot(
      SYNC,
      generated.config.schools.map((s) => s.schoolId),
    );
    const masked = rows.students.filter((s) => s.protectedIdentity || s.protectedAddress);
    expect(masked.length).toBeGreaterThan(0);
    for (const s of masked)
      expect([s.firstName, s.lastName, s.nationalId, s.email]).toEqual([null, null, null, null]);
  });

  it('[PC-2] only configured schools are read', async () => {
    const rows = await createProcapitaReader(pool).readSnapshot(SYNC, ['SKOLA-001']);
    expect(new Set(rows.schools.map((s) => s.schoolId))).toEqual(new Set(['SKOLA-001']));
    expect(rows.classes.every((c) => c.schoolId === 'SKOLA-001')).toBe(true);
  });
});
