/**
 * Moodle's REST server reads PHP-style form parameters: `courseids[0]=3`, `options[ids][0]=3`,
 * `options[0][name]=userfields`. This turns the flat pairs into the nested value PHP would see.
 */
export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };

export function parseMoodleParams(pairs: Iterable<[string, string]>): Record<string, ParamValue> {
  const root: Record<string, ParamValue> = {};
  for (const [rawKey, value] of pairs) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match?.[1]) continue;
    const path = [match[1], ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')];
    let node: Record<string, ParamValue> = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[segment] = {};
      node = node[segment] as Record<string, ParamValue>;
    });
  }
  return toArrays(root) as Record<string, ParamValue>;
}

/** PHP arrays with keys 0..n-1 are lists. */
function toArrays(value: ParamValue): ParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, toArrays(v)] as const);
  const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}
