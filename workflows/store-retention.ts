/**
 * Retention of the snapshot store (PLAT-12), started daily by the `store-retention` schedule: one
 * activity removes what was stored more than `retentionDays` ago. The result (and the workflow's
 * current details) tell the operator how much was removed and up to when.
 */
import { ApplicationFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { RetentionResult, StoreActivities } from '../activities/store';

const store = proxyActivities<StoreActivities>({
  startToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '1 minute',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 5,
  },
});

export async function storeRetentionWorkflow(
  input: { retentionDays?: unknown } = {},
): Promise<RetentionResult> {
  const { retentionDays } = input;
  if (typeof retentionDays !== 'number' || !Number.isInteger(retentionDays) || retentionDays < 1) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: 'Invalid store retention input: retentionDays must be a whole number of days, at least 1',
    });
  }
  setCurrentDetails(`Removing stored snapshots and plans older than ${retentionDays} days`);
  const result = await store.removeExpiredSnapshots({ retentionDays });
  setCurrentDetails(
    `Removed ${result.removed} stored value(s) written before ${result.cutoff} (retention ${retentionDays} days)`,
  );
  return result;
}
