import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

import type { LifecycleStage } from '#lifecycle';

import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every stage an account was in, in order (seq from 0): stage history, funnel, lost deals. */
export function defineStageVisits(table: TableFactory) {
  return table(
    'stage_visits',
    {
      accountId: text('account_id').notNull(),
      seq: integer('seq').notNull(),
      stage: text('stage').$type<LifecycleStage>().notNull(),
      /** The stage it came from; null for the first visit. */
      fromStage: text('from_stage').$type<LifecycleStage>(),
      enteredAt: instant('entered_at').notNull(),
      exitedAt: instant('exited_at'),
      /** The stage it exited to (the next visit's stage); null while the account is in it. */
      toStage: text('to_stage').$type<LifecycleStage>(),
      /** Why it entered this stage (required for LOST and CHURNED). */
      reason: text('reason'),
      lessons: text('lessons'),
    },
    (t) => [
      primaryKey({ name: 'stage_visits_pk', columns: [t.accountId, t.seq] }),
      // The funnel's period scans, one range per stage: who entered, who exited (and to where).
      index('stage_visits_entered_idx').on(t.stage, t.enteredAt),
      index('stage_visits_exited_idx').on(t.stage, t.exitedAt),
      index('stage_visits_lost_idx')
        .on(t.enteredAt)
        .where(sql`${t.stage} = 'LOST'`),
    ],
  );
}
