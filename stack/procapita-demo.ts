import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stockholmDate } from '../domain/procapita/dates';
import { generateProcapitaRows } from '../domain/procapita/generator/generate';

/**
 * A synthetic ProCapita data set for the local stack (a small municipality), generated once into
 * the data folder: the rows the reader would read from SQL Server, its configuration and the
 * e-mail mapping file. Returns the paths the worker is configured with.
 */
export function ensureProcapitaDemo(dataDir: string): { fixture: string; readerConfig: string } {
  const dir = path.join(dataDir, 'procapita');
  const fixture = path.join(dir, 'fixture.json');
  const readerConfig = path.join(dir, 'reader-config.json');
  if (!existsSync(fixture) || !existsSync(readerConfig)) {
    mkdirSync(dir, { recursive: true });
    const generated = generateProcapitaRows({
      seed: 'local-stack',
      students: 800,
      staff: 80,
      classes: 32,
      teachingGroups: 80,
      syncDate: stockholmDate(new Date()),
    });
    writeFileSync(fixture, JSON.stringify(generated.rows));
    writeFileSync(path.join(dir, 'email-mapping.csv'), generated.emailMappingCsv);
    writeFileSync(
      readerConfig,
      JSON.stringify({ ...generated.config, emailMappingCsv: 'email-mapping.csv' }, null, 2),
    );
  }
  return { fixture, readerConfig };
}
