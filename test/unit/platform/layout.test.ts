/**
 * The layout of PLAT-1: the top-level folders, pure domain logic apart from I/O, and workflow code
 * that only decides (activities are imported as types, for proxyActivities).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../platform/tools';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

interface ImportStatement {
  typeOnly: boolean;
  from: string;
}

function importsOf(file: string): ImportStatement[] {
  const text = readFileSync(file, 'utf8');
  const found: ImportStatement[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms)) {
    found.push({ typeOnly: Boolean(m[1]), from: m[2] ?? '' });
  }
  for (const m of text.matchAll(/require\('([^']+)'\)/g)) found.push({ typeOnly: false, from: m[1] ?? '' });
  return found;
}

const rel = (file: string): string => path.relative(repoRoot, file);

describe('repository layout', () => {
  it('[PLAT-1] has the top-level folders and files of the layout', () => {
    for (const entry of ['workflows', 'activities', 'workers', 'client', 'test', 'domain']) {
      expect(statSync(path.join(repoRoot, entry)).isDirectory()).toBe(true);
    }
    for (const file of ['package.json', 'tsconfig.json', 'docker-compose.yml']) {
      expect(existsSync(path.join(repoRoot, file))).toBe(true);
    }
  });

  it('[PLAT-1] domain logic imports nothing that does I/O', () => {
    const pureLibraries = new Set(['zod', 'csv-parse/sync']);
    const offending: string[] = [];
    for (const file of tsFiles(path.join(repoRoot, 'domain'))) {
      for (const { from } of importsOf(file)) {
        const inside =
          from.startsWith('.') &&
          path.resolve(path.dirname(file), from).startsWith(path.join(repoRoot, 'domain'));
        if (!inside && !pureLibraries.has(from)) offending.push(`${rel(file)} imports ${from}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('[PLAT-1] workflow code imports activities as types only, and no Node or I/O module', () => {
    const offending: string[] = [];
    for (const file of tsFiles(path.join(repoRoot, 'workflows'))) {
      for (const { from, typeOnly } of importsOf(file)) {
        const target = from.startsWith('.') ? rel(path.resolve(path.dirname(file), from)) : from;
        const allowed =
          from === '@temporalio/workflow' ||
          // What @temporalio/workflow is built on (e.g. WorkflowExecutionAlreadyStartedError, which it
          // throws but does not re-export): deterministic, no I/O.
          from === '@temporalio/common' ||
          target.startsWith('workflows/') ||
          target.startsWith('domain/') ||
          target === 'platform/names' ||
          // Schemas: pure, and what the domain modules workflows import are built with.
          from === 'zod' ||
          // The workflow-safe halves of rate budgets: imports nothing, pure arithmetic.
          target === 'platform/rate-budget/outcome' ||
          target === 'platform/rate-budget/policy' ||
          (target.startsWith('activities/') && typeOnly);
        if (!allowed) offending.push(`${rel(file)} imports ${from}${typeOnly ? ' (type)' : ''}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
