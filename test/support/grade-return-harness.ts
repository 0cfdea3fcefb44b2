/**
 * Shared set-up for grade-return workflow tests: a worker wired to the Coachview simulator and the
 * SMTP sink over real HTTP and SMTP, and a client with the same payload codec.
 */
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createGradeReturnQueueActivities } from '../../activities';
import type { GradeReturnActivityDeps } from '../../activities/grade-return';
import { createCoachviewClient } from '../../adapters/coachview';
import { createMailer } from '../../adapters/mail';
import { createMoodleClient } from '../../adapters/moodle';
import { coachviewIncidentStarter } from '../../client/coachview-incident';
import { gradeReturnStarter } from '../../client/grade-return';
import { taskQueues } from '../../platform/names';
import type { RateBudget } from '../../platform/rate-budget';
import { Secret } from '../../platform/secret';
import type { CoachviewSimulator } from '../../simulators/coachview';
import type { SmtpSink } from '../../services/smtp-sink';
import { createIntegrationWorker } from '../../workers/create-worker';
import { testCodec } from './codec';
import { workflowBundle } from './temporal';

export const OPERATOR = 'operators@school.test';

export async function gradeReturnWorker(opts: {
  connection: NativeConnection;
  client: Client;
  taskQueue: string;
  coachview: CoachviewSimulator;
  smtp: SmtpSink;
  namespace?: string;
  moodle?: { url: string; token: string };
  /** The Coachview API client's secret; a wrong one makes Coachview answer 401 (rotated credentials). */
  clientSecret?: string | Secret;
  /** The `coachview-rest` budget the Coachview client spends from; none: requests are not counted. */
  restBudget?: RateBudget;
  /** The shared snapshot's settings (CV-6), e.g. its clock and store. */
  coachviewSnapshot?: GradeReturnActivityDeps['coachviewSnapshot'];
  /** The attempt window (GRADE_RETURN_ATTEMPT_WINDOW in COACHVIEW_TIME_ZONE). */
  attemptWindow?: GradeReturnActivityDeps['attemptWindow'];
}): Promise<Worker> {
  const activities = createGradeReturnQueueActivities({
    coachview: createCoachviewClient({
      apiBaseUrl: opts.coachview.url,
      clientId: 'integrations',
      clientSecret:
        opts.clientSecret instanceof Secret
          ? opts.clientSecret
          : new Secret(opts.clientSecret ?? 'local-client-secret'),
      resultPushUrl: `${opts.coachview.url}/elearning/results`,
      pushSecret: new Secret('local-push-secret'),
      timeoutMs: 5000,
      ...(opts.restBudget ? { restBudget: opts.restBudget } : {}),
    }),
    mailer: createMailer({
      host: '127.0.0.1',
      port: opts.smtp.smtpPort,
      secure: false,
      from: 'integrations@school.test',
    }),
    operatorRecipients: [OPERATOR],
    ...(opts.coachviewSnapshot ? { coachviewSnapshot: opts.coachviewSnapshot } : {}),
    ...(opts.attemptWindow ? { attemptWindow: opts.attemptWindow } : {}),
    // Tests share one server: each worker's incident has its own id (production: platform-incident:coachview).
    startCoachviewIncident: coachviewIncidentStarter(
      opts.client,
      opts.taskQueue,
      incidentWorkflowId(opts.taskQueue),
    ),
    moodle: createMoodleClient({
      baseUrl: opts.moodle?.url ?? 'http://127.0.0.1:9',
      token: new Secret(opts.moodle?.token ?? 'unused'),
    }),
    startGradeReturn: gradeReturnStarter(opts.client, { maxDailyAttempts: 30, taskQueue: opts.taskQueue }),
  });
  return createIntegrationWorker({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    activities,
    codec: testCodec(),
    taskQueue: opts.taskQueue,
    workflows: { bundle: await workflowBundle(taskQueues.gradeReturn) },
  });
}

/** The Coachview incident workflow's id for a test worker's task queue. */
export function incidentWorkflowId(taskQueue: string): string {
  return `platform-incident:coachview:${taskQueue}`;
}

/** A learner and an enrolment whose e-learning component carries the course id (CV-5). */
export function enrolledLearner(personId: string, courseId: string, opts: { externalId?: string } = {}) {
  return {
    persons: [
      {
        id: personId,
        externalId: opts.externalId,
        firstName: 'Anna',
        lastName: 'de Vries',
        email: `${personId}@learner.test`,
      },
    ],
    enrolments: [{ personId, trainingId: `training-${courseId}`, elearningCourseId: courseId }],
  };
}
