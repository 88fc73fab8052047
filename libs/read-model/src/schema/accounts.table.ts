import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, text, timestamp } from 'drizzle-orm/pg-core';

import type { LifecyclePhase, LifecycleStage, Tier } from '#lifecycle';

import type { TableFactory } from './table-factory.js';

export const HEALTH_BANDS = ['GREEN', 'AMBER', 'RED'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per account: every scalar of the Account view, kept current by the projector. */
export function defineAccounts(table: TableFactory) {
  return table(
    'accounts',
    {
      id: text('id').primaryKey(),
      name: text('name').notNull(),
      tier: text('tier').$type<Tier>().notNull(),
      ownerId: text('owner_id').notNull(),
      stage: text('stage').$type<LifecycleStage>().notNull(),
      phase: text('phase').$type<LifecyclePhase>().notNull(),
      stageEnteredAt: instant('stage_entered_at').notNull(),
      openedAt: instant('opened_at').notNull(),
      /** The agreed cadence; null means the tier's default. */
      cadenceDays: integer('cadence_days'),
      effectiveCadenceDays: integer('effective_cadence_days').notNull(),
      /** Latest business time of any touchpoint. */
      lastTouchpointAt: instant('last_touchpoint_at'),
      lastQualifyingTouchAt: instant('last_qualifying_touch_at'),
      silent: boolean('silent').notNull().default(false),
      silentSince: instant('silent_since'),
      /**
       * When it goes silent if no qualifying touch happens: the silence clock start plus the
       * cadence (silent strictly after it). Null while silent or exited.
       */
      silenceDeadline: instant('silence_deadline'),
      touchpointCount: integer('touchpoint_count').notNull().default(0),
      commitmentsOpen: integer('commitments_open').notNull().default(0),
      /** Misses that stand: MISSED now, or fulfilled after being missed (commitmentStats). */
      commitmentsMissed: integer('commitments_missed').notNull().default(0),
      commitmentsFulfilledOnTime: integer('commitments_fulfilled_on_time').notNull().default(0),
      commitmentsFulfilledLate: integer('commitments_fulfilled_late').notNull().default(0),
      commitmentsCancelled: integer('commitments_cancelled').notNull().default(0),
      /** Earliest due date among OPEN commitments: overdue when it is in the past. */
      nextCommitmentDueAt: instant('next_commitment_due_at'),
      /** Health as of `health_as_of` (the last event's recorded time); queries recompute it for now. */
      healthScore: integer('health_score').notNull(),
      healthBand: text('health_band').$type<HealthBand>().notNull(),
      healthAsOf: instant('health_as_of').notNull(),
      /** Recorded time of the last event applied to the account. */
      updatedAt: instant('updated_at').notNull(),
      /**
       * Changes whenever anything the account view shows changes (its row, stage visits,
       * commitments, touchpoints, timeline, alerts): the id of the transaction that changed it
       * last, so a value is never reused, not even by a rebuild's fresh tables. The API keeps
       * views' facts between requests and checks them against it.
       */
      viewVersion: bigint('view_version', { mode: 'bigint' })
        .notNull()
        .default(sql`0`),
    },
    (t) => [
      index('accounts_owner_idx').on(t.ownerId),
      index('accounts_stage_idx').on(t.stage),
      index('accounts_tier_idx').on(t.tier),
      index('accounts_name_sort_idx').on(sql`lower(${t.name})`, t.id),
      index('accounts_name_pattern_idx').on(sql`lower(${t.name}) text_pattern_ops`),
      index('accounts_health_idx').on(t.healthScore, t.id),
      index('accounts_last_touch_idx').on(t.lastTouchpointAt, t.id),
      index('accounts_last_qualifying_touch_idx').on(t.lastQualifyingTouchAt, t.id),
      index('accounts_stage_entered_idx').on(t.stageEnteredAt, t.id),
      index('accounts_silence_deadline_idx')
        .on(t.silenceDeadline)
        .where(sql`${t.silenceDeadline} is not null`),
      index('accounts_next_commitment_due_idx')
        .on(t.nextCommitmentDueAt)
        .where(sql`${t.nextCommitmentDueAt} is not null`),
    ],
  );
}
