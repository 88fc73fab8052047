import type { AccountEvent, AccountEventType, LifecyclePhase, LifecycleStage, Tier } from '#lifecycle';

import type { CommitmentStats } from '../commitments/commitment-stats.js';
import type { CommitmentView } from '../commitments/commitment.view.js';
import type { Health } from '../health/health.types.js';
import type { OpenAlertFacts } from '../shared/alert-severity.js';
import type { PillarBalance } from '../touchpoints/pillar-balance.js';
import type { TouchpointView } from '../touchpoints/touchpoint.view.js';

/** One event of an account stream as the store returns it. */
export type RecordedAccountEvent = {
  readonly event: AccountEvent;
  /** When the service recorded it (not business time). */
  readonly recordedAt: Date;
  readonly eventId: string;
  /** Its position in the account stream. */
  readonly revision: bigint;
};

/** The contract's StageVisit; reason and lessons are those of the change into the stage. */
export type StageVisitView = {
  readonly stage: LifecycleStage;
  readonly enteredAt: Date;
  readonly exitedAt: Date | null;
  readonly reason: string | null;
  readonly lessons: string | null;
};

/** The contract's TimelineEntry, plus the revision (a stable tie-breaker and cursor). */
export type TimelineEntryView = {
  /** The event's id. */
  readonly id: string;
  readonly type: AccountEventType;
  /** Business time. */
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly revision: bigint;
  /** One line. */
  readonly summary: string;
  readonly touchpoint: TouchpointView | null;
  /** The commitment as of the view's instant (not as of this event). */
  readonly commitment: CommitmentView | null;
};

/**
 * The contract's Account at one instant, without pagination: the resolver filters and
 * pages `commitments` and `timeline`.
 */
export type AccountView<A extends OpenAlertFacts = OpenAlertFacts> = {
  /** The instant it was folded for: events recorded up to it, health computed for it. */
  readonly asOf: Date;
  /** The last revision folded. */
  readonly revision: bigint;
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly ownerId: string;
  readonly openedAt: Date;
  readonly stage: LifecycleStage;
  readonly phase: LifecyclePhase;
  readonly stageEnteredAt: Date;
  /** Whole days from stageEnteredAt to asOf. */
  readonly daysInStage: number;
  /** In the order recorded, the current visit last. */
  readonly stageHistory: readonly StageVisitView[];
  /** Effective: agreed, else the tier's default. */
  readonly cadenceDays: number;
  readonly lastTouchpointAt: Date | null;
  readonly lastQualifyingTouchAt: Date | null;
  /** Whole days to asOf; null without a qualifying touch. */
  readonly daysSinceLastQualifyingTouch: number | null;
  /** As recorded (AccountWentSilent / AccountReEngaged / exit): what the service knew. */
  readonly silent: boolean;
  readonly silentSince: Date | null;
  readonly touchpointCount: number;
  /** Qualifying touches by pillar in the window ending at asOf. */
  readonly pillarBalance: (windowDays?: number) => PillarBalance;
  readonly commitmentStats: CommitmentStats;
  /** In the order they were made. */
  readonly commitments: readonly CommitmentView[];
  readonly health: Health;
  /** As the caller passed them. */
  readonly openAlerts: readonly A[];
  /** By occurredAt, then revision. */
  readonly touchpoints: readonly TouchpointView[];
  /** By occurredAt, then revision. */
  readonly timeline: readonly TimelineEntryView[];
};
