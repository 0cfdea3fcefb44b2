import {
  buildExport,
  isValidPersonnummer,
  parseEmailMappingCsv,
  procapitaReaderConfigSchema,
  procapitaRowsSchema,
} from '../../../domain/procapita';
import { generateProcapitaRows } from '../../../domain/procapita/generator';

const small = {
  seed: 'test',
  students: 2000,
  staff: 200,
  classes: 80,
  teachingGroups: 300,
  syncDate: '2026-08-20',
};

describe('synthetic ProCapita data', () => {
  it('[PC-1] is deterministic for a seed and different for another seed', () => {
    expect(generateProcapitaRows(small)).toEqual(generateProcapitaRows(small));
    expect(generateProcapitaRows({ ...small, seed: 'other' }).rows.students[0]).not.toEqual(
      generateProcapitaRows(small).rows.students[0],
    );
  });

  it('[PC-1] has the row shape the reader returns, and a valid reader configuration', () => {
    const { rows, config } = generateProcapitaRows(small);
    expect(procapitaRowsSchema.parse(JSON.parse(JSON.stringify(rows)))).toEqual(rows);
    expect(procapitaReaderConfigSchema.parse(config)).toEqual(config);
  });

  it('[PC-7] every personnummer is valid and unique', () => {
    const { rows } = generateProcapitaRows(small);
    const ids = [...rows.students, ...rows.staff].map((p) => p.nationalId!);
    expect(ids.every(isValidPersonnummer)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('[PC-3] includes protected identities, protected addresses, deregistered and deceased students', () => {
    const { rows, config } = generateProcapitaRows(small);
    const counts = buildExport(rows, config, small.syncDate).summary.excluded.students;
    expect(counts.protectedIdentity).toBeGreaterThan(0);
    expect(counts.protectedAddress).toBeGreaterThan(0);
    expect(counts.deregistered).toBeGreaterThan(0);
    expect(counts.noActivePlacement).toBeGreaterThan(0);
  });

  it('[PC-5] has classes and groups ahead of their start, ended and without teachers', () => {
    const { rows, config } = generateProcapitaRows(small);
    const result = buildExport(rows, config, small.syncDate);
    expect(result.export.classes.some((c) => !c.studentsIncluded)).toBe(true);
    expect(result.summary.excluded.classes.notYetVisible).toBeGreaterThan(0);
    expect(result.summary.excluded.classes.ended).toBeGreaterThan(0);
    expect(result.summary.excluded.teachingGroups.notMarked).toBeGreaterThan(0);
    expect(result.summary.excluded.teachingGroups.ended).toBeGreaterThan(0);
    expect(result.summary.excluded.schools).toEqual({ notConfigured: 2, inactive: 1 });
  });

  it('[PC-8] its mapping CSV covers some of the missing e-mail addresses, not all', () => {
    const { rows, config, emailMappingCsv } = generateProcapitaRows(small);
    const mapping = parseEmailMappingCsv(emailMappingCsv);
    const result = buildExport(rows, config, small.syncDate, mapping);
    expect(result.summary.email.fromMapping).toBeGreaterThan(0);
    expect(result.summary.email.withoutEmail.students.length).toBeGreaterThan(0);
    expect(mapping.byNationalId.size).toBeGreaterThan(0);
  });

  it('[PC-1] scales to a municipality in seconds', () => {
    const started = Date.now();
    const { rows, config } = generateProcapitaRows({
      seed: 'municipality',
      students: 50_000,
      staff: 5_000,
      classes: 2_000,
      teachingGroups: 8_000,
      syncDate: '2026-09-15',
    });
    const result = buildExport(rows, config, '2026-09-15');
    const elapsed = Date.now() - started;
    const memberships = rows.classPlacements.length + rows.groupMembers.length + rows.activityStaff.length;
    expect(rows.students).toHaveLength(50_000);
    expect(result.export.memberships.length).toBeGreaterThan(250_000);
    expect(memberships).toBeGreaterThan(50_000);
    expect(elapsed).toBeLessThan(10_000);
  });
});
