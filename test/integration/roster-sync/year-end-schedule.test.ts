/**
 * IMSE-5 on the dev server, which has schedules (the time-skipping server has none): the freeze
 * pauses the integration's daily schedule with a note the Web UI shows, and `resume` unpauses it.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stockholmDate } from '../../../domain/procapita/dates';
import {
  rosterSyncScheduleId,
  taskQueues,
  workflowTypes,
  yearEndFreezeWorkflowId,
} from '../../../platform/names';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import { freezeStatusQuery, resumeUpdate, yearEndFreezeWorkflow } from '../../../workflows/year-end-freeze';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createDevServerEnv, uniqueTaskQueue } from '../../support/temporal';
import { changingSource, school, yearEndWorker } from '../../support/year-end-harness';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;

useRosterSyncTestBed(createDevServerEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

it('[IMSE-5][PLAT-6] a freeze pauses the daily schedule with a note naming it, and resume runs the schedule again', async () => {
  const integrationId = 'scheduled-school';
  const taskQueue = uniqueTaskQueue('year-end-schedule');
  const schedule = await env.client.schedule.create({
    scheduleId: rosterSyncScheduleId(integrationId),
    spec: { calendars: [{ hour: 18, minute: 30 }], timezone: 'Europe/Stockholm' },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: {
      type: 'startWorkflow',
      workflowType: workflowTypes.rosterSync,
      taskQueue: taskQueues.rosterSync,
      workflowId: `roster-sync:${integrationId}`,
      args: [{ integrationId }],
    },
  });
  try {
    const worker = await yearEndWorker({
      connection: env.nativeConnection,
      taskQueue,
      itslearning,
      smtp,
      storeDir,
      thresholds: {},
      source: changingSource(school(['s-anna'])),
    });
    await worker.runUntil(async () => {
      const freeze = await env.client.workflow.start(yearEndFreezeWorkflow, {
        taskQueue,
        workflowId: yearEndFreezeWorkflowId(integrationId),
        args: [{ integrationId, lastTeachingDay: stockholmDate(new Date()), reason: 'summer break' }],
      });
      for (let i = 0; i < 100 && (await freeze.query(freezeStatusQuery)).phase !== 'frozen'; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const paused = await schedule.describe();
      expect(paused.state.paused).toBe(true);
      expect(paused.state.note).toContain(`Year-end freeze since ${stockholmDate(new Date())}`);
      expect(paused.state.note).toContain(yearEndFreezeWorkflowId(integrationId));
      expect(paused.state.note).toContain('summer break');

      await freeze.executeUpdate(resumeUpdate, { args: [{ operator: 'ops@school.test' }] });
      expect((await freeze.result()).schedule).toMatchObject({ found: true, paused: false });
      const running = await schedule.describe();
      expect(running.state.paused).toBe(false);
      expect(running.state.note).toContain('Year-end freeze ended');
    });
  } finally {
    await schedule.delete();
  }
});
