// The commitment events: made inserts the row, the others update it; one statement each for all.
import { sql, type SQL } from 'drizzle-orm';

import type { AccountEventType } from '#lifecycle';

import { at, type Applier, type ApplyContext, type AppliedEvent, type EventData } from '../apply-context.js';
import { keyedBy, named, rowSet, type ColumnType } from '../row-set.js';

export const applyCommitmentMade: Applier<'CommitmentMade'> = async ({ tx, tables }, events) => {
  if (events.length === 0) return;
  await tx
    .insert(tables.commitments)
    .values(
      events.map(({ data }) => ({
        accountId: data.accountId,
        id: data.commitmentId,
        title: data.title,
        description: data.description,
        ownerId: data.ownerId,
        madeAt: at(data.madeAt),
        dueAt: at(data.dueAt),
        touchpointId: data.touchpointId,
        status: 'OPEN' as const,
      })),
    )
    .onConflictDoNothing();
};

type CommitmentEvent = { readonly accountId: string; readonly commitmentId: string };

async function updateCommitments<T extends AccountEventType>(
  { tx, tables }: ApplyContext,
  events: readonly AppliedEvent<T>[],
  columns: Readonly<Record<string, ColumnType>>,
  values: (data: EventData<T>) => Record<string, unknown>,
  set: (c: ApplyContext['tables']['commitments']) => SQL[],
): Promise<void> {
  if (events.length === 0) return;
  const { commitments } = tables;
  const keys = events.map(({ data }) => data as unknown as CommitmentEvent);
  const rows = rowSet(
    'v',
    { account_id: 'text', commitment_id: 'text', ...columns },
    events.map(({ data }, i) => ({
      account_id: keys[i].accountId,
      commitment_id: keys[i].commitmentId,
      ...values(data),
    })),
  );
  await tx.execute(sql`
    update ${commitments} set ${sql.join(set(commitments), sql`, `)}
    from ${rows}
    where ${keyedBy(
      commitments.accountId,
      'v.account_id',
      keys.map((key) => key.accountId),
    )} and ${commitments.id} = v.commitment_id`);
}

const instant = (iso: string) => at(iso).toISOString();

export const applyCommitmentFulfilled: Applier<'CommitmentFulfilled'> = (ctx, events) =>
  updateCommitments(
    ctx,
    events,
    { fulfilled_at: 'timestamptz', on_time: 'boolean' },
    (data) => ({ fulfilled_at: instant(data.fulfilledAt), on_time: data.onTime }),
    (c) => [
      sql`${named(c.status)} = 'FULFILLED'`,
      sql`${named(c.fulfilledAt)} = v.fulfilled_at`,
      sql`${named(c.onTime)} = v.on_time`,
      sql`${named(c.resolvedAt)} = v.fulfilled_at`,
    ],
  );

export const applyCommitmentMissed: Applier<'CommitmentMissed'> = (ctx, events) =>
  updateCommitments(
    ctx,
    events,
    { missed_at: 'timestamptz' },
    (data) => ({ missed_at: instant(data.occurredAt) }),
    (c) => [
      sql`${named(c.status)} = 'MISSED'`,
      sql`${named(c.missedAt)} = v.missed_at`,
      sql`${named(c.resolvedAt)} = v.missed_at`,
    ],
  );

export const applyCommitmentCancelled: Applier<'CommitmentCancelled'> = (ctx, events) =>
  updateCommitments(
    ctx,
    events,
    { cancelled_at: 'timestamptz', reason: 'text' },
    (data) => ({ cancelled_at: instant(data.occurredAt), reason: data.reason }),
    (c) => [
      sql`${named(c.status)} = 'CANCELLED'`,
      sql`${named(c.cancelledAt)} = v.cancelled_at`,
      sql`${named(c.cancelReason)} = v.reason`,
      sql`${named(c.resolvedAt)} = v.cancelled_at`,
    ],
  );

export const applyCommitmentRenegotiated: Applier<'CommitmentRenegotiated'> = (ctx, events) =>
  updateCommitments(
    ctx,
    events,
    { new_due_at: 'timestamptz' },
    (data) => ({ new_due_at: instant(data.newDueAt) }),
    (c) => [
      sql`${named(c.status)} = 'OPEN'`,
      sql`${named(c.dueAt)} = v.new_due_at`,
      sql`${named(c.renegotiations)} = ${c.renegotiations} + 1`,
      // Back to OPEN with a date the customer agreed: the miss no longer stands.
      sql`${named(c.missedAt)} = null`,
      sql`${named(c.resolvedAt)} = null`,
    ],
  );
