// The account projection refreshes a batch's accounts together (refreshAccounts); the alerts
// projection refreshes one account at a time (refreshAccount). Both must store the same row.
// They are internals of #read-model, hence the paths.
import { asc, sql } from 'drizzle-orm';

import { AccountProjection, ReadModelDatabase, alerts, liveTables as t, type ReadModelDb } from '#read-model';

import { refreshAccount } from '../../libs/read-model/src/projection/refresh-account.js';
import { refreshAccounts } from '../../libs/read-model/src/projection/refresh-accounts.js';
import { day, events, generatedHistory, recorded } from './account-events.js';
import { DATABASE_TARGETS } from './databases.js';

class Rollback extends Error {}

/**
 * Runs `write` in a transaction that is rolled back, and returns the accounts it left, each with
 * whether its view version is that transaction's id (in place of the id itself, which differs by
 * transaction).
 */
async function accountsAfter(db: ReadModelDb, write: Parameters<ReadModelDb['transaction']>[0]) {
  let rows: Record<string, unknown>[] = [];
  await db
    .transaction(async (tx) => {
      await write(tx);
      // Both drivers answer `{ rows }`.
      const transaction = (await tx.execute(sql`select txid_current()::text as id`)) as unknown as {
        rows: { id: string }[];
      };
      const id = transaction.rows[0].id;
      rows = (await tx.select().from(t.accounts).orderBy(asc(t.accounts.id))).map(
        ({ viewVersion, ...account }) => ({
          ...account,
          versionIsThisTransaction: String(viewVersion) === id,
        }),
      );
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return rows;
}

describe.each(DATABASE_TARGETS)('refreshing accounts on $name', (target) => {
  it('stores the same rows and health one account at a time as all together', async () => {
    const fresh = await target.fresh();
    const database = await ReadModelDatabase.open(fresh.config);
    try {
      await database.migrate();
      const { db } = database;
      const history = [
        ...generatedHistory(5, 30).flat(),
        events.opened('silent-one', day(0), { tier: 'SMB' }),
        events.wentSilent('silent-one', day(0), 30, day(31)),
        events.opened('lost-one', day(0)),
        events.stageChanged('lost-one', 'PROSPECT', 'LOST', day(3), 'budget'),
      ];
      const batch = recorded(history);
      await new AccountProjection().applyBatch(db, batch, batch[batch.length - 1].position);
      // Open alerts cost health points: a HIGH one counts, a LOW one and a resolved CRITICAL one do not.
      const alert = (
        alertId: string,
        accountId: string,
        severity: 'LOW' | 'HIGH' | 'CRITICAL',
        resolved: boolean,
      ) => ({
        alertId,
        accountId,
        kind: 'ACCOUNT_SILENT' as const,
        severity,
        status: resolved ? ('RESOLVED' as const) : ('OPEN' as const),
        title: 'No contact',
        cause: `cause-${alertId}`,
        raisedAt: new Date(day(20)),
        revision: 0n,
      });
      await db
        .insert(alerts)
        .values([
          alert('al-1', 'acc-0', 'HIGH', false),
          alert('al-2', 'acc-1', 'LOW', false),
          alert('al-3', 'acc-2', 'CRITICAL', true),
          alert('al-4', 'acc-3', 'CRITICAL', false),
        ]);

      // Each account as of its own instant, some before and some after its events; one unknown.
      const asOf = new Map<string, Date>([
        ['acc-0', new Date(day(5))],
        ['acc-1', new Date(day(45))],
        ['acc-2', new Date(day(400))],
        ['acc-3', new Date(day(29))],
        ['acc-4', new Date(day(12))],
        ['silent-one', new Date(day(40))],
        ['lost-one', new Date(day(4))],
        ['nobody', new Date(day(4))],
      ]);
      const health = { together: new Map<string, unknown>(), alone: new Map<string, unknown>() };
      const together = await accountsAfter(db, async (tx) => {
        for (const [id, stored] of await refreshAccounts(tx, t, asOf)) health.together.set(id, stored);
      });
      const alone = await accountsAfter(db, async (tx) => {
        for (const [id, at] of asOf) {
          const stored = await refreshAccount(tx, t, id, at);
          if (stored) health.alone.set(id, stored);
        }
      });
      expect(together).toEqual(alone);
      // Every account refreshed is marked changed for the account view's cache, by that transaction.
      expect(together.map((row) => row.versionIsThisTransaction)).toEqual(Array(7).fill(true));
      expect(health.together).toEqual(health.alone);
      expect(health.together.size).toBe(7);
      // The refresh changed something, or the comparison would prove little.
      const before = (await db.select().from(t.accounts).orderBy(asc(t.accounts.id))).map(
        ({ viewVersion: _before, ...account }) => account,
      );
      expect(together.map(({ versionIsThisTransaction: _changed, ...account }) => account)).not.toEqual(
        before,
      );
    } finally {
      await database.close();
      await fresh.drop();
    }
  }, 60_000);
});
