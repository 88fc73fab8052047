import type { AccountEventType } from '#lifecycle';

import type { Applier } from '../apply-context.js';
import {
  applyAccountCadenceSet,
  applyAccountOwnerAssigned,
  applyAccountReEngaged,
  applyAccountWentSilent,
} from './account-scalars.appliers.js';
import { applyAccountOpened } from './account-opened.applier.js';
import {
  applyCommitmentCancelled,
  applyCommitmentFulfilled,
  applyCommitmentMade,
  applyCommitmentMissed,
  applyCommitmentRenegotiated,
} from './commitment.appliers.js';
import { applyLifecycleStageChanged } from './lifecycle-stage-changed.applier.js';
import { applyTouchpointRecorded } from './touchpoint-recorded.applier.js';

/** One applier per account event type; a type missing here fails to compile. */
export const ACCOUNT_EVENT_APPLIERS: { readonly [T in AccountEventType]: Applier<T> } = {
  AccountOpened: applyAccountOpened,
  LifecycleStageChanged: applyLifecycleStageChanged,
  AccountOwnerAssigned: applyAccountOwnerAssigned,
  AccountCadenceSet: applyAccountCadenceSet,
  TouchpointRecorded: applyTouchpointRecorded,
  CommitmentMade: applyCommitmentMade,
  CommitmentFulfilled: applyCommitmentFulfilled,
  CommitmentRenegotiated: applyCommitmentRenegotiated,
  CommitmentCancelled: applyCommitmentCancelled,
  CommitmentMissed: applyCommitmentMissed,
  AccountWentSilent: applyAccountWentSilent,
  AccountReEngaged: applyAccountReEngaged,
};
