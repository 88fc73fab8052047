import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

import {
  Channel,
  CommitmentStatus,
  Direction,
  LifecyclePhase,
  LifecycleStage,
  Pillar,
  Sentiment,
  Tier,
} from '#lifecycle';

import { AlertEventType, AlertKind, AlertStatus, HealthBand, ItemStatus, Severity } from './enums.js';

// Plain shapes of the contract's output types. Fields that need their own query (health, commitments,
// timeline, ...) are resolved by the resolvers, not stored here.

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class StageVisit {
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field() enteredAt!: Date;
  @Field(() => Date, { nullable: true }) exitedAt!: Date | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) lessons!: string | null;
}

@ObjectType()
export class PillarBalance {
  @Field(() => Int) windowDays!: number;
  @Field(() => Int) discovery!: number;
  @Field(() => Int) service!: number;
  @Field(() => Int) engagement!: number;
}

@ObjectType()
export class CommitmentStats {
  @Field(() => Int) open!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Int) fulfilledOnTime!: number;
  @Field(() => Int) fulfilledLate!: number;
  @Field(() => Int) missed!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'fulfilled on time / (fulfilled + missed) over the last 180 days; null with no history',
  })
  onTimeRate!: number | null;
}

@ObjectType()
export class Commitment {
  @Field(() => ID) id!: string;
  @Field(() => ID) accountId!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field() ownerId!: string;
  @Field() madeAt!: Date;
  @Field() dueAt!: Date;
  @Field(() => CommitmentStatus) status!: CommitmentStatus;
  @Field(() => Date, { nullable: true }) fulfilledAt!: Date | null;
  @Field(() => Boolean, { nullable: true }) onTime!: boolean | null;
  @Field(() => Date, { nullable: true }) missedAt!: Date | null;
  @Field(() => Int) renegotiations!: number;
}

@ObjectType()
export class HealthFactor {
  @Field() name!: string;
  @Field(() => Float) points!: number;
  @Field(() => Float) maxPoints!: number;
  @Field() detail!: string;
}

@ObjectType()
export class Health {
  @Field(() => Int) score!: number;
  @Field(() => HealthBand) band!: HealthBand;
  @Field(() => [HealthFactor]) factors!: HealthFactor[];
}

@ObjectType()
export class Touchpoint {
  @Field(() => ID) id!: string;
  @Field(() => ID) accountId!: string;
  @Field() occurredAt!: Date;
  @Field() recordedAt!: Date;
  @Field(() => Channel) channel!: Channel;
  @Field(() => Direction) direction!: Direction;
  @Field(() => Pillar) pillar!: Pillar;
  @Field(() => Sentiment, { nullable: true }) sentiment!: Sentiment | null;
  @Field() momentOfTruth!: boolean;
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => String, { nullable: true }) actorId!: string | null;
  @Field(() => [String]) participants!: string[];
  @Field() source!: string;
  @Field(() => String, { nullable: true }) externalRef!: string | null;
}

@ObjectType()
export class TimelineEntry {
  @Field(() => ID) id!: string;
  @Field({ description: 'the event type, e.g. TouchpointRecorded, LifecycleStageChanged, CommitmentMissed' })
  type!: string;
  @Field() occurredAt!: Date;
  @Field() recordedAt!: Date;
  @Field() summary!: string;
  @Field(() => Touchpoint, { nullable: true }) touchpoint!: Touchpoint | null;
  @Field(() => Commitment, { nullable: true }) commitment!: Commitment | null;
}

@ObjectType()
export class TimelineEdge {
  @Field() cursor!: string;
  @Field(() => TimelineEntry) node!: TimelineEntry;
}

@ObjectType()
export class TimelineConnection {
  @Field(() => [TimelineEdge]) edges!: TimelineEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class Alert {
  @Field(() => ID) id!: string;
  @Field(() => AlertKind) kind!: AlertKind;
  @Field(() => Severity) severity!: Severity;
  @Field(() => AlertStatus) status!: AlertStatus;
  @Field(() => ID) accountId!: string;
  @Field() accountName!: string;
  @Field() ownerId!: string;
  @Field(() => Tier) tier!: Tier;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) detail!: string | null;
  @Field() raisedAt!: Date;
  @Field(() => Date, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => String, { nullable: true }) acknowledgedBy!: string | null;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => String, { nullable: true }) resolution!: string | null;
}

@ObjectType()
export class AlertEdge {
  @Field() cursor!: string;
  @Field(() => Alert) node!: Alert;
}

@ObjectType()
export class AlertConnection {
  @Field(() => [AlertEdge]) edges!: AlertEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class AlertNotification {
  @Field(() => AlertEventType) type!: AlertEventType;
  @Field(() => Alert) alert!: Alert;
  @Field({ description: 'opaque; pass it as `since` to resume after a disconnect' }) cursor!: string;
}

@ObjectType()
export class FunnelStage {
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field(() => Int) current!: number;
  @Field(() => Int) entered!: number;
  @Field(() => Int) exited!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'share of accounts that left this stage in the period and moved forward to the next stage',
  })
  conversionRate!: number | null;
  @Field(() => Float, { nullable: true }) medianDaysInStage!: number | null;
}

@ObjectType()
export class Funnel {
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => [FunnelStage]) stages!: FunnelStage[];
}

@ObjectType()
export class LostDeal {
  @Field(() => ID) accountId!: string;
  @Field() accountName!: string;
  @Field() lostAt!: Date;
  @Field(() => LifecycleStage) fromStage!: LifecycleStage;
  @Field() reason!: string;
  @Field(() => String, { nullable: true }) lessons!: string | null;
}

@ObjectType()
export class ItemError {
  @Field() code!: string;
  @Field() message!: string;
  @Field(() => String, { nullable: true }) field!: string | null;
}

@ObjectType()
export class TouchpointResult {
  @Field(() => Int) index!: number;
  @Field(() => ID, { nullable: true }) touchpointId!: string | null;
  @Field(() => ItemStatus) status!: ItemStatus;
  @Field(() => ItemError, { nullable: true }) error!: ItemError | null;
}

@ObjectType()
export class RecordTouchpointsPayload {
  @Field(() => [TouchpointResult]) results!: TouchpointResult[];
}

/** An account; stageHistory, pillarBalance, commitmentStats, commitments, health, openAlerts and timeline are resolved fields. */
@ObjectType()
export class Account {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Tier) tier!: Tier;
  @Field() ownerId!: string;
  @Field() openedAt!: Date;
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field(() => LifecyclePhase) phase!: LifecyclePhase;
  @Field() stageEnteredAt!: Date;
  @Field(() => Int) daysInStage!: number;
  @Field(() => Int) cadenceDays!: number;
  @Field(() => Date, { nullable: true }) lastTouchpointAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastQualifyingTouchAt!: Date | null;
  @Field(() => Int, { nullable: true }) daysSinceLastQualifyingTouch!: number | null;
  @Field() silent!: boolean;
  @Field(() => Date, { nullable: true }) silentSince!: Date | null;
  @Field(() => Int) touchpointCount!: number;
  @Field(() => [StageVisit]) stageHistory!: StageVisit[];
  @Field(() => CommitmentStats) commitmentStats!: CommitmentStats;
  @Field(() => Health) health!: Health;
  @Field(() => [Alert]) openAlerts!: Alert[];
}

@ObjectType()
export class AccountEdge {
  @Field() cursor!: string;
  @Field(() => Account) node!: Account;
}

@ObjectType()
export class AccountConnection {
  @Field(() => [AccountEdge]) edges!: AccountEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
