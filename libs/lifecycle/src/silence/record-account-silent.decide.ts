import { effectiveCadenceDays } from '../account/cadence.policy.js';
import type { AccountState } from '../account-state.js';
import { created, type DecideContext, type Decision, requireAccount, UNCHANGED } from '../decision.js';
import { checkAccountId, FieldErrors } from '../shared/field-errors.js';
import type { RecordAccountSilent } from './silence.commands.js';
import { isDueForSilence, silenceClockStart } from './silence.policy.js';

export function decideRecordAccountSilent(
  command: RecordAccountSilent,
  state: AccountState,
  context: DecideContext,
): Decision {
  const errors = new FieldErrors();
  checkAccountId(errors, 'accountId', command.data.accountId);
  errors.throwIfAny();

  const account = requireAccount(state, command.data.accountId);
  if (!isDueForSilence(account, context.now)) return UNCHANGED;
  return created({
    type: 'AccountWentSilent',
    data: {
      accountId: account.id,
      silentSince: silenceClockStart(account),
      cadenceDays: effectiveCadenceDays(account),
      occurredAt: context.now.toISOString(),
    },
  });
}
