import { ConfigError, loadConfig, type LoadConfigOptions } from '../../platform/config';

/** What the configuration refuses in `env`, one problem a line of its message; none when it loads. */
export function problemsOf(env: Record<string, string>, options?: LoadConfigOptions): string[] {
  try {
    loadConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
