import {
  decideAssignOwner,
  decideChangeStage,
  decideOpenAccount,
  decideSetCadence,
} from './account/account.decide.js';
import type { AccountCommand } from './account-command.js';
import type { AccountState } from './account-state.js';
import {
  decideCancelCommitment,
  decideFulfilCommitment,
  decideMakeCommitment,
  decideRecordCommitmentMissed,
  decideRenegotiateCommitment,
} from './commitments/commitment.decide.js';
import type { DecideContext, Decision } from './decision.js';
import { decideRecordAccountSilent } from './silence/record-account-silent.decide.js';
import { decideRecordTouchpoint } from './touchpoints/record-touchpoint.decide.js';

/**
 * What a command records on the account stream, given the stream's state and the time. Pure:
 * throws a DomainError (see domain-error.ts) when the command is refused.
 */
export function decide(command: AccountCommand, state: AccountState, context: DecideContext): Decision {
  switch (command.type) {
    case 'OpenAccount':
      return decideOpenAccount(command, state, context);
    case 'ChangeStage':
      return decideChangeStage(command, state, context);
    case 'AssignOwner':
      return decideAssignOwner(command, state, context);
    case 'SetCadence':
      return decideSetCadence(command, state, context);
    case 'RecordTouchpoint':
      return decideRecordTouchpoint(command, state, context);
    case 'MakeCommitment':
      return decideMakeCommitment(command, state, context);
    case 'FulfilCommitment':
      return decideFulfilCommitment(command, state, context);
    case 'RenegotiateCommitment':
      return decideRenegotiateCommitment(command, state, context);
    case 'CancelCommitment':
      return decideCancelCommitment(command, state, context);
    case 'RecordCommitmentMissed':
      return decideRecordCommitmentMissed(command, state, context);
    case 'RecordAccountSilent':
      return decideRecordAccountSilent(command, state, context);
    default: {
      const _exhaustive: never = command;
      throw new TypeError(`Unknown command ${(command as { type: unknown }).type}`);
    }
  }
}
