import { buildExport, schoolExclusion } from '../../../domain/procapita';
import { config, rows, school, SYNC } from './builders';

const selections = config().schools;

describe('[PC-2] schools', () => {
  it('[PC-2] a configured school active at the sync date is exported', () => {
    expect(schoolExclusion(school(), selections, SYNC)).toBeNull();
    const { export: out } = buildExport(rows(), config(), SYNC);
    expect(out.schools).toEqual([{ id: 'S1', name: 'Björkhagaskolan', schoolForm: 'GR' }]);
  });

  it('[PC-2] a school missing from the configuration is not exported', () => {
    expect(schoolExclusion(school({ schoolId: 'S9' }), selections, SYNC)).toBe('notConfigured');
  });

  it('[PC-2] the school form must match the configuration too', () => {
    expect(schoolExclusion(school({ schoolForm: 'GY' }), selections, SYNC)).toBe('notConfigured');
  });

  it('[PC-2] start and end dates must both be set', () => {
    expect(schoolExclusion(school({ startDate: null }), selections, SYNC)).toBe('inactive');
    expect(schoolExclusion(school({ endDate: null }), selections, SYNC)).toBe('inactive');
  });

  it('[PC-2] the sync date must lie between start and end, both days included', () => {
    expect(schoolExclusion(school({ startDate: SYNC }), selections, SYNC)).toBeNull();
    expect(schoolExclusion(school({ endDate: SYNC }), selections, SYNC)).toBeNull();
    expect(schoolExclusion(school({ startDate: '2026-08-21' }), selections, SYNC)).toBe('inactive');
    expect(schoolExclusion(school({ endDate: '2026-08-19' }), selections, SYNC)).toBe('inactive');
  });

  it('[PC-2] nothing of an inactive school is exported, and the summary counts it', () => {
    const result = buildExport(rows({ schools: [school({ endDate: '2026-08-19' })] }), config(), SYNC);
    expect(result.export.schools).toEqual([]);
    expect(result.export.students).toEqual([]);
    expect(result.export.classes).toEqual([]);
    expect(result.summary.excluded.schools.inactive).toBe(1);
  });
});
