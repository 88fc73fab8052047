import { can, canAccessAccount, type Principal } from '#auth';
import { DomainError, DomainErrorCode, type AccountCommand, type AccountState } from '#lifecycle';

import { AccountAccessDeniedError } from './account-access.error.js';

/**
 * Integrations and admins may write any account; an account manager only the accounts they own,
 * and may open one only for themselves. Checked inside the decision, against the state the
 * command is decided on, so a concurrent owner change cannot slip past it. Another owner's
 * account is answered like a missing one, as the read side does: its existence is not theirs
 * to learn.
 */
export function assertMayWrite(command: AccountCommand, state: AccountState, principal: Principal): void {
  if (can(principal, 'ingest')) return;
  const accountId = command.type === 'OpenAccount' ? command.data.id : command.data.accountId;
  if (!can(principal, 'account:write')) throw new AccountAccessDeniedError(accountId);
  if (command.type === 'OpenAccount' && !canAccessAccount(principal, command.data.ownerId)) {
    throw new AccountAccessDeniedError(accountId);
  }
  if (state !== null && !canAccessAccount(principal, state.ownerId)) {
    throw new DomainError(DomainErrorCode.ACCOUNT_NOT_FOUND, `Account ${accountId} does not exist`);
  }
}
