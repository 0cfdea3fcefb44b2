/** The activities of a platform-wide Coachview problem, reported once (CV-6). */
import type { CoachviewClient } from '../../adapters/coachview';
import type { Mailer } from '../../adapters/mail';
import {
  COACHVIEW_INCIDENT_WORKFLOW_ID,
  type CoachviewIncidentInput,
  type CoachviewIncidentStatus,
  type CoachviewProbe,
} from '../../domain/grade-return/incident';
import { NOT_COUNTED_LABELS } from '../../domain/grade-return/attempts';
import { RejectedError, SchemaError } from '../../platform/errors';
import { spentBudgetOf } from '../../platform/rate-budget';

/** A process reports an open incident at most this often; the incident workflow dedupes the rest. */
const REPORT_AGAIN_AFTER_MS = 5 * 60 * 1000;

export function createIncidentActivities(deps: {
  coachview: CoachviewClient;
  mailer: Mailer;
  operatorRecipients: string[];
  startCoachviewIncident?: (input: CoachviewIncidentInput) => Promise<string>;
}) {
  let lastReport = 0;
  let incidentId = COACHVIEW_INCIDENT_WORKFLOW_ID;
  return {
    /** Opens the incident unless it is open; answers the workflow id an operator finds it under. */
    async reportCoachviewIncident(input: CoachviewIncidentInput): Promise<{ workflowId: string } | null> {
      if (!deps.startCoachviewIncident) return null;
      if (Date.now() - lastReport >= REPORT_AGAIN_AFTER_MS) {
        incidentId = await deps.startCoachviewIncident(input);
        lastReport = Date.now();
      }
      return { workflowId: incidentId };
    },

    /** One REST request (the first person of the first page): does Coachview answer again? */
    async probeCoachview(): Promise<CoachviewProbe> {
      try {
        await deps.coachview.listPersons({ page: 1, pageSize: 1 });
        return { ok: true };
      } catch (err) {
        if (spentBudgetOf(err))
          return { ok: false, reason: 'rate-budget-spent', detail: NOT_COUNTED_LABELS['rate-budget-spent'] };
        if (err instanceof RejectedError && (err.status === 401 || err.status === 403))
          return {
            ok: false,
            reason: 'credentials-refused',
            detail: NOT_COUNTED_LABELS['credentials-refused'],
          };
        if (err instanceof SchemaError)
          return { ok: false, reason: 'malformed-answer', detail: NOT_COUNTED_LABELS['malformed-answer'] };
        return {
          ok: false,
          reason: 'coachview-unavailable',
          detail: NOT_COUNTED_LABELS['coachview-unavailable'],
        };
      }
    },

    async notifyCoachviewIncident(status: CoachviewIncidentStatus & { workflowId: string }): Promise<void> {
      const open = status.phase === 'open';
      await deps.mailer.send({
        to: deps.operatorRecipients,
        subject: open
          ? `Coachview incident: ${NOT_COUNTED_LABELS[status.reason]} (since ${status.since})`
          : `Coachview incident over (${status.since} to ${status.over})`,
        text: [
          open
            ? `Since ${status.since}: ${status.detail}.`
            : `The Coachview incident that began at ${status.since} is over since ${status.over}: Coachview answered the probe.`,
          '',
          open
            ? 'Every waiting grade return is affected; none of them uses a daily attempt while this lasts, and each tries again at its own time each day. This is the only e-mail until the incident is over.'
            : 'Waiting grade returns go on at their next daily attempt.',
          '',
          `Workflow: ${status.workflowId} (Web UI, or: npm run client -- status ${status.workflowId}).`,
          ...(open && status.reason === 'credentials-refused'
            ? ['Check COACHVIEW_CLIENT_ID / COACHVIEW_CLIENT_SECRET against the API client in Coachview.']
            : []),
        ].join('\n'),
      });
    },
  };
}
