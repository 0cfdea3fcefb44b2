/**
 * Who asked (PLAT-15): the identity Temporal recorded for the caller of a workflow's start or of an
 * update, read from the workflow's own history. The Web UI sends its signed-in user, the `temporal`
 * CLI `user@host`, an SDK client its configured identity. Workflow code cannot see it (the
 * TypeScript SDK drops it from the update it hands over), so every lifecycle asks this activity.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const PAGE_SIZE = 200;

export interface CallerIdentityInput {
  /** The update whose caller is wanted; without it, the caller that started the run. */
  updateId?: string;
}

export function createCallerIdentityActivities() {
  return {
    /** The identity Temporal recorded for the caller; null when the caller sent none. */
    async callerIdentity(input: CallerIdentityInput): Promise<string | null> {
      const ctx = Context.current();
      const { workflowExecution, workflowNamespace: namespace } = ctx.info;
      const service = ctx.client.workflowService;
      if (!workflowExecution) {
        throw ApplicationFailure.nonRetryable('called outside a workflow', 'CallerNotFound');
      }
      const execution = { workflowId: workflowExecution.workflowId, runId: workflowExecution.runId };
      if (!input.updateId) {
        const page = await service.getWorkflowExecutionHistory({ namespace, execution, maximumPageSize: 1 });
        const started = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
        if (!started) throw ApplicationFailure.nonRetryable('the run has no start event', 'CallerNotFound');
        return started.identity || null;
      }
      // Oldest first: decisions are rare and their histories small, and every server serves this
      // call (the time-skipping test server has no newest-first one).
      let nextPageToken: Uint8Array | undefined;
      do {
        const page = await service.getWorkflowExecutionHistory({
          namespace,
          execution,
          maximumPageSize: PAGE_SIZE,
          nextPageToken,
        });
        const accepted = (page.history?.events ?? []).find(
          (e: HistoryEvent) =>
            e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId ===
            input.updateId,
        );
        if (accepted) {
          return (
            accepted.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.identity || null
          );
        }
        nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (nextPageToken);
      throw ApplicationFailure.nonRetryable(
        `no accepted update ${input.updateId} in the history`,
        'CallerNotFound',
      );
    },
  };
}

export type CallerIdentityActivities = ReturnType<typeof createCallerIdentityActivities>;
