import type { Instant } from '../shared/instant.js';
import type { Command } from '../shared/json.js';
import type { LifecycleStage } from './lifecycle-stage.enum.js';
import type { Tier } from './tier.enum.js';

export type OpenAccount = Command<
  'OpenAccount',
  {
    readonly id: string;
    readonly name: string;
    readonly tier: Tier;
    readonly ownerId: string;
    /** Default PROSPECT; LOST and CHURNED are refused (they need a reason: change stage instead). */
    readonly stage?: LifecycleStage | null;
    /** Default now; may be in the past when history is imported. */
    readonly openedAt?: Instant | null;
    readonly cadenceDays?: number | null;
  }
>;

export type ChangeStage = Command<
  'ChangeStage',
  {
    readonly accountId: string;
    readonly to: LifecycleStage;
    /** Required for LOST and CHURNED. */
    readonly reason?: string | null;
    /** Only for LOST. */
    readonly lessons?: string | null;
    /** Default now; not before the current stage was entered. */
    readonly occurredAt?: Instant | null;
  }
>;

export type AssignOwner = Command<'AssignOwner', { readonly accountId: string; readonly ownerId: string }>;

export type SetCadence = Command<
  'SetCadence',
  {
    readonly accountId: string;
    /** null goes back to the tier's default. */
    readonly cadenceDays: number | null;
  }
>;
