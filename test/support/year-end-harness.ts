/**
 * The year-end tests' set-up: a roster-sync worker whose source is a small school the test changes
 * day by day (as ProCapita's rows change over a summer), writing to the itslearning simulator over
 * HTTP, mailing the SMTP sink and storing in a scratch folder.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createRosterSyncActivities, type RosterSource } from '../../activities';
import { createItslearningClient } from '../../adapters/itslearning';
import { createMailer } from '../../adapters/mail';
import { safetyThresholdsSchema, type Roster, type SafetyThresholdsInput } from '../../domain/roster';
import { taskQueues } from '../../platform/names';
import { createLocalStore } from '../../platform/store';
import type { SmtpSink } from '../../services/smtp-sink';
import type { ItslearningSimulator } from '../../simulators/itslearning';
import { createIntegrationWorker } from '../../workers/create-worker';
import { testCodec } from './codec';
import { ROSTER_OPS } from './roster-sync-harness';
import { workflowBundle } from './temporal';

/** A school: one class and its course, a teacher, and the students named. */
export function school(students: string[]): Roster {
  return {
    persons: [
      { sourcedId: 't-lena', givenName: 'Lena', familyName: 'Lärare', roles: ['teacher'] },
      ...students.map((id) => ({
        sourcedId: id,
        givenName: id,
        familyName: 'Elev',
        roles: ['student' as const],
      })),
    ],
    units: [{ sourcedId: 'u-skola', name: 'Skolan' }],
    groups: [
      { sourcedId: 'c-9a', kind: 'class', name: '9A', parentId: 'u-skola' },
      { sourcedId: 'k-sv9a', kind: 'course', name: 'Svenska 9A', parentId: 'c-9a' },
    ],
    memberships: [
      { groupId: 'c-9a', personId: 't-lena', role: 'Instructor' },
      { groupId: 'k-sv9a', personId: 't-lena', role: 'Instructor' },
      ...students.map((id) => ({ groupId: 'c-9a', personId: id, role: 'Learner' as const })),
    ],
  };
}

/** A roster source the test replaces at will; each read returns the current roster. */
export function changingSource(initial: Roster): RosterSource & { roster: Roster } {
  const source = {
    roster: initial,
    read: async () => ({ roster: structuredClone(source.roster), report: {} }),
  };
  return source;
}

export async function yearEndWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  itslearning: ItslearningSimulator;
  smtp: SmtpSink;
  storeDir: string;
  thresholds: SafetyThresholdsInput;
  source: RosterSource;
}): Promise<Worker> {
  return createIntegrationWorker({
    connection: opts.connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    codec: testCodec(),
    workflows: { bundle: await workflowBundle(taskQueues.rosterSync) },
    activities: createRosterSyncActivities({
      store: createLocalStore(opts.storeDir),
      rosterSource: opts.source,
      itslearning: createItslearningClient({ baseUrl: opts.itslearning.url, syncKeySource: 'procapita' }),
      mailer: createMailer({
        host: '127.0.0.1',
        port: opts.smtp.smtpPort,
        secure: false,
        from: 'integrations@school.test',
      }),
      statusRecipients: [ROSTER_OPS],
      syncKeySource: 'procapita',
      safetyThresholds: safetyThresholdsSchema.parse(opts.thresholds),
      batchSize: 50,
      planViewHint: (key) => `see ${key}`,
    }),
  });
}

/** The sync keys of what itslearning holds under our source, persons and groups. */
export function heldInTarget(itslearning: ItslearningSimulator) {
  const ours = <T extends { syncKey?: { source: string; id: string } | null }>(m: Map<unknown, T>) =>
    [...m.values()]
      .filter((e) => e.syncKey?.source === 'procapita')
      .map((e) => e.syncKey!.id)
      .sort();
  return { persons: ours(itslearning.state.persons), groups: ours(itslearning.state.groups) };
}
