// The events that set plain columns of the account row: one update for all the accounts.
import { sql, type SQL } from 'drizzle-orm';

import type { AccountEventType } from '#lifecycle';

import { at, type Applier, type ApplyContext, type AppliedEvent, type EventData } from '../apply-context.js';
import { keyedBy, named, rowSet, type ColumnType } from '../row-set.js';

async function updateAccounts<T extends AccountEventType>(
  { tx, tables }: ApplyContext,
  events: readonly AppliedEvent<T>[],
  columns: Readonly<Record<string, ColumnType>>,
  values: (data: EventData<T>) => Record<string, unknown>,
  set: (a: ApplyContext['tables']['accounts']) => SQL[],
): Promise<void> {
  if (events.length === 0) return;
  const { accounts } = tables;
  const rows = rowSet(
    'v',
    { id: 'text', ...columns },
    events.map(({ data }) => ({ id: data.accountId, ...values(data) })),
  );
  await tx.execute(sql`
    update ${accounts} set ${sql.join(set(accounts), sql`, `)}
    from ${rows}
    where ${keyedBy(
      accounts.id,
      'v.id',
      events.map(({ data }) => data.accountId),
    )}`);
}

export const applyAccountOwnerAssigned: Applier<'AccountOwnerAssigned'> = (ctx, events) =>
  updateAccounts(
    ctx,
    events,
    { owner_id: 'text' },
    (data) => ({ owner_id: data.ownerId }),
    (a) => [sql`${named(a.ownerId)} = v.owner_id`],
  );

export const applyAccountCadenceSet: Applier<'AccountCadenceSet'> = (ctx, events) =>
  updateAccounts(
    ctx,
    events,
    { cadence_days: 'int' },
    (data) => ({ cadence_days: data.cadenceDays }),
    (a) => [sql`${named(a.cadenceDays)} = v.cadence_days`],
  );

export const applyAccountWentSilent: Applier<'AccountWentSilent'> = (ctx, events) =>
  updateAccounts(
    ctx,
    events,
    { silent_since: 'timestamptz' },
    (data) => ({ silent_since: at(data.silentSince).toISOString() }),
    (a) => [sql`${named(a.silent)} = true`, sql`${named(a.silentSince)} = v.silent_since`],
  );

export const applyAccountReEngaged: Applier<'AccountReEngaged'> = (ctx, events) =>
  updateAccounts(
    ctx,
    events,
    {},
    () => ({}),
    (a) => [sql`${named(a.silent)} = false`, sql`${named(a.silentSince)} = null`],
  );
