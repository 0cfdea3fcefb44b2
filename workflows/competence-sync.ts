/**
 * The competence-sync schedule's run (CW-2, CW-3): signal every running competence link to register
 * what passed since its cursor (`sync`) or to e-mail its unmatched participants (`reportUnmatched`).
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { CompetenceActivities } from '../activities/competences';

const control = proxyActivities<CompetenceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
  },
});

export async function competenceSyncWorkflow(
  input: { signal?: 'sync' | 'reportUnmatched' } = {},
): Promise<{ signalled: number }> {
  const signal = input.signal === 'reportUnmatched' ? 'reportUnmatched' : 'sync';
  const result = await control.signalActiveCompetenceLinks({ signal });
  setCurrentDetails(`Signalled \`${signal}\` to ${result.signalled} running competence link(s).`);
  return result;
}
