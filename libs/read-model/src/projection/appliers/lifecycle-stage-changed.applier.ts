import { sql } from 'drizzle-orm';

import { isExited, phaseOf } from '#lifecycle';

import { at, type Applier } from '../apply-context.js';
import { keyedBy, named, rowSet } from '../row-set.js';

/**
 * Closes each account's open stage visit, opens the next one (seq one past the last) and moves
 * the account, in one statement. Its parts all read the tables as they were before it, so the
 * visit it opens is not the one it closes, and the next seq is counted before the insert.
 */
export const applyLifecycleStageChanged: Applier<'LifecycleStageChanged'> = async (
  { tx, tables },
  events,
) => {
  if (events.length === 0) return;
  const { stageVisits: sv, accounts } = tables;
  const accountIds = events.map((e) => e.data.accountId);
  const rows = rowSet(
    'c',
    {
      account_id: 'text',
      from_stage: 'text',
      to_stage: 'text',
      occurred_at: 'timestamptz',
      reason: 'text',
      lessons: 'text',
      phase: 'text',
      exits: 'boolean',
    },
    events.map(({ data }) => ({
      account_id: data.accountId,
      from_stage: data.from,
      to_stage: data.to,
      occurred_at: at(data.occurredAt).toISOString(),
      reason: data.reason,
      lessons: data.lessons,
      phase: phaseOf(data.to),
      // EXITED accounts are never silent.
      exits: isExited(data.to),
    })),
  );
  await tx.execute(sql`
    with changes as (select * from ${rows}),
    closed as (
      update ${sv} set ${named(sv.exitedAt)} = changes.occurred_at, ${named(sv.toStage)} = changes.to_stage
      from changes
      where ${keyedBy(sv.accountId, 'changes.account_id', accountIds)} and ${sv.exitedAt} is null
    ),
    opened as (
      insert into ${sv} (${sql.join(
        [sv.accountId, sv.seq, sv.stage, sv.fromStage, sv.enteredAt, sv.reason, sv.lessons].map(named),
        sql`, `,
      )})
      select changes.account_id,
        coalesce((select max(${sv.seq}) + 1 from ${sv} where ${sv.accountId} = changes.account_id), 0)::int,
        changes.to_stage, changes.from_stage, changes.occurred_at, changes.reason, changes.lessons
      from changes
    )
    update ${accounts} set
      ${named(accounts.stage)} = changes.to_stage,
      ${named(accounts.phase)} = changes.phase,
      ${named(accounts.stageEnteredAt)} = changes.occurred_at,
      ${named(accounts.silent)} = case when changes.exits then false else ${accounts.silent} end,
      ${named(accounts.silentSince)} = case when changes.exits then null else ${accounts.silentSince} end
    from changes
    where ${keyedBy(accounts.id, 'changes.account_id', accountIds)}`);
};
