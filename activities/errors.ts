import { ApplicationFailure } from '@temporalio/common';

/** A permanent refusal (the agent is full, someone else took it): not retried, shown to the person. */
export function notAvailable(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'NotAvailable');
}

/** Input no retry can fix. */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}
