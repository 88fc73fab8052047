import type { DecisionOutcome, FieldError } from '#lifecycle';

/** Why one command (one item of a batch) was refused. */
export interface ItemError {
  /** The precise reason: a domain code (ACCOUNT_NOT_FOUND, IDEMPOTENCY_CONFLICT, ...), FORBIDDEN or CONFLICT. */
  readonly code: string;
  /** The GraphQL contract's `extensions.code` for it (NOT_FOUND for ACCOUNT_NOT_FOUND, ...). */
  readonly publicCode: string;
  readonly message: string;
  /** The first bad field, when the refusal is about input. */
  readonly field?: string;
  /** Every bad field, for BAD_USER_INPUT. */
  readonly fields?: readonly FieldError[];
}

export type ItemResult =
  { readonly status: DecisionOutcome } | { readonly status: 'rejected'; readonly error: ItemError };

export type RejectedItem = Extract<ItemResult, { status: 'rejected' }>;

export const isRejected = (r: ItemResult): r is RejectedItem => r.status === 'rejected';

export function rejected(error: ItemError): RejectedItem {
  return { status: 'rejected', error };
}
