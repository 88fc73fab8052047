import type { LifecyclePhase, LifecycleStage, Tier } from '#lifecycle';
import { wholeDaysBetween, type AccountView } from '#lifecycle-views';
import type { accounts } from '#read-model';

/** The account's columns that its node is made of. */
export type AccountRow = Pick<
  typeof accounts.$inferSelect,
  | 'id'
  | 'name'
  | 'tier'
  | 'ownerId'
  | 'openedAt'
  | 'stage'
  | 'phase'
  | 'stageEnteredAt'
  | 'effectiveCadenceDays'
  | 'lastTouchpointAt'
  | 'lastQualifyingTouchAt'
  | 'silent'
  | 'silentSince'
  | 'touchpointCount'
>;

/**
 * What the Account type's resolvers receive: the scalars, the instant the view is for, and,
 * for an "as of" view, the whole fold. Without a fold the other fields come from the read model
 * through the request's loaders, so a page of accounts costs a few queries, not a few per account.
 */
export type AccountNode = {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly ownerId: string;
  readonly openedAt: Date;
  readonly stage: LifecycleStage;
  readonly phase: LifecyclePhase;
  readonly stageEnteredAt: Date;
  readonly daysInStage: number;
  readonly cadenceDays: number;
  readonly lastTouchpointAt: Date | null;
  readonly lastQualifyingTouchAt: Date | null;
  readonly daysSinceLastQualifyingTouch: number | null;
  readonly silent: boolean;
  readonly silentSince: Date | null;
  readonly touchpointCount: number;
  /** Health, day counts and windows are computed for this instant. */
  readonly at: Date;
  /** The fold of the stream up to `at`; null when the node comes from the read model. */
  readonly folded: AccountView | null;
};

export function nodeFromView(view: AccountView): AccountNode {
  return {
    id: view.id,
    name: view.name,
    tier: view.tier,
    ownerId: view.ownerId,
    openedAt: view.openedAt,
    stage: view.stage,
    phase: view.phase,
    stageEnteredAt: view.stageEnteredAt,
    daysInStage: view.daysInStage,
    cadenceDays: view.cadenceDays,
    lastTouchpointAt: view.lastTouchpointAt,
    lastQualifyingTouchAt: view.lastQualifyingTouchAt,
    daysSinceLastQualifyingTouch: view.daysSinceLastQualifyingTouch,
    silent: view.silent,
    silentSince: view.silentSince,
    touchpointCount: view.touchpointCount,
    at: view.asOf,
    folded: view,
  };
}

/** The account as the read model holds it, with day counts for `now`. */
export function nodeFromRow(row: AccountRow, now: Date): AccountNode {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    ownerId: row.ownerId,
    openedAt: row.openedAt,
    stage: row.stage,
    phase: row.phase,
    stageEnteredAt: row.stageEnteredAt,
    daysInStage: wholeDaysBetween(row.stageEnteredAt, now),
    cadenceDays: row.effectiveCadenceDays,
    lastTouchpointAt: row.lastTouchpointAt,
    lastQualifyingTouchAt: row.lastQualifyingTouchAt,
    daysSinceLastQualifyingTouch:
      row.lastQualifyingTouchAt === null ? null : wholeDaysBetween(row.lastQualifyingTouchAt, now),
    silent: row.silent,
    silentSince: row.silentSince,
    touchpointCount: row.touchpointCount,
    at: now,
    folded: null,
  };
}
