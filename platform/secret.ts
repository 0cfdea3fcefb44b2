import { inspect } from 'node:util';

/**
 * A secret value that never prints itself: not in logs, JSON, error messages or `util.inspect`.
 * Call `reveal()` only where the value is handed to the system that needs it.
 */
export class Secret<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
