/**
 * Input checks for workflow code, without zod. The workflow sandbox evaluates a workflow's modules
 * once per execution, and zod's ~300 modules cost about 0.5 MB of heap per cached workflow
 * (bench/README.md). Boundaries (intake, CLI, activities) keep zod; each hand-written check is
 * kept equal to its zod schema by a test that runs both over the same inputs.
 */

export type InputCheck<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Collects every problem with one object, so an operator sees all bad fields at once. */
export class FieldChecker {
  readonly problems: string[] = [];
  private readonly fields: Record<string, unknown>;
  /** When the input is not an object, that is the one problem; its fields are not listed. */
  private readonly notAnObject: boolean;

  constructor(raw: unknown) {
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      this.fields = raw as Record<string, unknown>;
      this.notAnObject = false;
    } else {
      this.notAnObject = true;
      this.fields = {};
      this.problems.push(`(input): expected an object, received ${describeType(raw)}`);
    }
  }

  /** A trimmed string of `min..max` characters. */
  trimmedString(name: string, min: number, max: number): string {
    const value = this.fields[name];
    if (typeof value !== 'string')
      return this.fail(name, `expected string, received ${describeType(value)}`, '');
    const trimmed = value.trim();
    if (trimmed.length < min) return this.fail(name, `must have at least ${min} character(s)`, trimmed);
    if (trimmed.length > max) return this.fail(name, `must have at most ${max} characters`, trimmed);
    return trimmed;
  }

  /** One of the given strings. */
  oneOf<T extends string>(name: string, options: readonly T[]): T {
    const value = this.fields[name];
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    return this.fail(name, `expected one of ${options.map((o) => `"${o}"`).join('|')}`, options[0] as T);
  }

  /** A string that satisfies `test`. */
  matching(name: string, test: (value: string) => boolean, message: string): string {
    const value = this.fields[name];
    if (typeof value !== 'string')
      return this.fail(name, `expected string, received ${describeType(value)}`, '');
    return test(value) ? value : this.fail(name, message, value);
  }

  /** An integer in `min..max`, or the range's default when absent. */
  integer(name: string, range: { min: number; max: number; default: number }): number {
    const value = this.fields[name];
    if (value === undefined) return range.default;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(name, `expected an integer, received ${describeType(value)}`, range.default);
    }
    if (value < range.min) return this.fail(name, `must be >= ${range.min}`, range.default);
    if (value > range.max) return this.fail(name, `must be <= ${range.max}`, range.default);
    return value;
  }

  /** The raw value of a field, for checks specific to one input. */
  raw(name: string): unknown {
    return this.fields[name];
  }

  fail<T>(name: string, message: string, placeholder: T): T {
    if (!this.notAnObject) this.problems.push(`${name}: ${message}`);
    return placeholder;
  }

  result<T>(value: T): InputCheck<T> {
    return this.problems.length ? { ok: false, problems: this.problems } : { ok: true, value };
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}
