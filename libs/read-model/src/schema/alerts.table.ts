import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, text, timestamp } from 'drizzle-orm/pg-core';

import type { AlertKind, AlertStatus, Resolution, Severity } from '#alerts';

import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per alert, as its stream stands: every field of the contract's Alert except the
 * account's name, owner and tier, which readers join from `accounts` so that they are current.
 */
export function defineAlerts(table: TableFactory) {
  return table(
    'alerts',
    {
      alertId: text('alert_id').primaryKey(),
      accountId: text('account_id').notNull(),
      kind: text('kind').$type<AlertKind>().notNull(),
      severity: text('severity').$type<Severity>().notNull(),
      status: text('status').$type<AlertStatus>().notNull(),
      /** What it is about within the account (a commitment or touchpoint id); null for the account. */
      subject: text('subject'),
      title: text('title').notNull(),
      detail: text('detail'),
      /** The event that raised it. */
      cause: text('cause').notNull(),
      raisedAt: instant('raised_at').notNull(),
      acknowledgedAt: instant('acknowledged_at'),
      acknowledgedBy: text('acknowledged_by'),
      acknowledgeNote: text('acknowledge_note'),
      resolvedAt: instant('resolved_at'),
      resolvedBy: text('resolved_by'),
      resolutionKind: text('resolution_kind').$type<Resolution>(),
      /** `AUTO: <fact>` or `MANUAL by <who>: <reason>`. */
      resolution: text('resolution'),
      /** Revision of the last event of its stream applied: an event at or below it is not applied again. */
      revision: bigint('revision', { mode: 'bigint' }).notNull(),
    },
    (t) => [
      // The list, newest first, and its cursor.
      index('alerts_raised_idx').on(t.raisedAt, t.alertId),
      index('alerts_account_idx').on(t.accountId, t.raisedAt),
      // An account's open alerts (openAlerts, the health factor).
      index('alerts_account_open_idx')
        .on(t.accountId)
        .where(sql`${t.status} <> 'RESOLVED'`),
      // Open alerts of one kind (the deadline monitor escalates the silent accounts' alerts).
      index('alerts_open_kind_idx')
        .on(t.kind, t.raisedAt)
        .where(sql`${t.status} <> 'RESOLVED'`),
    ],
  );
}

/**
 * Every alert event, in the order they were stored here: `seq` is the resumable cursor of the
 * live alert notifications (a reader asks for what comes after the last `seq` it saw). One
 * writer at a time (the alerts projection holds its lock), so `seq` grows in commit order.
 */
export function defineAlertNotifications(table: TableFactory) {
  return table('alert_notifications', {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique('alert_notifications_event_id_key'),
    alertId: text('alert_id').notNull(),
    type: text('type').$type<'RAISED' | 'ESCALATED' | 'ACKNOWLEDGED' | 'RESOLVED'>().notNull(),
    /** When the event store stored the event. */
    recordedAt: instant('recorded_at').notNull(),
  });
}
