/**
 * The summary and details every start of a known workflow type carries (PLAT-13), from its input.
 * The starters, the schedules and the CLI's generic `start` all take them from here.
 */
import {
  checkGradeReturnInput,
  checkMoodlePollInput,
  gradeReturnStartMetadata,
  lookbackDaysRange,
  moodlePollStartMetadata,
} from '../domain/grade-return';
import {
  checkLinkInput,
  competenceLinkStartMetadata,
  competenceSyncStartMetadata,
} from '../domain/competences';
import {
  delayDeleteInputSchema,
  delayDeleteStartMetadata,
  freezeInputSchema,
  freezeStartMetadata,
  rosterSyncInputSchema,
  rosterSyncStartMetadata,
} from '../domain/roster-sync';
import { workflowTypes } from '../platform/names';
import { checkFlowSyncInput, flowSyncStartMetadata } from '../domain/wiseflow';
import { startMetadata, type StartMetadata } from '../domain/user-metadata';

/** Metadata for a start of `workflowType` with `input`; an input the workflow will refuse still gets a summary. */
export function startMetadataFor(workflowType: string, input: unknown): StartMetadata {
  switch (workflowType) {
    case workflowTypes.gradeReturn: {
      const checked = checkGradeReturnInput(input);
      if (checked.ok) return gradeReturnStartMetadata(checked.value);
      // Fields of a refused input may hold anything, so none of them is repeated here.
      return startMetadata('Grade return → Coachview (the input fails its check)', [
        `The workflow refuses this input: ${checked.problems.join('; ')}.`,
      ]);
    }
    case workflowTypes.pollMoodleCompletions: {
      const checked = checkMoodlePollInput(input);
      return moodlePollStartMetadata(checked.ok ? checked.value.lookbackDays : lookbackDaysRange.default);
    }
    case workflowTypes.rosterSync: {
      const parsed = rosterSyncInputSchema.safeParse(input ?? {});
      return rosterSyncStartMetadata(parsed.success ? parsed.data : {});
    }
    case workflowTypes.yearEndFreeze: {
      const parsed = freezeInputSchema.safeParse(input ?? {});
      return freezeStartMetadata(parsed.success ? parsed.data : {});
    }
    case workflowTypes.delayDeleteWindow: {
      const parsed = delayDeleteInputSchema.safeParse(input ?? {});
      return delayDeleteStartMetadata(parsed.success ? parsed.data : {});
    }
    case workflowTypes.storeRetention: {
      const days = (input as { retentionDays?: unknown } | undefined)?.retentionDays;
      const age = typeof days === 'number' ? `${days} days` : 'the retention period';
      return startMetadata(`Store retention: remove snapshots and plans older than ${age}`, [
        `Removes the stored roster snapshots and plans written more than ${age} ago: they hold`,
        'personal data and are needed only while their run may still be approved.',
        'Result and current details: how many were removed, and the cut-off time.',
      ]);
    }
    case workflowTypes.wiseflowFlowSync: {
      const checked = checkFlowSyncInput(input);
      if (checked.ok) return flowSyncStartMetadata(checked.value);
      return startMetadata('WISEflow flow sync ← Praktikportalen (the input fails its check)', [
        `The workflow refuses this input: ${checked.problems.join('; ')}.`,
      ]);
    }
    case workflowTypes.competenceLink: {
      const checked = checkLinkInput(input);
      return competenceLinkStartMetadata(checked.ok ? checked.value : undefined);
    }
    case workflowTypes.competenceSync: {
      const signal = (input as { signal?: unknown } | undefined)?.signal;
      return competenceSyncStartMetadata(signal === 'reportUnmatched' ? 'unmatched-report' : 'sync');
    }
    default:
      return startMetadata(`${workflowType} started from the client CLI`, [
        `No summary is defined for the workflow type ${workflowType}.`,
      ]);
  }
}
