import { buildExport, type ProcapitaRows } from '../../../domain/procapita';
import { config, rows, staffMember, SYNC } from './builders';

const employment = (schoolId: string, endDate: string | null): ProcapitaRows['employments'] => [
  { staffId: 'staff-1', schoolId, endDate },
];
const exportedIds = (r: ProcapitaRows) => buildExport(r, config(), SYNC).export.staff.map((s) => s.id);

describe('[PC-4] staff', () => {
  it.each([
    ['has no end date', null, true],
    ['ends today', SYNC, true],
    ['ends next year', '2027-06-30', true],
    ['ended yesterday', '2026-08-19', false],
  ])('[PC-4] an employment that %s: exported %s', (_what, end, expected) => {
    expect(exportedIds(rows({ employments: employment('S1', end) }))).toEqual(expected ? ['staff-1'] : []);
  });

  it('[PC-4] an employment at a school that is not configured does not count', () => {
    const result = buildExport(rows({ employments: employment('S9', null) }), config(), SYNC);
    expect(result.export.staff).toEqual([]);
    expect(result.summary.excluded.staff.noActiveEmployment).toBe(1);
  });

  it.each(['protectedIdentity', 'protectedAddress', 'deceased'] as const)(
    '[PC-4] staff marked %s are not exported and are counted',
    (flag) => {
      const result = buildExport(
        rows({ staff: [staffMember({ [flag]: true, firstName: 'Hemlig', lastName: 'Lärare' })] }),
        config(),
        SYNC,
      );
      expect(result.export.staff).toEqual([]);
      expect(result.summary.excluded.staff[flag]).toBe(1);
      expect(JSON.stringify(result)).not.toContain('Hemlig');
      expect(JSON.stringify(result)).not.toContain('staff-1');
    },
  );
});
