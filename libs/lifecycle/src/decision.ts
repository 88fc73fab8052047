import type { AccountEvent } from './account-event.js';
import type { AccountState, OpenedAccountState } from './account-state.js';
import { DomainError, DomainErrorCode } from './domain-error.js';

/**
 * created: the events record something new. duplicate: an idempotency key seen before with the
 * same content. unchanged: nothing to record (the same stage, a retried fulfilment, a
 * commitment not due yet...).
 */
export type DecisionOutcome = 'created' | 'duplicate' | 'unchanged';

export type Decision = {
  readonly events: readonly AccountEvent[];
  readonly outcome: DecisionOutcome;
};

/** Everything from outside the command that a decision may depend on. */
export type DecideContext = { readonly now: Date };

export function created(...events: AccountEvent[]): Decision {
  return { events, outcome: 'created' };
}

export const DUPLICATE: Decision = { events: [], outcome: 'duplicate' };
export const UNCHANGED: Decision = { events: [], outcome: 'unchanged' };

export function requireAccount(state: AccountState, accountId: string): OpenedAccountState {
  if (state === null || state.id !== accountId) {
    throw new DomainError(DomainErrorCode.ACCOUNT_NOT_FOUND, `Account ${accountId} does not exist`);
  }
  return state;
}
