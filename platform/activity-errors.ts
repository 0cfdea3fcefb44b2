import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import { toApplicationFailure } from './errors';

/**
 * Maps every activity's errors to Temporal failures in one place (STYLE 6), under the
 * failure-message policy (docs/failure-messages.md).
 */
export class ExternalErrorInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly activityType: string) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toApplicationFailure(err, this.activityType);
    }
  }
}

export const externalErrorInterceptor = (ctx: Context): { inbound: ActivityInboundCallsInterceptor } => ({
  inbound: new ExternalErrorInterceptor(ctx.info.activityType),
});
