/**
 * A platform-wide Coachview problem, reported once (CV-6): Coachview unavailable, its credentials
 * refused, its answers malformed or its quota spent hits every waiting grade return at once. Each of
 * them reports it (activity `reportCoachviewIncident`); the first report starts this one workflow, the
 * others find it running. It e-mails the operators once, stays visible (workflow id
 * `platform-incident:coachview`, IntegrationStatus `incident-open`), probes Coachview with one REST
 * request after 15, 30, then every 60 minutes, and e-mails once more when the problem is over.
 */
import {
  continueAsNew,
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { GradeReturnActivities } from '../activities/grade-return';
import type { CoachviewIncidentInput, CoachviewIncidentStatus } from '../domain/grade-return/incident';
import { INCIDENT_PROBES_PER_RUN, probeInterval } from '../domain/grade-return/incident';
import { integrations, searchAttributes } from '../platform/names';

export const coachviewIncidentStatusQuery = defineQuery<CoachviewIncidentStatus>('status');

const acts = proxyActivities<GradeReturnActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 20,
  },
});

export async function coachviewIncidentWorkflow(
  input: CoachviewIncidentInput,
): Promise<CoachviewIncidentStatus> {
  const status: CoachviewIncidentStatus = {
    phase: 'open',
    reason: input.reason,
    detail: input.detail,
    since: input.since,
    probes: input.probesBefore ?? 0,
    lastProbe: null,
    over: null,
  };
  setHandler(coachviewIncidentStatusQuery, () => status);
  const show = (): void => {
    upsertSearchAttributes([
      { key: searchAttributes.integration, value: integrations.platform },
      { key: searchAttributes.integrationStatus, value: `incident-${status.phase}` },
    ]);
    setCurrentDetails(
      status.phase === 'open'
        ? `**Coachview incident since ${status.since}**: ${status.detail}.\n\n` +
            'Waiting grade returns use no daily attempt while it lasts; they try again at their own time each day. ' +
            `Coachview is probed up to every hour (${status.probes} probes so far); ` +
            'the operators were told once and are told again when it is over.'
        : `Coachview incident from ${status.since} to ${status.over}: ${status.detail}. Over.`,
    );
  };
  show();
  if (!input.probesBefore)
    await acts.notifyCoachviewIncident({ ...status, workflowId: workflowInfo().workflowId });

  for (let probes = 0; probes < INCIDENT_PROBES_PER_RUN; probes++) {
    await sleep(probeInterval(status.probes));
    const probe = await acts.probeCoachview();
    status.probes += 1;
    status.lastProbe = { at: new Date().toISOString(), ...probe };
    if (probe.ok) {
      status.phase = 'over';
      status.over = new Date().toISOString();
      show();
      await acts.notifyCoachviewIncident({ ...status, workflowId: workflowInfo().workflowId });
      return status;
    }
    show();
  }
  // A long incident keeps its history short: the same incident goes on in a new run, without a new e-mail.
  return continueAsNew<typeof coachviewIncidentWorkflow>({ ...input, probesBefore: status.probes });
}
