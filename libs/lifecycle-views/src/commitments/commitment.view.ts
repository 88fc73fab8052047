import type { CommitmentStatus } from '#lifecycle';

/** The contract's Commitment. */
export type CommitmentView = {
  readonly id: string;
  readonly accountId: string;
  readonly title: string;
  readonly description: string | null;
  readonly ownerId: string;
  readonly madeAt: Date;
  /** The current due date (renegotiation moves it). */
  readonly dueAt: Date;
  readonly status: CommitmentStatus;
  readonly fulfilledAt: Date | null;
  /** Set once fulfilled: fulfilledAt ≤ dueAt and never recorded missed since the last renegotiation. */
  readonly onTime: boolean | null;
  /**
   * When its current due date was recorded missed. Kept when it is then fulfilled or
   * cancelled; cleared by a renegotiation (the customer agreed a new date).
   */
  readonly missedAt: Date | null;
  readonly renegotiations: number;
};
