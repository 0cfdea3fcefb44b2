import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { toApplicationFailure } from './errors';

/** Maps outside-system errors to Temporal failures for every activity, in one place (STYLE 6). */
export class ExternalErrorInterceptor implements ActivityInboundCallsInterceptor {
  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  }
}

export const externalErrorInterceptor = (): { inbound: ActivityInboundCallsInterceptor } => ({
  inbound: new ExternalErrorInterceptor(),
});
