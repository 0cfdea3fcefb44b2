/** Prints a titled block of label/value rows with aligned values. */
export function printSummary(title: string, rows: Array<[label: string, value: string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const perSecond = (count: number, ms: number): string => `${(count / (ms / 1000)).toFixed(0)} /s`;
export const megabytes = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
