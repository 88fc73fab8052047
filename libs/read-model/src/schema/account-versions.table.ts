import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

import type { LifecycleStage, Tier } from '#lifecycle';

import type { HealthBand } from './accounts.table.js';
import type { TableFactory } from './table-factory.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The portfolio's filter and sort columns of each account, versioned: a row is valid from the
 * read-model version that wrote it until the one that replaced it (null while current). The
 * read-model version is the projection's count of applied events after a batch, so every batch
 * that changes anything has its own. A portfolio walk reads all its pages at the version of its
 * first page, so accounts changing while a client pages are neither skipped nor repeated.
 */
export function defineAccountVersions(table: TableFactory) {
  return table(
    'account_versions',
    {
      accountId: text('account_id').notNull(),
      validFrom: bigint('valid_from', { mode: 'number' }).notNull(),
      validTo: bigint('valid_to', { mode: 'number' }),
      name: text('name').notNull(),
      tier: text('tier').$type<Tier>().notNull(),
      ownerId: text('owner_id').notNull(),
      stage: text('stage').$type<LifecycleStage>().notNull(),
      stageEnteredAt: instant('stage_entered_at').notNull(),
      lastTouchpointAt: instant('last_touchpoint_at'),
      silent: boolean('silent').notNull(),
      nextCommitmentDueAt: instant('next_commitment_due_at'),
      healthScore: integer('health_score').notNull(),
      healthBand: text('health_band').$type<HealthBand>().notNull(),
    },
    (t) => [
      primaryKey({ name: 'account_versions_pk', columns: [t.accountId, t.validFrom] }),
      // The current rows, which almost every page reads.
      index('account_versions_current_idx')
        .on(t.accountId)
        .where(sql`${t.validTo} is null`),
      index('account_versions_valid_to_idx').on(t.validTo),
      // What changed after a version (the health monitor follows the portfolio this way).
      index('account_versions_valid_from_idx').on(t.validFrom),
    ],
  );
}
