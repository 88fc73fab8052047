import { sql } from 'drizzle-orm';
import { boolean, index, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

import type { AlertKind } from '#alerts';
import type { Tier } from '#lifecycle';

import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The alert policy's own state, written in the same transaction as its checkpoint so that it is
 * exactly what the events up to the checkpoint say: each account's tier, its commitments' titles,
 * and the alerts the policy knows of (open or not).
 */
export function defineAlertPolicyAccounts(table: TableFactory) {
  return table('alert_policy_accounts', {
    accountId: text('account_id').primaryKey(),
    tier: text('tier').$type<Tier>().notNull(),
  });
}

export function defineAlertPolicyCommitments(table: TableFactory) {
  return table(
    'alert_policy_commitments',
    {
      accountId: text('account_id').notNull(),
      commitmentId: text('commitment_id').notNull(),
      title: text('title').notNull(),
      /** Its status and due date as the events up to the checkpoint say (null before they were tracked). */
      status: text('status'),
      dueAt: instant('due_at'),
    },
    (t) => [primaryKey({ name: 'alert_policy_commitments_pk', columns: [t.accountId, t.commitmentId] })],
  );
}

export function defineAlertPolicyAlerts(table: TableFactory) {
  return table(
    'alert_policy_alerts',
    {
      alertId: text('alert_id').primaryKey(),
      accountId: text('account_id').notNull(),
      kind: text('kind').$type<AlertKind>().notNull(),
      subject: text('subject'),
      /** Business time of what raised it (a negative moment of truth's touch). */
      since: instant('since').notNull(),
      open: boolean('open').notNull(),
    },
    (t) => [
      index('alert_policy_alerts_open_idx')
        .on(t.accountId)
        .where(sql`${t.open}`),
    ],
  );
}
