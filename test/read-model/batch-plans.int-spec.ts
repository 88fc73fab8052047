// A batch touches a few accounts of many: each of its statements must reach those accounts' rows
// through their keys' indexes, not read whole tables. The planner takes a batch's rows (one JSON
// parameter) for 100 whatever their number, so a join with them alone is planned as a scan of the
// table once the table has statistics. Every statement a batch joins with its rows (those written
// as SQL, `tx.execute`) is explained here as the projector sends it, on tables grown to thousands
// of accounts and analyzed; the query builder's statements name their keys in `where` anyway.
import { sql, type SQL } from 'drizzle-orm';

import { AccountProjection, ReadModelDatabase, type ReadModelDb } from '#read-model';

import { day, events, recorded } from './account-events.js';
import { DATABASE_TARGETS } from './databases.js';

/**
 * The tables that grow with the accounts and that a batch reads: none may be read whole for a
 * batch of a few. (The timeline is only written to, through its key.)
 */
const PER_ACCOUNT_TABLES = ['accounts', 'account_versions', 'commitments', 'stage_visits', 'touchpoints'];
const FILLER_ACCOUNTS = 2_000;

/** `db` whose transactions explain each `execute` before they run it; the plans go to `plans`. */
function explaining(db: ReadModelDb, plans: string[]): ReadModelDb {
  const explainFirst = <T extends object>(tx: T): T =>
    new Proxy(tx, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'execute' || typeof value !== 'function') return value;
        return async (query: SQL) => {
          const explained = (await value.call(target, sql`explain ${query}`)) as {
            rows: Array<Record<string, string>>;
          };
          plans.push(explained.rows.map((row) => row['QUERY PLAN']).join('\n'));
          return value.call(target, query) as unknown;
        };
      },
    });
  return new Proxy(db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'transaction' || typeof value !== 'function') return value;
      return (work: (tx: object) => Promise<unknown>) =>
        value.call(target, (tx: object) => work(explainFirst(tx))) as unknown;
    },
  }) as ReadModelDb;
}

/** Copies every row of `table` once per filler account, under that account's id. */
async function fill(db: ReadModelDb, table: string, accountColumn: string): Promise<void> {
  const columns = (
    (await db.execute(
      sql`select column_name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} order by ordinal_position`,
    )) as unknown as { rows: Array<{ column_name: string }> }
  ).rows.map((row) => `"${row.column_name}"`);
  const copied = columns.map((column) =>
    column === `"${accountColumn}"` ? `a.${column} || '-filler-' || g` : `a.${column}`,
  );
  await db.execute(
    sql.raw(`insert into ${table} (${columns.join(', ')})
      select ${copied.join(', ')} from ${table} a, generate_series(1, ${FILLER_ACCOUNTS}) g`),
  );
}

describe.each(DATABASE_TARGETS)('a projection batch on $name', (target) => {
  it('reaches a few accounts of thousands through their indexes', async () => {
    const fresh = await target.fresh();
    const database = await ReadModelDatabase.open(fresh.config);
    try {
      await database.migrate();
      const { db } = database;
      const projection = new AccountProjection();
      const ids = ['plan-a', 'plan-b', 'plan-c'];
      const first = recorded(
        ids.flatMap((id) => [
          events.opened(id, day(0)),
          events.stageChanged(id, 'PROSPECT', 'DISCOVERY', day(1)),
          events.touchpoint(id, `${id}-t1`, day(2)),
          events.commitmentMade(id, `${id}-c1`, day(2), day(9)),
          events.commitmentMade(id, `${id}-c2`, day(2), day(9)),
          events.commitmentMade(id, `${id}-c3`, day(2), day(9)),
        ]),
      );
      await projection.applyBatch(db, first, first[first.length - 1].position);
      await fill(db, 'accounts', 'id');
      await fill(db, 'account_versions', 'account_id');
      await fill(db, 'commitments', 'account_id');
      await fill(db, 'stage_visits', 'account_id');
      await fill(db, 'touchpoints', 'account_id');
      await db.execute(sql.raw(`analyze ${PER_ACCOUNT_TABLES.join(', ')}`));

      const second = recorded(
        ids.flatMap((id) => [
          events.stageChanged(id, 'DISCOVERY', 'PROPOSAL', day(10)),
          events.touchpoint(id, `${id}-t2`, day(10)),
          events.fulfilled(id, `${id}-c1`, day(10), day(9)),
          events.missed(id, `${id}-c2`, day(9), day(10)),
          events.cancelled(id, `${id}-c3`, day(10)),
          events.ownerAssigned(id, 'owner-2', 'owner-1', day(11)),
          events.cadenceSet(id, 14, null, day(11)),
        ]),
        1_000_000n,
      );
      const plans: string[] = [];
      const applied = await projection.applyBatch(
        explaining(db, plans),
        second,
        second[second.length - 1].position,
      );

      expect(applied).toBe(second.length);
      // The commitments' updates, the stage change, the touch and the accounts' refresh at least.
      expect(plans.length).toBeGreaterThanOrEqual(8);
      const scans = plans.filter((plan) =>
        PER_ACCOUNT_TABLES.some((table) => new RegExp(`Seq Scan on ${table}\\b`).test(plan)),
      );
      expect(scans).toEqual([]);
    } finally {
      await database.close();
      await fresh.drop();
    }
  }, 120_000);
});
