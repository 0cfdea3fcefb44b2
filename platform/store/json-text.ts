/**
 * `JSON.stringify(value)` in pieces, so a 60 MB plan is written without its whole text ever in
 * memory: plain objects are walked, and each element of an array is stringified on its own (the
 * elements of a snapshot are records: persons, memberships, operations). Same text as
 * `JSON.stringify`.
 */
export function* jsonText(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      const text = JSON.stringify(value[i]) ?? 'null';
      yield i === 0 ? text : `,${text}`;
    }
    yield ']';
  } else if (isPlainObject(value)) {
    yield '{';
    let first = true;
    for (const [k, item] of Object.entries(value)) {
      const head = `${first ? '' : ','}${JSON.stringify(k)}:`;
      if (Array.isArray(item) || isPlainObject(item)) {
        yield head;
        yield* jsonText(item);
      } else {
        const text = JSON.stringify(item);
        if (text === undefined) continue; // JSON.stringify leaves out undefined and functions
        yield head + text;
      }
      first = false;
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

/** Objects JSON.stringify serialises by their own keys (no toJSON), which may then be walked. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
