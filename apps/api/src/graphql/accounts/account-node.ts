import type { AlertView } from '#alerts';
import type { LifecyclePhase, LifecycleStage, Tier } from '#lifecycle';
import {
  commitmentResolutions,
  commitmentStats,
  computeHealth,
  countHighSeverityAlerts,
  pillarsSeen,
  wholeDaysBetween,
  type AccountView,
  type CommitmentStats,
  type CommitmentView,
  type Health,
  type StageVisitView,
} from '#lifecycle-views';
import type { accounts } from '#read-model';

import { alertNodeFromView, type AlertNode } from '../alerts/alert-node.js';
import type { AccountFacts } from '../loaders/account-facts.js';

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
 * What the Account type's resolvers receive: the scalars, the instant the view is for, the fields
 * without arguments (plain values, or computed on first read: GraphQL reads them as properties,
 * without a resolver call per field), and where the rest come from: for an "as of" view the whole
 * fold, otherwise the read model's facts (the fields with arguments go through the request's
 * loaders, so a page of accounts costs a few queries, not a few per account).
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
  readonly stageHistory: readonly StageVisitView[];
  /** Every commitment, in the order they were made (business time). */
  readonly commitments: readonly CommitmentView[];
  readonly commitmentStats: CommitmentStats;
  readonly health: Health;
  readonly openAlerts: readonly AlertNode[];
  /** Health, day counts and windows are computed for this instant. */
  readonly at: Date;
  /** The fold of the stream up to `at`; null when the node comes from the read model. */
  readonly folded: AccountView | null;
};

export function nodeFromView(view: AccountView): AccountNode {
  let openAlerts: readonly AlertNode[] | undefined;
  let commitments: readonly CommitmentView[] | undefined;
  const node: AccountNode = {
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
    stageHistory: view.stageHistory,
    get commitments() {
      return (commitments ??= [...view.commitments].sort(byMadeAt));
    },
    commitmentStats: view.commitmentStats,
    health: view.health,
    // An "as of" view is folded with the alert views open then (AccountHistory.foldAt), shown
    // with the account as it was.
    get openAlerts() {
      return (openAlerts ??= (view.openAlerts as readonly AlertView[]).map((alert) =>
        alertNodeFromView(alert, node),
      ));
    },
    at: view.asOf,
    folded: view,
  };
  return node;
}

/** The account as the read model holds it, with day counts, commitment stats and health for `now`. */
export function nodeFromFacts(facts: AccountFacts, now: Date): AccountNode {
  const { row } = facts;
  let stats: CommitmentStats | undefined;
  let health: Health | undefined;
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
    stageHistory: facts.stageHistory,
    // The read model's are read in that order (account-facts.ts).
    commitments: facts.commitments,
    get commitmentStats() {
      return (stats ??= commitmentStats(facts.commitments, now));
    },
    get health() {
      return (health ??= healthOf(facts, now));
    },
    openAlerts: facts.openAlerts,
    at: now,
    folded: null,
  };
}

/** The health formula of product.md over what the read model holds, for `now`. */
function healthOf(facts: AccountFacts, now: Date): Health {
  const { row, commitments } = facts;
  const resolutions = commitmentResolutions(commitments, now);
  return computeHealth(
    {
      cadenceDays: row.effectiveCadenceDays,
      openedAt: row.openedAt,
      lastQualifyingTouchAt: row.lastQualifyingTouchAt,
      resolvedCommitments: resolutions.resolved,
      onTimeCommitments: resolutions.onTime,
      missedCommitments: commitments.filter((c) => c.status === 'MISSED').length,
      recentSentiments: facts.recentSentiments,
      pillarsInWindow: pillarsSeen(facts.healthWindow),
      openHighSeverityAlerts: countHighSeverityAlerts(facts.openAlerts),
    },
    now,
  );
}

function byMadeAt(a: CommitmentView, b: CommitmentView): number {
  return a.madeAt.getTime() - b.madeAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
