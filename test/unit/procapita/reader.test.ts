import sql from 'mssql';
import { createProcapitaReader, type ProcapitaPool } from '../../../adapters/procapita';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { rows as buildRows } from './builders';

interface Call {
  inputs: { name: string; type: unknown; value: unknown }[];
  text: string;
}

/** A stand-in pool that records each request and answers from `answer(sqlText)`. */
function recordingPool(answer: (text: string) => unknown[] | Error): { pool: ProcapitaPool; calls: Call[] } {
  const calls: Call[] = [];
  const pool: ProcapitaPool = {
    request() {
      const call: Call = { inputs: [], text: '' };
      return {
        input(name, type, value) {
          call.inputs.push({ name, type, value });
          return this;
        },
        async query(text) {
          call.text = text;
          calls.push(call);
          const result = answer(text);
          if (result instanceof Error) throw result;
          return { recordset: result };
        },
      };
    },
  };
  return { pool, calls };
}

const fixture = buildRows();
const answerFromFixture = (text: string): unknown[] => {
  const table = /FROM integration\.pc_(\w+)/.exec(text)?.[1];
  const byTable: Record<string, unknown[]> = {
    school: fixture.schools,
    student: fixture.students,
    class_placement: fixture.classPlacements,
    staff: fixture.staff,
    employment: fixture.employments,
    class: fixture.classes,
    class_teacher: fixture.classTeachers,
    group: fixture.groups,
    group_member: fixture.groupMembers,
    activity: fixture.activities,
    activity_link: fixture.activityLinks,
    activity_staff: fixture.activityStaff,
  };
  return byTable[table ?? ''] ?? [];
};

describe('[PC-1] the ProCapita SQL reader', () => {
  it('[PC-1] runs every query once with typed parameters and returns validated rows', async () => {
    const { pool, calls } = recordingPool(answerFromFixture);
    const snapshot = await createProcapitaReader(pool).readSnapshot('2026-08-20', ['S1', 'S2']);
    expect(calls).toHaveLength(12);
    expect(snapshot).toEqual(fixture);
    const students = calls.find((c) => c.text.includes('FROM integration.pc_student'))!;
    expect(students.inputs).toEqual([
      { name: 'schoolIds', type: expect.anything(), value: 'S1,S2' },
      { name: 'syncDate', type: sql.Date, value: new Date('2026-08-20T00:00:00Z') },
    ]);
    expect(calls.every((c) => !c.text.includes('S1') && !c.text.includes('2026-08-20'))).toBe(true);
  });

  it('[PC-1] turns mssql dates and bits into calendar dates and booleans', async () => {
    const { pool } = recordingPool((text) =>
      text.includes('pc_school')
        ? [
            {
              schoolId: 'S1',
              schoolForm: 'GR',
              schoolName: 'X',
              startDate: new Date('2000-07-01T00:00:00Z'),
              endDate: null,
            },
          ]
        : [],
    );
    const snapshot = await createProcapitaReader(pool).readSnapshot('2026-08-20', ['S1']);
    expect(snapshot.schools[0]).toMatchObject({ startDate: '2000-07-01', endDate: null });
  });

  it('[PC-1] refuses rows of the wrong shape with a schema error naming the column, not the value', async () => {
    const { pool } = recordingPool((text) =>
      text.includes('FROM integration.pc_student') ? [{ ...fixture.students[0], deceased: 'Astrid' }] : [],
    );
    const attempt = createProcapitaReader(pool).readSnapshot('2026-08-20', ['S1']);
    await expect(attempt).rejects.toBeInstanceOf(SchemaError);
    await expect(attempt).rejects.toThrow(/students\.0\.deceased/);
    await expect(attempt).rejects.not.toThrow(/Astrid/);
  });

  it('[PC-1] a missing view or permission is a rejection; a timeout is transient; the server message is not repeated', async () => {
    const fail = (number: number | undefined, code?: string) =>
      createProcapitaReader(
        recordingPool(() =>
          Object.assign(new Error("Conversion failed when converting the nvarchar value 'Astrid'"), {
            name: 'RequestError',
            number,
            code,
          }),
        ).pool,
      ).readSnapshot('2026-08-20', ['S1']);
    await expect(fail(208)).rejects.toBeInstanceOf(RejectedError);
    await expect(fail(229)).rejects.toMatchObject({ type: 'ProCapita.PermissionDenied' });
    await expect(fail(undefined, 'ETIMEOUT')).rejects.toBeInstanceOf(TransientError);
    await expect(fail(245)).rejects.not.toThrow(/Astrid/);
  });

  it('[PC-1] refuses school ids that would break the comma-separated parameter', async () => {
    const { pool, calls } = recordingPool(answerFromFixture);
    await expect(createProcapitaReader(pool).readSnapshot('2026-08-20', ['S1,S2'])).rejects.toThrow(/commas/);
    await expect(createProcapitaReader(pool).readSnapshot('2026-08-20', [])).rejects.toThrow();
    expect(calls).toHaveLength(0);
  });

  it('[PC-1] accepts a real mssql ConnectionPool by type', () => {
    const pool: ProcapitaPool = new sql.ConnectionPool('Server=localhost;Database=x;User Id=u;Password=p');
    expect(pool).toBeDefined();
  });
});
