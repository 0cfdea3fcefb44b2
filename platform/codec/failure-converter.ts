/**
 * Failure messages and stack traces are encoded too, so the codec encrypts them like payloads: an
 * error that names a person must not sit in clear text in a history. Loaded by path into the
 * workflow sandbox, so it imports nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
