import type { Instant } from '../shared/instant.js';
import type { Command } from '../shared/json.js';

export type MakeCommitment = Command<
  'MakeCommitment',
  {
    /** The idempotency key: the caller's, or one generated before the command is built. */
    readonly commitmentId: string;
    readonly accountId: string;
    readonly title: string;
    readonly description?: string | null;
    readonly ownerId: string;
    /** Default now. */
    readonly madeAt?: Instant | null;
    /** Strictly after madeAt; may already be past when importing. */
    readonly dueAt: Instant;
    readonly touchpointId?: string | null;
  }
>;

export type FulfilCommitment = Command<
  'FulfilCommitment',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    /** Default now; not before madeAt. */
    readonly fulfilledAt?: Instant | null;
  }
>;

export type RenegotiateCommitment = Command<
  'RenegotiateCommitment',
  {
    readonly accountId: string;
    readonly commitmentId: string;
    /** Strictly after now (and so after madeAt): the customer agreed a date still ahead. */
    readonly newDueAt: Instant;
    readonly reason: string;
  }
>;

export type CancelCommitment = Command<
  'CancelCommitment',
  { readonly accountId: string; readonly commitmentId: string; readonly reason: string }
>;

/** A system fact, decided at `now`: sent by the scheduler that watches due dates. */
export type RecordCommitmentMissed = Command<
  'RecordCommitmentMissed',
  { readonly accountId: string; readonly commitmentId: string }
>;
