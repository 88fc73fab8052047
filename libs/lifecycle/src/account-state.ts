import type { LifecycleStage } from './account/lifecycle-stage.enum.js';
import type { Tier } from './account/tier.enum.js';
import type { CommitmentStatus } from './commitments/commitment-status.enum.js';
import type { IdIndex } from './shared/id-index.js';

/** What the rules need of one commitment. */
export type CommitmentRecord = {
  /** Of the content it was made with (see commitment-content.ts), for idempotency. */
  readonly fingerprint: string;
  readonly madeAt: string;
  readonly dueAt: string;
  readonly status: CommitmentStatus;
  readonly fulfilledAt: string | null;
  readonly renegotiations: number;
};

export type StageVisit = { readonly stage: LifecycleStage; readonly enteredAt: string };

/**
 * The write-side state of an opened account. Plain JSON (no Map, Set or Date), so it can be
 * cached or snapshotted as is; idempotency records are complete, never a recent window.
 */
export type OpenedAccountState = {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly ownerId: string;
  readonly openedAt: string;
  readonly stage: LifecycleStage;
  readonly stageEnteredAt: string;
  /** Every stage visit in order, the current one last: the stage at a past instant. */
  readonly stageHistory: readonly StageVisit[];
  /** The agreed cadence; null means the tier's default. */
  readonly cadenceDays: number | null;
  readonly lastQualifyingTouchAt: string | null;
  readonly silent: boolean;
  readonly silentSince: string | null;
  /** Of the opening's content (see account-content.ts), for idempotent OpenAccount. */
  readonly openingFingerprint: string;
  /** touchpointId → content fingerprint. */
  readonly touchpoints: IdIndex<string>;
  readonly commitments: IdIndex<CommitmentRecord>;
};

/** null until the account is opened. */
export type AccountState = OpenedAccountState | null;

export const initialAccountState: AccountState = null;

/** Bump when the state's shape or a fingerprint's recipe changes: cached snapshots are then stale. */
export const ACCOUNT_STATE_VERSION = 1;
