import type { Event } from '../shared/json.js';
import type { LifecycleStage } from './lifecycle-stage.enum.js';
import type { Tier } from './tier.enum.js';

/** Every event's `occurredAt` is business time (ISO-8601, UTC). */
export type AccountOpened = Event<
  'AccountOpened',
  {
    readonly accountId: string;
    readonly name: string;
    readonly tier: Tier;
    readonly ownerId: string;
    readonly stage: LifecycleStage;
    readonly openedAt: string;
    /** The agreed cadence; null means the tier's default. */
    readonly cadenceDays: number | null;
    readonly occurredAt: string;
  }
>;

export type LifecycleStageChanged = Event<
  'LifecycleStageChanged',
  {
    readonly accountId: string;
    readonly from: LifecycleStage;
    readonly to: LifecycleStage;
    readonly reason: string | null;
    /** Only for LOST. */
    readonly lessons: string | null;
    readonly occurredAt: string;
  }
>;

export type AccountOwnerAssigned = Event<
  'AccountOwnerAssigned',
  {
    readonly accountId: string;
    readonly ownerId: string;
    readonly previousOwnerId: string;
    readonly occurredAt: string;
  }
>;

export type AccountCadenceSet = Event<
  'AccountCadenceSet',
  {
    readonly accountId: string;
    /** null goes back to the tier's default. */
    readonly cadenceDays: number | null;
    readonly previousCadenceDays: number | null;
    readonly occurredAt: string;
  }
>;
