import { buildExport } from '../../../domain/procapita';
import { config, rows, school, SYNC } from './builders';

describe('duplicate ProCapita school rows (IMSE-12)', () => {
  it('[IMSE-12] two school rows with the same id are reported, naming both, and the first exported one is used', () => {
    const result = buildExport(
      rows({
        schools: [school({ schoolName: 'Norra skolan' }), school({ schoolName: 'Norra skolan (gammal)' })],
      }),
      config(),
      SYNC,
    );
    expect(result.export.schools).toEqual([expect.objectContaining({ id: 'S1', name: 'Norra skolan' })]);
    expect(result.warnings).toEqual([
      'ProCapita has 2 school rows with id S1 (form GR "Norra skolan", form GR "Norra skolan (gammal)"): the first exported one (form GR) is used; fix the duplicate in ProCapita.',
    ]);
  });

  it('[IMSE-12] a duplicate whose first row is not configured is reported with the row that is used', () => {
    const result = buildExport(
      rows({ schools: [school({ schoolForm: 'GY', schoolName: 'Gymnasiet' }), school()] }),
      config(),
      SYNC,
    );
    expect(result.export.schools).toEqual([expect.objectContaining({ id: 'S1', schoolForm: 'GR' })]);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^ProCapita has 2 school rows with id S1 .*form GY .*the first exported one \(form GR\) is used/,
      ),
    ]);
  });

  it('[IMSE-12] one row per school gives no warning', () => {
    expect(buildExport(rows(), config(), SYNC).warnings).toEqual([]);
  });
});
