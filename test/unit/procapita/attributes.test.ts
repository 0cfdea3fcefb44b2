import { buildExport, procapitaExportSchema } from '../../../domain/procapita';
import { config, rows, SYNC } from './builders';

describe('[PC-7] person attributes', () => {
  it('[PC-7] exports first name, last name and e-mail, and no personnummer by default', () => {
    const { export: out } = buildExport(rows(), config(), SYNC);
    expect(out.students[0]).toEqual({
      id: 'stu-1',
      firstName: 'Astrid',
      lastName: 'Lindqvist',
      email: 'astrid.lindqvist@elev.kommun.example',
      schoolIds: ['S1'],
    });
    expect(JSON.stringify(out)).not.toContain('20120314-1237');
    expect(JSON.stringify(out)).not.toContain('19800101-1231');
  });

  it('[PC-7] exports the personnummer when the configuration asks for it', () => {
    const { export: out } = buildExport(rows(), config({ includeNationalId: true }), SYNC);
    expect(out.students[0]?.nationalId).toBe('20120314-1237');
    expect(out.staff[0]?.nationalId).toBe('19800101-1231');
  });

  it('[PC-7] the export matches its published schema', () => {
    const { export: out } = buildExport(rows(), config({ includeNationalId: true }), SYNC);
    expect(procapitaExportSchema.parse(out)).toEqual(out);
  });
});
