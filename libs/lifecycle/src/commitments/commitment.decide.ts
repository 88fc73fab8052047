import { isExited } from '../account/lifecycle-phase.enum.js';
import type { AccountState, CommitmentRecord, OpenedAccountState } from '../account-state.js';
import {
  created,
  type DecideContext,
  type Decision,
  DUPLICATE,
  requireAccount,
  UNCHANGED,
} from '../decision.js';
import { DomainError, DomainErrorCode } from '../domain-error.js';
import { checkAccountId, checkInstant, checkItemId, checkText, FieldErrors } from '../shared/field-errors.js';
import { indexGet } from '../shared/id-index.js';
import { ms, toIso } from '../shared/instant.js';
import { LIMITS } from '../shared/limits.js';
import type {
  CancelCommitment,
  FulfilCommitment,
  MakeCommitment,
  RecordCommitmentMissed,
  RenegotiateCommitment,
} from './commitment.commands.js';
import { commitmentFingerprintOf } from './commitment.content.js';

export function decideMakeCommitment(
  command: MakeCommitment,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const now = context.now.getTime();
  const errors = new FieldErrors();
  checkItemId(errors, 'commitmentId', input.commitmentId);
  checkAccountId(errors, 'accountId', input.accountId);
  checkText(errors, 'title', input.title, { max: LIMITS.titleMaxLength, required: true });
  checkText(errors, 'description', input.description, { max: LIMITS.descriptionMaxLength, required: false });
  checkText(errors, 'ownerId', input.ownerId, { max: LIMITS.personIdMaxLength, required: true });
  const givenMadeAt = checkInstant(errors, 'madeAt', input.madeAt, { required: false, notAfter: now });
  const dueAt = checkInstant(errors, 'dueAt', input.dueAt, { required: true });
  checkItemId(errors, 'touchpointId', input.touchpointId, false);
  const madeAt = givenMadeAt ?? now;
  if (dueAt !== undefined && (input.madeAt == null || givenMadeAt !== undefined) && dueAt <= madeAt) {
    errors.add('dueAt', 'must be after madeAt');
  }
  errors.throwIfAny();

  const account = requireAccount(state, input.accountId);
  const content = {
    title: input.title,
    description: input.description ?? null,
    ownerId: input.ownerId,
    dueAt: toIso(dueAt as number),
    touchpointId: input.touchpointId ?? null,
  };
  const seen = indexGet(account.commitments, input.commitmentId);
  if (seen !== undefined) {
    const sameContent = seen.fingerprint === commitmentFingerprintOf(content);
    const sameMadeAt = givenMadeAt === undefined || givenMadeAt === ms(seen.madeAt);
    if (sameContent && sameMadeAt) return DUPLICATE;
    throw new DomainError(
      DomainErrorCode.IDEMPOTENCY_CONFLICT,
      `Commitment ${input.commitmentId} was already made with different content`,
    );
  }
  if (isExited(account.stage)) {
    throw new DomainError(
      DomainErrorCode.ACCOUNT_EXITED,
      `Account ${account.id} is ${account.stage}: no commitment can be made on it`,
    );
  }
  const at = toIso(madeAt);
  return created({
    type: 'CommitmentMade',
    data: {
      accountId: account.id,
      commitmentId: input.commitmentId,
      ...content,
      madeAt: at,
      occurredAt: at,
    },
  });
}

export function decideFulfilCommitment(
  command: FulfilCommitment,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const now = context.now.getTime();
  const errors = new FieldErrors();
  checkIds(errors, input);
  const givenFulfilledAt = checkInstant(errors, 'fulfilledAt', input.fulfilledAt, {
    required: false,
    notAfter: now,
  });
  errors.throwIfAny();

  const { account, commitment } = requireCommitment(state, input);
  const fulfilledAt = givenFulfilledAt ?? now;
  if (commitment.status === 'FULFILLED') {
    // A retried fulfilment is a no-op; a different date is not a retry.
    if (givenFulfilledAt === undefined || givenFulfilledAt === ms(commitment.fulfilledAt as string)) {
      return UNCHANGED;
    }
    throw invalidState(input.commitmentId, commitment, 'fulfilled again at another time');
  }
  if (commitment.status === 'CANCELLED') throw invalidState(input.commitmentId, commitment, 'fulfilled');
  if (fulfilledAt < ms(commitment.madeAt)) {
    throw DomainError.badUserInput([
      { path: 'fulfilledAt', message: `must not be before the commitment was made (${commitment.madeAt})` },
    ]);
  }
  const wasMissed = commitment.status === 'MISSED';
  const at = toIso(fulfilledAt);
  return created({
    type: 'CommitmentFulfilled',
    data: {
      accountId: account.id,
      commitmentId: input.commitmentId,
      fulfilledAt: at,
      dueAt: commitment.dueAt,
      onTime: !wasMissed && fulfilledAt <= ms(commitment.dueAt),
      lateAfterMissed: wasMissed,
      occurredAt: at,
    },
  });
}

export function decideRenegotiateCommitment(
  command: RenegotiateCommitment,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const now = context.now.getTime();
  const errors = new FieldErrors();
  checkIds(errors, input);
  const newDueAt = checkInstant(errors, 'newDueAt', input.newDueAt, { required: true });
  checkText(errors, 'reason', input.reason, { max: LIMITS.reasonMaxLength, required: true });
  errors.throwIfAny();

  const { account, commitment } = requireCommitment(state, input);
  const due = newDueAt as number;
  if (commitment.status === 'FULFILLED' || commitment.status === 'CANCELLED') {
    throw invalidState(input.commitmentId, commitment, 'renegotiated');
  }
  // A retried renegotiation: already OPEN with that date.
  if (commitment.status === 'OPEN' && due === ms(commitment.dueAt)) return UNCHANGED;
  if (due <= now || due <= ms(commitment.madeAt)) {
    throw DomainError.badUserInput([
      { path: 'newDueAt', message: 'must be in the future (and after the commitment was made)' },
    ]);
  }
  return created({
    type: 'CommitmentRenegotiated',
    data: {
      accountId: account.id,
      commitmentId: input.commitmentId,
      previousDueAt: commitment.dueAt,
      newDueAt: toIso(due),
      reason: input.reason,
      previousStatus: commitment.status,
      occurredAt: toIso(now),
    },
  });
}

export function decideCancelCommitment(
  command: CancelCommitment,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const errors = new FieldErrors();
  checkIds(errors, input);
  checkText(errors, 'reason', input.reason, { max: LIMITS.reasonMaxLength, required: true });
  errors.throwIfAny();

  const { account, commitment } = requireCommitment(state, input);
  if (commitment.status === 'CANCELLED') return UNCHANGED;
  if (commitment.status === 'FULFILLED') throw invalidState(input.commitmentId, commitment, 'cancelled');
  return created({
    type: 'CommitmentCancelled',
    data: {
      accountId: account.id,
      commitmentId: input.commitmentId,
      reason: input.reason,
      previousStatus: commitment.status,
      occurredAt: context.now.toISOString(),
    },
  });
}

export function decideRecordCommitmentMissed(
  command: RecordCommitmentMissed,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const errors = new FieldErrors();
  checkIds(errors, input);
  errors.throwIfAny();

  const { account, commitment } = requireCommitment(state, input);
  if (commitment.status !== 'OPEN' || !(ms(commitment.dueAt) < context.now.getTime())) return UNCHANGED;
  return created({
    type: 'CommitmentMissed',
    data: {
      accountId: account.id,
      commitmentId: input.commitmentId,
      dueAt: commitment.dueAt,
      occurredAt: context.now.toISOString(),
    },
  });
}

function checkIds(
  errors: FieldErrors,
  input: { readonly accountId: string; readonly commitmentId: string },
): void {
  checkAccountId(errors, 'accountId', input.accountId);
  checkItemId(errors, 'commitmentId', input.commitmentId);
}

function requireCommitment(
  state: AccountState,
  input: { readonly accountId: string; readonly commitmentId: string },
): { account: OpenedAccountState; commitment: CommitmentRecord } {
  const account = requireAccount(state, input.accountId);
  const commitment = indexGet(account.commitments, input.commitmentId);
  if (commitment === undefined) {
    throw new DomainError(
      DomainErrorCode.COMMITMENT_NOT_FOUND,
      `Commitment ${input.commitmentId} does not exist on account ${account.id}`,
    );
  }
  return { account, commitment };
}

function invalidState(commitmentId: string, commitment: CommitmentRecord, what: string): DomainError {
  return new DomainError(
    DomainErrorCode.INVALID_STATE,
    `Commitment ${commitmentId} is ${commitment.status} and cannot be ${what}`,
  );
}
