import { eq, inArray, sql } from 'drizzle-orm';

import type { ReadModelTx } from '../../database/read-model-database.js';
import { accounts, liveTables, projectionCheckpoints } from '../../schema/index.js';
import { ACCOUNT_PROJECTION_NAME } from '../account-projection.js';
import { recordAccountVersions } from '../account-version.js';
import { refreshAccount } from '../refresh-account.js';

/**
 * Open HIGH and CRITICAL alerts cost health points, and the portfolio filters and sorts by the
 * stored health: after alerts change, the accounts' health is computed again (as of the same
 * instant as before, their last event's) and, where it moved, recorded as a new read-model
 * version (the account projection's count, raised by one) for the portfolio's walks. Accounts
 * are locked in id order, then the account projection's checkpoint row: the account projection
 * takes its accounts before that row too.
 */
export async function refreshAlertedAccounts(tx: ReadModelTx, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  const rows = await tx
    .select({
      id: accounts.id,
      updatedAt: accounts.updatedAt,
      healthScore: accounts.healthScore,
      healthBand: accounts.healthBand,
    })
    .from(accounts)
    .where(inArray(accounts.id, [...accountIds]))
    .orderBy(accounts.id)
    .for('update');
  const moved: string[] = [];
  for (const row of rows) {
    const health = await refreshAccount(tx, liveTables, row.id, row.updatedAt);
    if (health && (health.healthScore !== row.healthScore || health.healthBand !== row.healthBand)) {
      moved.push(row.id);
    }
  }
  if (moved.length === 0) return;
  const [bumped] = await tx
    .update(projectionCheckpoints)
    .set({ eventsApplied: sql`${projectionCheckpoints.eventsApplied} + 1` })
    .where(eq(projectionCheckpoints.name, ACCOUNT_PROJECTION_NAME))
    .returning({ version: projectionCheckpoints.eventsApplied });
  if (bumped !== undefined) await recordAccountVersions(tx, liveTables, moved, Number(bumped.version));
}
