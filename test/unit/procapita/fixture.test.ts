import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixture } from '../../../adapters/procapita';
import { buildExport, parseEmailMappingCsv } from '../../../domain/procapita';
import { generateProcapitaRows } from '../../../domain/procapita/generator';

const DIR = join(__dirname, '../../fixtures/procapita');
const OPTIONS = {
  seed: 'small-fixture',
  students: 300,
  staff: 30,
  classes: 12,
  teachingGroups: 30,
  groups: 3,
  syncDate: '2026-08-20',
};

/** Run with UPDATE_PROCAPITA_FIXTURE=1 to rewrite the files after changing the generator. */
function expected() {
  const generated = generateProcapitaRows(OPTIONS);
  return {
    'small.json': `${JSON.stringify(generated.rows, null, 2)}\n`,
    'small.config.json': `${JSON.stringify({ ...generated.config, emailMappingCsv: 'email-mapping.csv' }, null, 2)}\n`,
    'email-mapping.csv': generated.emailMappingCsv,
  };
}

describe('the small ProCapita fixture', () => {
  if (process.env.UPDATE_PROCAPITA_FIXTURE === '1') {
    for (const [file, text] of Object.entries(expected())) writeFileSync(join(DIR, file), text);
  }

  it('[PC-9] is what the generator writes for its seed', () => {
    for (const [file, text] of Object.entries(expected())) {
      const committed = readFileSync(join(DIR, file), 'utf8');
      // Compared as data, so that reformatting the JSON files does not matter.
      if (file.endsWith('.json')) expect(JSON.parse(committed)).toEqual(JSON.parse(text));
      else expect(committed).toBe(text);
    }
  });

  it("[PC-9] reads through readFixture into the reader's row shape", async () => {
    const rows = await readFixture(join(DIR, 'small.json'));
    const { config, emailMappingCsv } = generateProcapitaRows(OPTIONS);
    const result = buildExport(rows, config, OPTIONS.syncDate, parseEmailMappingCsv(emailMappingCsv));
    expect(result.summary.counts.students).toBeGreaterThan(200);
    expect(result.summary.excluded.students.protectedIdentity).toBeGreaterThan(0);
  });

  it("[PC-1] a fixture with a bad row is refused with the row's path, not its values", async () => {
    const bad = join(tmpdir(), `procapita-bad-${process.pid}.json`);
    const rows = JSON.parse(readFileSync(join(DIR, 'small.json'), 'utf8'));
    rows.students[3].deceased = 'Ingalill';
    writeFileSync(bad, JSON.stringify(rows));
    await expect(readFixture(bad)).rejects.toThrow(/students\.3\.deceased/);
    await expect(readFixture(bad)).rejects.not.toThrow(/Ingalill/);
    unlinkSync(bad);
  });
});
