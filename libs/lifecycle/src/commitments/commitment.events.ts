import type { Event } from '../shared/json.js';
import type { CommitmentStatus } from './commitment-status.enum.js';

export type CommitmentMade = Event<
  'CommitmentMade',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    readonly title: string;
    readonly description: string | null;
    readonly ownerId: string;
    readonly madeAt: string;
    readonly dueAt: string;
    /** The touchpoint where it was promised. */
    readonly touchpointId: string | null;
    /** = madeAt */
    readonly occurredAt: string;
  }
>;

export type CommitmentFulfilled = Event<
  'CommitmentFulfilled',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    readonly fulfilledAt: string;
    readonly dueAt: string;
    /** fulfilledAt ≤ dueAt, and never true once it was recorded missed. */
    readonly onTime: boolean;
    /** It had been recorded missed: it stays counted as missed, and fulfilled late. */
    readonly lateAfterMissed: boolean;
    /** = fulfilledAt */
    readonly occurredAt: string;
  }
>;

export type CommitmentRenegotiated = Event<
  'CommitmentRenegotiated',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    readonly previousDueAt: string;
    readonly newDueAt: string;
    readonly reason: string;
    /** OPEN or MISSED; it is OPEN again afterwards. */
    readonly previousStatus: CommitmentStatus;
    readonly occurredAt: string;
  }
>;

export type CommitmentCancelled = Event<
  'CommitmentCancelled',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    readonly reason: string;
    readonly previousStatus: CommitmentStatus;
    readonly occurredAt: string;
  }
>;

/** Recorded by the system once `dueAt` has passed while OPEN; `occurredAt` is when it noticed. */
export type CommitmentMissed = Event<
  'CommitmentMissed',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    readonly dueAt: string;
    readonly occurredAt: string;
  }
>;
