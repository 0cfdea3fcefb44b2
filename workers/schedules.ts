/**
 * Recurring jobs are Temporal Schedules (PLAT-6), created or updated at start-up from configuration,
 * so that changing the configuration and restarting the worker is all an operator does.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import type { AppConfig } from '../platform/config';
import { startMetadataFor } from '../client/start-metadata';
import { integrations, searchAttributes, taskQueues, workflowTypes } from '../platform/names';

export function desiredSchedules(config: AppConfig): ScheduleOptions[] {
  const roster = config.rosterSync;
  const [hour, minute] = roster.dailyAt.split(':').map(Number);
  const rosterSchedules: ScheduleOptions[] = roster.enabled
    ? [
        {
          scheduleId: `roster-sync-daily:${roster.integrationId}`,
          // Once a day after working hours (PC-9); while a run waits for approval, the next is skipped.
          spec: { calendars: [{ hour, minute }], timezone: roster.timezone },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
          action: {
            type: 'startWorkflow',
            workflowType: workflowTypes.rosterSync,
            taskQueue: taskQueues.rosterSync,
            workflowId: `roster-sync:${roster.integrationId}`,
            args: [{ integrationId: roster.integrationId }],
            ...startMetadataFor(workflowTypes.rosterSync, { integrationId: roster.integrationId }),
            typedSearchAttributes: [
              { key: searchAttributes.integration, value: integrations.rosterSync },
              { key: searchAttributes.sourceId, value: roster.integrationId },
            ],
          },
        },
        {
          // Stored snapshots and plans hold personal data (PLAT-12): each night, remove what is older
          // than STORE_RETENTION_DAYS. Runs on the roster-sync workers, which hold the store.
          scheduleId: 'store-retention',
          spec: { calendars: [{ hour: 3, minute: 15 }], timezone: roster.timezone },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
          action: {
            type: 'startWorkflow',
            workflowType: workflowTypes.storeRetention,
            taskQueue: taskQueues.rosterSync,
            workflowId: 'store-retention',
            args: [{ retentionDays: config.store.retentionDays }],
            ...startMetadataFor(workflowTypes.storeRetention, { retentionDays: config.store.retentionDays }),
            typedSearchAttributes: [{ key: searchAttributes.integration, value: integrations.platform }],
            workflowExecutionTimeout: '2 hours',
          },
        },
      ]
    : [];
  const gradeReturnSchedules: ScheduleOptions[] = config.gradeReturn.enabled
    ? [
        {
          scheduleId: 'moodle-completion-poll',
          spec: { intervals: [{ every: config.moodle.pollEvery as `${number}m` }] },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
          action: {
            type: 'startWorkflow',
            workflowType: workflowTypes.pollMoodleCompletions,
            taskQueue: taskQueues.gradeReturn,
            workflowId: 'moodle-completion-poll',
            args: [{ lookbackDays: config.moodle.lookbackDays }],
            ...startMetadataFor(workflowTypes.pollMoodleCompletions, {
              lookbackDays: config.moodle.lookbackDays,
            }),
            typedSearchAttributes: [{ key: searchAttributes.integration, value: integrations.gradeReturn }],
            workflowExecutionTimeout: '1 hour',
          },
        },
      ]
    : [];
  const competences = config.competences;
  const [reportHour, reportMinute] = competences.reportAt.split(':').map(Number);
  const competenceAction = (signal: 'sync' | 'reportUnmatched', workflowId: string) => ({
    type: 'startWorkflow' as const,
    workflowType: workflowTypes.competenceSync,
    taskQueue: taskQueues.competences,
    workflowId,
    args: [{ signal }],
    ...startMetadataFor(workflowTypes.competenceSync, { signal }),
    typedSearchAttributes: [{ key: searchAttributes.integration, value: integrations.competences }],
    workflowExecutionTimeout: '10 minutes' as const,
  });
  const competenceSchedules: ScheduleOptions[] = competences.enabled
    ? [
        {
          // Every active link registers what passed since its cursor (CW-2).
          scheduleId: 'competence-sync',
          spec: { intervals: [{ every: competences.syncEvery as `${number}m` }] },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
          action: competenceAction('sync', 'competence-sync'),
        },
        {
          // Participants with no WinLas person, e-mailed once a day (CW-3).
          scheduleId: 'competence-unmatched-report',
          spec: { calendars: [{ hour: reportHour, minute: reportMinute }], timezone: competences.timeZone },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
          action: competenceAction('reportUnmatched', 'competence-unmatched-report'),
        },
      ]
    : [];
  // Each worker process ensures the schedules of the lifecycles it runs.
  return [...rosterSchedules, ...gradeReturnSchedules, ...competenceSchedules];
}

/** Creates each schedule, or updates it in place when it exists; returns what it did per id. */
export async function ensureSchedules(
  client: Client,
  schedules: ScheduleOptions[],
): Promise<Record<string, 'created' | 'updated'>> {
  const done: Record<string, 'created' | 'updated'> = {};
  for (const options of schedules) {
    try {
      await client.schedule.create(options);
      done[options.scheduleId] = 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
      done[options.scheduleId] = 'updated';
    }
  }
  return done;
}
