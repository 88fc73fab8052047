import { bigint, numeric, text, timestamp } from 'drizzle-orm/pg-core';

import type { TableFactory } from './table-factory.js';

/** Where each projection stands in `$all`; written in the same transaction as its effects. */
export function defineProjectionCheckpoints(table: TableFactory) {
  return table('projection_checkpoints', {
    name: text('name').primaryKey(),
    /** `$all` positions are unsigned 64-bit: numeric keeps them exact. */
    commitPosition: numeric('commit_position', { precision: 20, scale: 0 }).notNull(),
    preparePosition: numeric('prepare_position', { precision: 20, scale: 0 }).notNull(),
    /** Events applied by this projection since it started from scratch. */
    eventsApplied: bigint('events_applied', { mode: 'number' }).notNull(),
    /** When the event store recorded the last applied event (lag in time = now minus this). */
    lastEventRecordedAt: timestamp('last_event_recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
  });
}
