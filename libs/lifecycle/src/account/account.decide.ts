import type { AccountState } from '../account-state.js';
import {
  created,
  type DecideContext,
  type Decision,
  DUPLICATE,
  requireAccount,
  UNCHANGED,
} from '../decision.js';
import { DomainError, DomainErrorCode } from '../domain-error.js';
import {
  checkAccountId,
  checkCadence,
  checkInstant,
  checkOneOf,
  checkText,
  FieldErrors,
} from '../shared/field-errors.js';
import { ms, toIso } from '../shared/instant.js';
import { LIMITS } from '../shared/limits.js';
import type { AssignOwner, ChangeStage, OpenAccount, SetCadence } from './account.commands.js';
import { openingFingerprintOf } from './account-opening.content.js';
import { isExited } from './lifecycle-phase.enum.js';
import { LIFECYCLE_STAGES } from './lifecycle-stage.enum.js';
import { canTransition, STAGES_REQUIRING_REASON } from './stage-transitions.table.js';
import { TIERS } from './tier.enum.js';

export function decideOpenAccount(
  command: OpenAccount,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const now = context.now.getTime();
  const errors = new FieldErrors();
  checkAccountId(errors, 'id', input.id);
  checkText(errors, 'name', input.name, { max: LIMITS.nameMaxLength, required: true });
  checkOneOf(errors, 'tier', input.tier, TIERS);
  checkText(errors, 'ownerId', input.ownerId, { max: LIMITS.personIdMaxLength, required: true });
  checkOneOf(errors, 'stage', input.stage, LIFECYCLE_STAGES, false);
  if (input.stage != null && LIFECYCLE_STAGES.includes(input.stage) && isExited(input.stage)) {
    errors.add('stage', 'an account cannot be opened as LOST or CHURNED');
  }
  const openedAt = checkInstant(errors, 'openedAt', input.openedAt, { required: false, notAfter: now });
  checkCadence(errors, 'cadenceDays', input.cadenceDays);
  errors.throwIfAny();

  const opening = {
    name: input.name,
    tier: input.tier,
    ownerId: input.ownerId,
    stage: input.stage ?? 'PROSPECT',
    cadenceDays: input.cadenceDays ?? null,
  };
  if (state !== null) {
    const sameContent = openingFingerprintOf(opening) === state.openingFingerprint;
    const sameOpenedAt = openedAt === undefined || openedAt === ms(state.openedAt);
    if (sameContent && sameOpenedAt) return DUPLICATE;
    throw new DomainError(
      DomainErrorCode.IDEMPOTENCY_CONFLICT,
      `Account ${input.id} was already opened with different content`,
    );
  }
  const at = toIso(openedAt ?? now);
  return created({
    type: 'AccountOpened',
    data: { accountId: input.id, ...opening, openedAt: at, occurredAt: at },
  });
}

export function decideChangeStage(
  command: ChangeStage,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const now = context.now.getTime();
  const errors = new FieldErrors();
  checkAccountId(errors, 'accountId', input.accountId);
  checkOneOf(errors, 'to', input.to, LIFECYCLE_STAGES);
  const needsReason = STAGES_REQUIRING_REASON.includes(input.to);
  checkText(errors, 'reason', input.reason, { max: LIMITS.reasonMaxLength, required: needsReason });
  checkText(errors, 'lessons', input.lessons, { max: LIMITS.lessonsMaxLength, required: false });
  if (input.lessons != null && input.to !== 'LOST')
    errors.add('lessons', 'only a move to LOST takes lessons');
  const occurredAt = checkInstant(errors, 'occurredAt', input.occurredAt, { required: false, notAfter: now });
  errors.throwIfAny();

  const account = requireAccount(state, input.accountId);
  if (input.to === account.stage) return UNCHANGED;
  if (!canTransition(account.stage, input.to)) {
    throw new DomainError(
      DomainErrorCode.INVALID_TRANSITION,
      `An account cannot move from ${account.stage} to ${input.to}`,
    );
  }
  const at = occurredAt ?? now;
  if (at < ms(account.stageEnteredAt)) {
    throw DomainError.badUserInput([
      {
        path: 'occurredAt',
        message: `must not be before the current stage was entered (${account.stageEnteredAt})`,
      },
    ]);
  }
  return created({
    type: 'LifecycleStageChanged',
    data: {
      accountId: account.id,
      from: account.stage,
      to: input.to,
      reason: input.reason ?? null,
      lessons: input.lessons ?? null,
      occurredAt: toIso(at),
    },
  });
}

export function decideAssignOwner(
  command: AssignOwner,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const errors = new FieldErrors();
  checkAccountId(errors, 'accountId', input.accountId);
  checkText(errors, 'ownerId', input.ownerId, { max: LIMITS.personIdMaxLength, required: true });
  errors.throwIfAny();

  const account = requireAccount(state, input.accountId);
  if (input.ownerId === account.ownerId) return UNCHANGED;
  return created({
    type: 'AccountOwnerAssigned',
    data: {
      accountId: account.id,
      ownerId: input.ownerId,
      previousOwnerId: account.ownerId,
      occurredAt: context.now.toISOString(),
    },
  });
}

export function decideSetCadence(command: SetCadence, state: AccountState, context: DecideContext): Decision {
  const input = command.data;
  const errors = new FieldErrors();
  checkAccountId(errors, 'accountId', input.accountId);
  checkCadence(errors, 'cadenceDays', input.cadenceDays);
  errors.throwIfAny();

  const account = requireAccount(state, input.accountId);
  const cadenceDays = input.cadenceDays ?? null;
  if (cadenceDays === account.cadenceDays) return UNCHANGED;
  return created({
    type: 'AccountCadenceSet',
    data: {
      accountId: account.id,
      cadenceDays,
      previousCadenceDays: account.cadenceDays,
      occurredAt: context.now.toISOString(),
    },
  });
}
