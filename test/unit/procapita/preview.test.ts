import { join } from 'node:path';
import { previewProcapita } from '../../../client/procapita-preview';
import { procapitaExportSchema, procapitaSummarySchema } from '../../../domain/procapita';

const fixture = join(__dirname, '../../fixtures/procapita/small.json');

describe('[PC-9] the ProCapita preview', () => {
  it('[PC-9] previews the export and summary for a date from a fixture, with its configuration and mapping', async () => {
    const result = await previewProcapita({ date: '2026-08-20', fixture });
    expect(procapitaExportSchema.parse(result.export)).toEqual(result.export);
    expect(procapitaSummarySchema.parse(result.summary)).toEqual(result.summary);
    expect(result.summary.email.fromMapping).toBeGreaterThan(0);
    expect(result.summary.counts.classes).toBeGreaterThan(0);
  });

  it('[PC-9] a later date gives a different export from the same rows', async () => {
    const early = await previewProcapita({ date: '2026-08-05', fixture });
    const late = await previewProcapita({ date: '2026-08-20', fixture });
    expect(early.summary.counts).not.toEqual(late.summary.counts);
  });

  it('[PC-9] needs exactly one source and a valid date', async () => {
    await expect(previewProcapita({ date: '2026-08-20' })).rejects.toThrow(/--fixture/);
    await expect(
      previewProcapita({ date: '2026-08-20', fixture, connectionString: 'Server=x' }),
    ).rejects.toThrow(/either/);
    await expect(previewProcapita({ date: '2026-02-30', fixture })).rejects.toThrow();
  });
});
