import { boolean, index, jsonb, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

import type { Channel, Direction, LifecycleStage, Pillar, Sentiment } from '#lifecycle';

import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export function defineTouchpoints(table: TableFactory) {
  return table(
    'touchpoints',
    {
      accountId: text('account_id').notNull(),
      id: text('id').notNull(),
      occurredAt: instant('occurred_at').notNull(),
      recordedAt: instant('recorded_at').notNull(),
      channel: text('channel').$type<Channel>().notNull(),
      direction: text('direction').$type<Direction>().notNull(),
      pillar: text('pillar').$type<Pillar>().notNull(),
      sentiment: text('sentiment').$type<Sentiment>(),
      momentOfTruth: boolean('moment_of_truth').notNull(),
      /** The stage the account was in at `occurred_at`. */
      stage: text('stage').$type<LifecycleStage>().notNull(),
      qualifying: boolean('qualifying').notNull(),
      summary: text('summary'),
      actorId: text('actor_id'),
      participants: jsonb('participants').$type<string[]>().notNull(),
      source: text('source').notNull(),
      externalRef: text('external_ref'),
    },
    (t) => [
      primaryKey({ name: 'touchpoints_pk', columns: [t.accountId, t.id] }),
      index('touchpoints_account_occurred_idx').on(t.accountId, t.occurredAt),
    ],
  );
}
