/**
 * A workflow's input checked when it starts (PLAT-5): bad input fails the run at once, naming every
 * bad field, and is not retried.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { describeIssues } from '../../domain/grade-return/input';

/** `what` names the input in the failure: `Invalid <what> input: …`. A missing input is `{}`. */
export function parseWorkflowInput<S extends z.ZodType>(
  schema: S,
  rawInput: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(rawInput ?? {});
  if (!parsed.success) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `Invalid ${what} input: ${describeIssues(parsed.error)}`,
    });
  }
  return parsed.data;
}
