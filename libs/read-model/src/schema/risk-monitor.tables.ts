import { sql } from 'drizzle-orm';
import { bigint, index, integer, text, timestamp } from 'drizzle-orm/pg-core';

import type { HealthBand } from './accounts.table.js';
import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The health monitor's view of each account's health for "now": the band it last saw, when it
 * must look again (health decays with time: the earliest instant the band could change without an
 * event), and the HEALTH_DROPPED alert it raised while the band is RED. Written under the monitor's
 * lock in the same transaction as its position, so two replicas never both see the same drop.
 */
export function defineHealthWatch(table: TableFactory) {
  return table(
    'health_watch',
    {
      accountId: text('account_id').primaryKey(),
      band: text('band').$type<HealthBand>().notNull(),
      score: integer('score').notNull(),
      evaluatedAt: instant('evaluated_at').notNull(),
      /** Null when the band cannot change before the next event. */
      reviewAt: instant('review_at'),
      /** How many times the band fell to RED: the occurrence of each HEALTH_DROPPED alert. */
      drops: integer('drops').notNull().default(0),
      /** The HEALTH_DROPPED alert raised for the current fall to RED, until health recovers. */
      alertId: text('alert_id'),
    },
    (t) => [
      index('health_watch_review_idx')
        .on(t.reviewAt)
        .where(sql`${t.reviewAt} is not null`),
    ],
  );
}

/** Positions of the monitor's steps that follow the read model (e.g. the account version seen). */
export function defineMonitorPositions(table: TableFactory) {
  return table('monitor_positions', {
    name: text('name').primaryKey(),
    position: bigint('position', { mode: 'number' }).notNull(),
  });
}

/**
 * Each webhook URL's delivery position in `alert_notifications` and who delivers it: a lease, so
 * that of several workers one delivers to a URL at a time and another takes over when it stops.
 */
export function defineWebhookCursors(table: TableFactory) {
  return table('webhook_cursors', {
    url: text('url').primaryKey(),
    /** The last notification delivered (acknowledged with a 2xx). */
    deliveredSeq: bigint('delivered_seq', { mode: 'number' }).notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: instant('lease_until'),
    /** The last failure, for operators: when and why. */
    lastError: text('last_error'),
    lastErrorAt: instant('last_error_at'),
  });
}
