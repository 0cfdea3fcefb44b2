/**
 * What the Web UI shows an operator about a run (PLAT-13): a fixed summary and details given when
 * the run starts (Temporal user metadata) and the current details the workflow keeps up to date.
 * Every lifecycle writes its texts with these helpers, from plain data, without personal values:
 * they are encrypted by the codec like any payload, but they are meant for every operator.
 * No imports: workflow code uses this module too.
 */

/** `staticSummary` and `staticDetails` of a workflow start or a schedule's start action. */
export interface StartMetadata {
  staticSummary: string;
  staticDetails: string;
}

/**
 * Temporal keeps at most 400 bytes of summary payload; the codec's envelope (IV, tag, key id and
 * the JSON encoding) takes about 80 of them, and a summary is read in one glance anyway.
 */
export const SUMMARY_MAX_CHARS = 160;
/** Temporal's limit on details is 20,000 bytes; a screen of text is plenty. */
export const DETAILS_MAX_CHARS = 4000;

/** A summary on one line, cut to {@link SUMMARY_MAX_CHARS}; details cut to {@link DETAILS_MAX_CHARS}. */
export function startMetadata(summary: string, details: readonly string[]): StartMetadata {
  return {
    staticSummary: cut(summary.replace(/\s+/g, ' ').trim(), SUMMARY_MAX_CHARS),
    staticDetails: cut(details.join('\n').trim(), DETAILS_MAX_CHARS),
  };
}

/** Current details (`setCurrentDetails`): the state in a line or a few, cut like details. */
export function currentDetails(lines: readonly string[]): string {
  return cut(lines.join('\n').trim(), DETAILS_MAX_CHARS);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "1 attempt", "3 attempts". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
