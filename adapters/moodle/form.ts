/** A value Moodle's REST server accepts as a form parameter; nested values become `a[b][0]=...`. */
export type MoodleParam = string | number | boolean | MoodleParam[] | { [key: string]: MoodleParam };

/** Encodes parameters the way PHP reads them: `courseids[0]=3`, `options[ids][0]=3`. */
export function toMoodleForm(params: Record<string, MoodleParam>): URLSearchParams {
  const form = new URLSearchParams();
  const add = (key: string, value: MoodleParam): void => {
    if (Array.isArray(value)) value.forEach((v, i) => add(`${key}[${i}]`, v));
    else if (typeof value === 'object') Object.entries(value).forEach(([k, v]) => add(`${key}[${k}]`, v));
    else form.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  };
  Object.entries(params).forEach(([k, v]) => add(k, v));
  return form;
}
