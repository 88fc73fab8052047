import { and, inArray, isNull, sql } from 'drizzle-orm';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';

/**
 * Records the portfolio columns of the accounts a batch changed as their version `version`
 * (the projection's applied-event count after the batch): the previous version is closed, the
 * new one opened, copied from the accounts inside the database. Two statements for the whole batch.
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
  // Copied inside the database: the current rows of the accounts, as the new version.
  const copied = [
    [accountVersions.accountId, accounts.id],
    [accountVersions.name, accounts.name],
    [accountVersions.tier, accounts.tier],
    [accountVersions.ownerId, accounts.ownerId],
    [accountVersions.stage, accounts.stage],
    [accountVersions.stageEnteredAt, accounts.stageEnteredAt],
    [accountVersions.lastTouchpointAt, accounts.lastTouchpointAt],
    [accountVersions.silent, accounts.silent],
    [accountVersions.nextCommitmentDueAt, accounts.nextCommitmentDueAt],
    [accountVersions.healthScore, accounts.healthScore],
    [accountVersions.healthBand, accounts.healthBand],
  ] as const;
  const into = [accountVersions.validFrom, accountVersions.validTo, ...copied.map(([to]) => to)];
  await tx.execute(sql`
    insert into ${accountVersions} (${sql.join(
      into.map((column) => sql.identifier(column.name)),
      sql`, `,
    )})
    select ${version}::bigint, null, ${sql.join(
      copied.map(([, from]) => from),
      sql`, `,
    )}
    from ${accounts}
    where ${inArray(accounts.id, [...accountIds])}`);
}
