import type { AccountEventType } from '#lifecycle';

import type { Applier } from '../apply-context.js';
import { applyAccountCadenceSet } from './account-cadence-set.applier.js';
import { applyAccountOpened } from './account-opened.applier.js';
import { applyAccountOwnerAssigned } from './account-owner-assigned.applier.js';
import { applyAccountReEngaged } from './account-re-engaged.applier.js';
import { applyAccountWentSilent } from './account-went-silent.applier.js';
import { applyCommitmentCancelled } from './commitment-cancelled.applier.js';
import { applyCommitmentFulfilled } from './commitment-fulfilled.applier.js';
import { applyCommitmentMade } from './commitment-made.applier.js';
import { applyCommitmentMissed } from './commitment-missed.applier.js';
import { applyCommitmentRenegotiated } from './commitment-renegotiated.applier.js';
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
