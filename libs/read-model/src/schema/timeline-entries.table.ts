import { bigint, index, jsonb, text, timestamp } from 'drizzle-orm/pg-core';

import type { Channel, Pillar } from '#lifecycle';

import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every event of an account stream, as it was recorded: the timeline and "as of" views. */
export function defineTimelineEntries(table: TableFactory) {
  return table(
    'timeline_entries',
    {
      eventId: text('event_id').primaryKey(),
      accountId: text('account_id').notNull(),
      type: text('type').notNull(),
      /** Business time. */
      occurredAt: instant('occurred_at').notNull(),
      /** When the event store stored it. */
      recordedAt: instant('recorded_at').notNull(),
      /** The event's revision in its account stream. */
      revision: bigint('revision', { mode: 'bigint' }).notNull(),
      /**
       * The event's data; null in a touchpoint's entry (`TouchpointRecorded`), whose touchpoint row
       * holds the same fields (touchpoints are never changed). Most events are touches, and their
       * data was parsed and stored twice: about a third of what the timeline's insert cost.
       */
      data: jsonb('data').$type<Record<string, unknown>>(),
      touchpointId: text('touchpoint_id'),
      commitmentId: text('commitment_id'),
      /** A touchpoint's channel and pillar, so that the timeline filters without a join. */
      channel: text('channel').$type<Channel>(),
      pillar: text('pillar').$type<Pillar>(),
    },
    // Read by account in business order only (pages, and a rebuild's copy). The timeline is the
    // largest table and each index costs every projected event; one on (account, recorded_at),
    // which no query used, was dropped.
    (t) => [index('timeline_entries_account_idx').on(t.accountId, t.occurredAt, t.revision)],
  );
}
