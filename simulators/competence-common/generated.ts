/**
 * The e-mail of generated person n (1-based), the same in both simulators, so a benchmark seeds
 * InfoCaption participants and WinLas persons that match without sending either list over HTTP.
 */
export function generatedEmail(n: number, domain = 'generated.test'): string {
  return `learner${n}@${domain}`;
}
