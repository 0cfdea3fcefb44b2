/**
 * Writes the benchmark's ProCapita fixture (rows, reader configuration, e-mail mapping) into a folder.
 * Run as its own process by the benchmark, so the generator's memory never counts in the measured
 * process's peak RSS:
 *
 *   node dist/bench/roster-sync-generate.js <dir> <scale> <syncDate> <seed>
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateProcapitaRows } from '../domain/procapita/generator';
import { scaledCounts } from './roster-sync-options';

export const FIXTURE_FILES = {
  rows: 'procapita.json',
  config: 'procapita.config.json',
  emailMapping: 'email-mapping.csv',
} as const;

export async function writeBenchFixture(
  dir: string,
  scale: number,
  syncDate: string,
  seed: string,
): Promise<void> {
  const generated = generateProcapitaRows({ seed, syncDate, ...scaledCounts(scale) });
  await writeFile(path.join(dir, FIXTURE_FILES.rows), JSON.stringify(generated.rows));
  await writeFile(
    path.join(dir, FIXTURE_FILES.config),
    JSON.stringify({ ...generated.config, emailMappingCsv: FIXTURE_FILES.emailMapping }, null, 2),
  );
  await writeFile(path.join(dir, FIXTURE_FILES.emailMapping), generated.emailMappingCsv);
}

if (require.main === module) {
  const [dir, scale, syncDate, seed] = process.argv.slice(2);
  if (!dir || !scale || !syncDate || !seed) {
    console.error('usage: roster-sync-generate <dir> <scale> <syncDate> <seed>');
    process.exit(2);
  }
  writeBenchFixture(dir, Number(scale), syncDate, seed).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
