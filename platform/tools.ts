import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Root of the repository, whether running from source (ts) or from dist (js). */
export const repoRoot = ((): string => {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      accessSync(path.join(dir, 'package.json'), constants.R_OK);
      return dir;
    } catch {
      dir = path.dirname(dir);
    }
  }
  return process.cwd();
})();

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function resolveBinary(envVar: string, name: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      throw new Error(`${envVar} points to ${fromEnv}, which is not an executable file`);
    return fromEnv;
  }
  const found = onPath(name) ?? [path.join(repoRoot, '.tools/venv/bin', name)].find(isExecutable);
  if (!found) {
    throw new Error(`${name} not found: run 'bash scripts/setup.sh', put it on PATH, or set ${envVar}`);
  }
  return found;
}

/** The Temporal CLI (`temporal server start-dev`): TEMPORAL_CLI_PATH, PATH, or .tools/venv. */
export const temporalCliPath = (): string => resolveBinary('TEMPORAL_CLI_PATH', 'temporal');

/** The Java time-skipping test server: TEMPORAL_TEST_SERVER_PATH, PATH, or .tools/venv. */
export const temporalTestServerPath = (): string =>
  resolveBinary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
