import { asc } from 'drizzle-orm';

import type { ReadModelDb, ReadModelTables } from '#read-model';
import { liveTables } from '#read-model';

type Row = Record<string, unknown>;

const plain = (value: unknown): unknown =>
  value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? value.toString() : value;

/**
 * Every row of every table in primary-key order, Dates and bigints as strings: for equality checks.
 * An account's `viewVersion` is left out: it is the id of the transaction that changed the account
 * last, so the same events stored in other transactions give other values by design.
 */
export async function snapshot(
  db: ReadModelDb,
  tables: ReadModelTables = liveTables,
): Promise<Record<string, Row[]>> {
  const t = tables;
  const rows = {
    accounts: (await db.select().from(t.accounts).orderBy(asc(t.accounts.id))).map(
      ({ viewVersion: _transactionId, ...account }) => account,
    ),
    stageVisits: await db
      .select()
      .from(t.stageVisits)
      .orderBy(asc(t.stageVisits.accountId), asc(t.stageVisits.seq)),
    touchpoints: await db
      .select()
      .from(t.touchpoints)
      .orderBy(asc(t.touchpoints.accountId), asc(t.touchpoints.id)),
    commitments: await db
      .select()
      .from(t.commitments)
      .orderBy(asc(t.commitments.accountId), asc(t.commitments.id)),
    timelineEntries: await db.select().from(t.timelineEntries).orderBy(asc(t.timelineEntries.eventId)),
    projectionCheckpoints: await db
      .select()
      .from(t.projectionCheckpoints)
      .orderBy(asc(t.projectionCheckpoints.name)),
  };
  return Object.fromEntries(
    Object.entries(rows).map(([name, list]) => [
      name,
      (list as Row[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))),
    ]),
  );
}
