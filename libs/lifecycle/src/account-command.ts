import type { AssignOwner, ChangeStage, OpenAccount, SetCadence } from './account/account.commands.js';
import type {
  CancelCommitment,
  FulfilCommitment,
  MakeCommitment,
  RecordCommitmentMissed,
  RenegotiateCommitment,
} from './commitments/commitment.commands.js';
import type { RecordAccountSilent } from './silence/silence.commands.js';
import type { RecordTouchpoint } from './touchpoints/touchpoint.commands.js';

/** Every command on an `account-<id>` stream. Ids are filled in by the caller. */
export type AccountCommand =
  | OpenAccount
  | ChangeStage
  | AssignOwner
  | SetCadence
  | RecordTouchpoint
  | MakeCommitment
  | FulfilCommitment
  | RenegotiateCommitment
  | CancelCommitment
  | RecordCommitmentMissed
  | RecordAccountSilent;

export type AccountCommandType = AccountCommand['type'];
