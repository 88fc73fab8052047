import type {
  AccountCadenceSet,
  AccountOpened,
  AccountOwnerAssigned,
  LifecycleStageChanged,
} from './account/account.events.js';
import type {
  CommitmentCancelled,
  CommitmentFulfilled,
  CommitmentMade,
  CommitmentMissed,
  CommitmentRenegotiated,
} from './commitments/commitment.events.js';
import type { AccountReEngaged, AccountWentSilent } from './silence/silence.events.js';
import type { TouchpointRecorded } from './touchpoints/touchpoint.events.js';

/** Every event of an `account-<id>` stream. */
export type AccountEvent =
  | AccountOpened
  | LifecycleStageChanged
  | AccountOwnerAssigned
  | AccountCadenceSet
  | TouchpointRecorded
  | CommitmentMade
  | CommitmentFulfilled
  | CommitmentRenegotiated
  | CommitmentCancelled
  | CommitmentMissed
  | AccountWentSilent
  | AccountReEngaged;

export type AccountEventType = AccountEvent['type'];

export const ACCOUNT_EVENT_TYPES: readonly AccountEventType[] = [
  'AccountOpened',
  'LifecycleStageChanged',
  'AccountOwnerAssigned',
  'AccountCadenceSet',
  'TouchpointRecorded',
  'CommitmentMade',
  'CommitmentFulfilled',
  'CommitmentRenegotiated',
  'CommitmentCancelled',
  'CommitmentMissed',
  'AccountWentSilent',
  'AccountReEngaged',
];

export function accountStreamName(accountId: string): string {
  return `account-${accountId}`;
}
