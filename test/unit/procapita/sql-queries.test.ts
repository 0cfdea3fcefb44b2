import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { defaultSqlDir, loadProcapitaQueries, procapitaQueryFiles } from '../../../adapters/procapita';

const dir = defaultSqlDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));

describe('[PC-1] the ProCapita SQL files', () => {
  it('[PC-1] every query the reader runs has its file, and every file is a query the reader runs', () => {
    expect(files.sort()).toEqual(
      Object.values(procapitaQueryFiles)
        .map((q) => q.file)
        .sort(),
    );
  });

  it.each(files)('[PC-1] %s parses as T-SQL and is one plain SELECT (read-only)', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const ast = new Parser().astify(text, { database: 'TransactSQL' });
    const statements = Array.isArray(ast) ? ast : [ast];
    expect(statements).toHaveLength(1);
    expect(statements[0]?.type).toBe('select');
    expect(text).not.toMatch(/\b(INSERT|UPDATE|DELETE|MERGE|EXEC|EXECUTE|DROP|ALTER|CREATE|INTO)\b/i);
  });

  it.each(files)('[PC-1] %s takes its values only as @parameters the reader binds', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const used = new Set([...text.matchAll(/@(\w+)/g)].map((m) => m[1]));
    expect([...used].every((p) => p === 'schoolIds' || p === 'syncDate')).toBe(true);
    expect(used.has('schoolIds')).toBe(true);
  });

  it('[PC-1] the reader binds exactly the parameters each file uses', () => {
    const byFile = Object.fromEntries(loadProcapitaQueries().map((q) => [q.file, q.parameters]));
    expect(byFile['schools.sql']).toEqual(['schoolIds']);
    expect(byFile['students.sql']).toEqual(['schoolIds', 'syncDate']);
    expect(byFile['activity-staff.sql']).toEqual(['schoolIds']);
  });

  it('[PC-3] protected persons leave the database with id and flags only', () => {
    for (const file of ['students.sql', 'staff.sql']) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const column of ['national_id', 'first_name', 'last_name', 'email']) {
        const selected = new RegExp(`THEN NULL ELSE \\w+\\.${column} END AS`).test(text);
        expect(`${file}: ${column} masked ${selected}`).toBe(`${file}: ${column} masked true`);
      }
    }
  });
});
