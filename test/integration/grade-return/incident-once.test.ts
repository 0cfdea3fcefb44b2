/**
 * A platform-wide Coachview problem is reported once (CV-6), on the time-skipping server: six waiting
 * grade returns meet refused credentials for two days; one incident workflow, one e-mail when it opens
 * and one when it is over, every run names the incident; then all register.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Completion } from '../../../domain/grade-return';
import type { CoachviewIncidentStatus } from '../../../domain/grade-return/incident';
import { gradeReturnWorkflowId } from '../../../platform/names';
import { Secret } from '../../../platform/secret';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { CoachviewSimulator } from '../../../simulators/coachview';
import { coachviewIncidentStatusQuery } from '../../../workflows/coachview-incident';
import { gradeReturnStatusQuery, gradeReturnWorkflow } from '../../../workflows/grade-return';
import { enrolledLearner, gradeReturnWorker, incidentWorkflowId } from '../../support/grade-return-harness';
import { useGradeReturnTestBed } from '../../support/grade-return-test-bed';
import { uniqueTaskQueue } from '../../support/temporal';

const DAY_MS = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let client: Client;
let coachview: CoachviewSimulator;
let smtp: SmtpSink;

useGradeReturnTestBed((bed) => ({ env, client, coachview, smtp } = bed));

/** The worker's API client secret, changed by the test as an operator would rotate it. */
class RotatingSecret extends Secret {
  value = 'secret-before-rotation';
  constructor() {
    super('');
  }
  override reveal(): string {
    return this.value;
  }
}

it('[CV-6] six grade returns meet refused credentials for two days: one incident workflow, one e-mail when it opens and one when it is over, each run names it; then all register', async () => {
  const learners: Completion[] = Array.from({ length: 6 }, (_, i) => ({
    source: 'moodle',
    learnerId: `learner-inc-${i}`,
    courseId: 'course-inc',
    grade: '7.0',
    completedAt: '2026-11-02T14:30:00Z',
  }));
  for (const c of learners) coachview.seed(enrolledLearner(c.learnerId, c.courseId));
  const taskQueue = uniqueTaskQueue('grade-return-incident');
  const secret = new RotatingSecret();
  const w = await gradeReturnWorker({
    connection: env.nativeConnection,
    client,
    taskQueue,
    coachview,
    smtp,
    clientSecret: secret,
  });
  const ids = learners.map((c) => gradeReturnWorkflowId(c.source, c.courseId, c.learnerId));
  const incidentId = incidentWorkflowId(taskQueue);
  await w.runUntil(async () => {
    for (const [i, c] of learners.entries())
      await client.workflow.start(gradeReturnWorkflow, {
        taskQueue,
        workflowId: ids[i]!,
        args: [{ ...c, maxDailyAttempts: 30 }],
      });
    await env.sleep(2 * DAY_MS);
    for (const id of ids) {
      const status = await client.workflow.getHandle(id).query(gradeReturnStatusQuery);
      expect(status).toMatchObject({ phase: 'waiting-for-retry', attemptsMade: 0 });
      expect(status.notCountedTotal).toBeGreaterThanOrEqual(2);
      expect(status.platformIncident).toBe(incidentId);
    }
    const incident = client.workflow.getHandle(incidentId);
    const open: CoachviewIncidentStatus = await incident.query(coachviewIncidentStatusQuery);
    expect(open).toMatchObject({ phase: 'open', reason: 'credentials-refused' });
    expect(open.probes).toBeGreaterThanOrEqual(40);
    const opened = smtp.messages();
    expect(opened).toHaveLength(1);
    expect(opened[0]?.subject).toContain('Coachview incident');

    secret.value = 'local-client-secret';
    await env.sleep(2 * DAY_MS);
    expect(await incident.result()).toMatchObject({ phase: 'over' });
    for (const id of ids)
      expect(await client.workflow.getHandle(id).result()).toMatchObject({
        outcome: 'registered',
        attemptsMade: 1,
      });
  });
  const mails = smtp.messages();
  expect(mails).toHaveLength(2);
  expect(mails[1]?.subject).toContain('Coachview incident over');
  const runs = await client.workflow.count(`WorkflowId = '${incidentId}'`).catch(() => null);
  if (runs) expect(runs.count).toBe(1);
});
