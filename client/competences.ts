/**
 * Link and unlink InfoCaption courses and WinLas competences from the client CLI (CW-1, CW-7): the
 * link's workflow under its deterministic id, and its check awaited so a refusal is printed with why.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  checkLinkInput,
  competenceLinkWorkflowId,
  competenceLinkId,
  type CompetenceLinkInput,
  type LinkStatus,
} from '../domain/competences';
import { integrations, searchAttributes, taskQueues, workflowTypes } from '../platform/names';
import { startMetadataFor } from './start-metadata';

export type LinkOutcome =
  | { outcome: 'linked'; workflowId: string; status: LinkStatus }
  | { outcome: 'already-linked'; workflowId: string }
  | { outcome: 'refused'; workflowId: string; reason: string };

/** The options of a link's start; the Web UI's Start Workflow form takes the same. */
export function competenceLinkStartOptions(
  input: CompetenceLinkInput,
  taskQueue: string = taskQueues.competences,
) {
  return {
    taskQueue,
    workflowId: competenceLinkWorkflowId(input),
    args: [input] as [CompetenceLinkInput],
    ...startMetadataFor(workflowTypes.competenceLink, input),
    typedSearchAttributes: [
      { key: searchAttributes.integration, value: integrations.competences },
      { key: searchAttributes.sourceId, value: `infocaption:${competenceLinkId(input)}` },
    ],
  };
}

/**
 * Starts the link and waits for its check: 'refused' with the reasons (CW-1, CW-6), 'already-linked'
 * when the same link runs, else 'linked' once the backfill has started (CW-4).
 */
export async function linkCompetences(
  client: Client,
  raw: unknown,
  opts: { taskQueue?: string; waitMs?: number } = {},
): Promise<LinkOutcome> {
  const checked = checkLinkInput(raw);
  if (!checked.ok) throw new Error(`Invalid link: ${checked.problems.join('; ')}`);
  const options = competenceLinkStartOptions(checked.value, opts.taskQueue);
  const { workflowId } = options;
  try {
    await client.workflow.start(workflowTypes.competenceLink, options);
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'already-linked', workflowId };
    throw err;
  }
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + (opts.waitMs ?? 60_000);
  for (;;) {
    const description = await handle.describe();
    if (description.status.name === 'FAILED') {
      const reason = await handle.result().then(
        () => 'completed',
        (err: unknown) => {
          const cause = err instanceof WorkflowFailedError ? err.cause : err;
          return cause instanceof ApplicationFailure || cause instanceof Error
            ? cause.message
            : String(cause);
        },
      );
      return { outcome: 'refused', workflowId, reason };
    }
    const status = await handle.query<LinkStatus>('status').catch(() => undefined);
    if (status && status.phase !== 'validating') return { outcome: 'linked', workflowId, status };
    if (Date.now() > deadline)
      throw new Error(`The link ${workflowId} was not checked within the wait; see its status`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Removes a link (CW-7): no further registrations; those made stay. */
export async function unlinkCompetences(
  client: Client,
  workflowId: string,
  operator?: string,
): Promise<LinkStatus> {
  return client.workflow.getHandle(workflowId).executeUpdate<LinkStatus, [{ operator?: string }]>('unlink', {
    args: [operator ? { operator } : {}],
  });
}
