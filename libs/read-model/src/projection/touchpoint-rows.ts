import { sql } from 'drizzle-orm';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';
import { at, type EventData } from './apply-context.js';
import { keyedBy, named, rowSet, rowsOf } from './row-set.js';

/** A recorded touchpoint and when the event store stored it. */
export interface RecordedTouchpoint {
  readonly data: EventData<'TouchpointRecorded'>;
  readonly recordedAt: Date;
}

/** What stored touchpoints add to their account's row. */
export interface TouchTotals {
  /** How many were stored (not already there). */
  readonly added: number;
  /** The latest business time among them, ms. */
  readonly last: number;
  /** The latest business time among the qualifying ones, ms; null when none qualifies. */
  readonly lastQualifying: number | null;
}

/**
 * Stores touchpoints and counts them on their accounts: one statement inserts them all (a
 * touchpoint already there is left as it is and not counted), one updates every account they
 * belong to (see {@link storeTouchpoints} and {@link countTouchpoints}).
 */
export async function insertTouchpoints(
  tx: ReadModelTx,
  tables: ReadModelTables,
  touches: readonly RecordedTouchpoint[],
): Promise<void> {
  await countTouchpoints(tx, tables, await storeTouchpoints(tx, tables, touches));
}

/**
 * Inserts touchpoints in one statement (a touchpoint already there is left as it is and not
 * counted) and answers what the inserted ones add to each account. Backfilled touches arrive out
 * of business order: the totals keep the latest touch and latest qualifying touch.
 */
export async function storeTouchpoints(
  tx: ReadModelTx,
  tables: ReadModelTables,
  touches: readonly RecordedTouchpoint[],
): Promise<Map<string, TouchTotals>> {
  const perAccount = new Map<string, { added: number; last: number; lastQualifying: number | null }>();
  if (touches.length === 0) return perAccount;
  const { touchpoints: tp } = tables;
  /** key of account and touchpoint → its first place in `touches` (the one an insert keeps) */
  const first = new Map<string, number>();
  const rows = touches.map(({ data, recordedAt }, ord) => {
    const key = `${data.accountId}\u0000${data.touchpointId}`;
    if (!first.has(key)) first.set(key, ord);
    return {
      ord,
      account_id: data.accountId,
      id: data.touchpointId,
      occurred_at: at(data.occurredAt).toISOString(),
      recorded_at: recordedAt.toISOString(),
      channel: data.channel,
      direction: data.direction,
      pillar: data.pillar,
      sentiment: data.sentiment,
      moment_of_truth: data.momentOfTruth,
      stage: data.stage,
      qualifying: data.qualifying,
      summary: data.summary,
      actor_id: data.actorId,
      participants: data.participants,
      source: data.source,
      external_ref: data.externalRef,
    };
  });
  const touchRows = rowSet(
    'v',
    {
      ord: 'int',
      account_id: 'text',
      id: 'text',
      occurred_at: 'timestamptz',
      recorded_at: 'timestamptz',
      channel: 'text',
      direction: 'text',
      pillar: 'text',
      sentiment: 'text',
      moment_of_truth: 'boolean',
      stage: 'text',
      qualifying: 'boolean',
      summary: 'text',
      actor_id: 'text',
      participants: 'jsonb',
      source: 'text',
      external_ref: 'text',
    },
    rows,
  );
  const columns = [
    tp.accountId,
    tp.id,
    tp.occurredAt,
    tp.recordedAt,
    tp.channel,
    tp.direction,
    tp.pillar,
    tp.sentiment,
    tp.momentOfTruth,
    tp.stage,
    tp.qualifying,
    tp.summary,
    tp.actorId,
    tp.participants,
    tp.source,
    tp.externalRef,
  ].map(named);
  // In the order given: of two touches with one id, the first is stored, as one by one.
  const inserted = rowsOf<{ account_id: string; id: string }>(
    await tx.execute(sql`
      insert into ${tp} (${sql.join(columns, sql`, `)})
      select account_id, id, occurred_at, recorded_at, channel, direction, pillar, sentiment,
        moment_of_truth, stage, qualifying, summary, actor_id, participants, source, external_ref
      from ${touchRows}
      order by ord
      on conflict do nothing
      returning ${named(tp.accountId)} as account_id, ${named(tp.id)} as id`),
  );
  for (const row of inserted) {
    const { data } = touches[first.get(`${row.account_id}\u0000${row.id}`)!];
    const occurredAt = at(data.occurredAt).getTime();
    const totals = perAccount.get(data.accountId) ?? { added: 0, last: occurredAt, lastQualifying: null };
    totals.added += 1;
    totals.last = Math.max(totals.last, occurredAt);
    if (data.qualifying) totals.lastQualifying = Math.max(totals.lastQualifying ?? occurredAt, occurredAt);
    perAccount.set(data.accountId, totals);
  }
  return perAccount;
}

/** Adds touch totals to their accounts' rows (greatest ignores nulls), in one statement. */
export async function countTouchpoints(
  tx: ReadModelTx,
  tables: ReadModelTables,
  perAccount: ReadonlyMap<string, TouchTotals>,
): Promise<void> {
  if (perAccount.size === 0) return;
  const { accounts } = tables;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const counts = rowSet(
    'v',
    { id: 'text', added: 'int', last: 'timestamptz', last_qualifying: 'timestamptz' },
    [...perAccount].map(([id, t]) => ({
      id,
      added: t.added,
      last: iso(t.last),
      last_qualifying: iso(t.lastQualifying),
    })),
  );
  await tx.execute(sql`
    update ${accounts} set
      ${named(accounts.touchpointCount)} = ${accounts.touchpointCount} + v.added,
      ${named(accounts.lastTouchpointAt)} = greatest(${accounts.lastTouchpointAt}, v.last),
      ${named(accounts.lastQualifyingTouchAt)} = greatest(${accounts.lastQualifyingTouchAt}, v.last_qualifying)
    from ${counts}
    where ${keyedBy(accounts.id, 'v.id', perAccount.keys())}`);
}
