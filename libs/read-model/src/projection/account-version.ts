import { and, inArray, isNull } from 'drizzle-orm';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';

/**
 * Records the portfolio columns of the accounts a batch changed as their version `version`
 * (the projection's applied-event count after the batch): the previous version is closed, the
 * new one opened. Two statements for the whole batch.
 */
export async function recordAccountVersions(
  tx: ReadModelTx,
  tables: ReadModelTables,
  accountIds: readonly string[],
  version: number,
): Promise<void> {
  if (accountIds.length === 0) return;
  const { accounts, accountVersions } = tables;
  await tx
    .update(accountVersions)
    .set({ validTo: version })
    .where(and(inArray(accountVersions.accountId, [...accountIds]), isNull(accountVersions.validTo)));
  const rows = await tx
    .select({
      accountId: accounts.id,
      name: accounts.name,
      tier: accounts.tier,
      ownerId: accounts.ownerId,
      stage: accounts.stage,
      stageEnteredAt: accounts.stageEnteredAt,
      lastTouchpointAt: accounts.lastTouchpointAt,
      silent: accounts.silent,
      nextCommitmentDueAt: accounts.nextCommitmentDueAt,
      healthScore: accounts.healthScore,
      healthBand: accounts.healthBand,
    })
    .from(accounts)
    .where(inArray(accounts.id, [...accountIds]));
  if (rows.length === 0) return;
  await tx.insert(accountVersions).values(rows.map((row) => ({ ...row, validFrom: version, validTo: null })));
}
