import { sql } from 'drizzle-orm';
import { boolean, index, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

import type { CommitmentStatus } from '#lifecycle';

import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export function defineCommitments(table: TableFactory) {
  return table(
    'commitments',
    {
      accountId: text('account_id').notNull(),
      id: text('id').notNull(),
      title: text('title').notNull(),
      description: text('description'),
      ownerId: text('owner_id').notNull(),
      madeAt: instant('made_at').notNull(),
      dueAt: instant('due_at').notNull(),
      touchpointId: text('touchpoint_id'),
      status: text('status').$type<CommitmentStatus>().notNull(),
      fulfilledAt: instant('fulfilled_at'),
      onTime: boolean('on_time'),
      /** Set when it was recorded missed; kept by fulfilment and cancellation, cleared by renegotiation. */
      missedAt: instant('missed_at'),
      cancelledAt: instant('cancelled_at'),
      cancelReason: text('cancel_reason'),
      renegotiations: integer('renegotiations').notNull().default(0),
      /** When it last left OPEN (fulfilled, missed or cancelled); null while OPEN. */
      resolvedAt: instant('resolved_at'),
    },
    (t) => [
      primaryKey({ name: 'commitments_pk', columns: [t.accountId, t.id] }),
      // The deadline monitor's scan: cost grows with what is due, not with the portfolio.
      index('commitments_open_due_idx')
        .on(t.dueAt)
        .where(sql`${t.status} = 'OPEN'`),
      index('commitments_account_resolved_idx').on(t.accountId, t.resolvedAt),
    ],
  );
}
