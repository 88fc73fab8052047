import { and, count, inArray, ne, sql } from 'drizzle-orm';

import { DAY_MS, effectiveCadenceDays, isExited, phaseOf, type Pillar, type Sentiment } from '#lifecycle';
import {
  commitmentResolutions,
  commitmentStats,
  computeHealth,
  HEALTH_PILLAR_WINDOW_DAYS,
  SENTIMENT_SAMPLE_SIZE,
  type CommitmentFacts,
} from '#lifecycle-views';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { HealthBand } from '../schema/accounts.table.js';
import { alerts } from '../schema/index.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';
import { keyedBy, named, rowSet, rowsOf } from './row-set.js';
import type { TouchTotals } from './touchpoint-rows.js';

export interface StoredHealth {
  readonly healthScore: number;
  readonly healthBand: HealthBand;
}

/**
 * `refreshAccount` for many accounts at once, each as of its own instant, in a fixed number of
 * statements whatever their number: the same reads (each account's own rows only), the same
 * formulas, the same columns written. The accounts are locked in id order first. Returns the
 * stored health of each account that exists.
 *
 * `touches`: what touchpoints stored in this transaction add to their accounts' counts and latest
 * touches but are not yet on their rows (`storeTouchpoints`); written by the same update, so that
 * an account's row is updated once per batch.
 */
export async function refreshAccounts(
  tx: ReadModelTx,
  tables: ReadModelTables,
  asOfByAccount: ReadonlyMap<string, Date>,
  touches: ReadonlyMap<string, TouchTotals> = new Map(),
): Promise<Map<string, StoredHealth>> {
  const refreshed = new Map<string, StoredHealth>();
  if (asOfByAccount.size === 0) return refreshed;
  const { accounts, commitments, touchpoints } = tables;
  const ids = [...asOfByAccount.keys()];
  const locked = await tx
    .select()
    .from(accounts)
    .where(inArray(accounts.id, ids))
    .orderBy(accounts.id)
    .for('update');
  if (locked.length === 0) return refreshed;
  const rows = locked.map((row) => withTouches(row, touches.get(row.id)));
  const existing = rows.map((row) => row.id);

  const facts = new Map<string, CommitmentFacts[]>(existing.map((id) => [id, []]));
  const commitmentRows = await tx
    .select({
      accountId: commitments.accountId,
      status: commitments.status,
      dueAt: commitments.dueAt,
      fulfilledAt: commitments.fulfilledAt,
      onTime: commitments.onTime,
      missedAt: commitments.missedAt,
    })
    .from(commitments)
    .where(inArray(commitments.accountId, existing));
  for (const { accountId, ...fact } of commitmentRows) facts.get(accountId)?.push(fact);

  // Each account's newest sentiments, through the (account, occurred_at) index, newest first.
  const sentiments = new Map<string, Sentiment[]>(existing.map((id) => [id, []]));
  const sentimentRows = rowsOf<{ account_id: string; sentiment: Sentiment }>(
    await tx.execute(sql`
      select v.id as account_id, s.sentiment
      from ${rowSet(
        'v',
        { id: 'text', ord: 'int' },
        existing.map((id, ord) => ({ id, ord })),
      )}
      cross join lateral (
        select ${touchpoints.sentiment} as sentiment,
          row_number() over (order by ${touchpoints.occurredAt} desc, ${touchpoints.recordedAt} desc, ${touchpoints.id} desc) as rank
        from ${touchpoints}
        where ${touchpoints.accountId} = v.id and ${touchpoints.sentiment} is not null
        order by ${touchpoints.occurredAt} desc, ${touchpoints.recordedAt} desc, ${touchpoints.id} desc
        limit ${SENTIMENT_SAMPLE_SIZE}
      ) s
      order by v.ord, s.rank`),
  );
  for (const row of sentimentRows) sentiments.get(row.account_id)?.push(row.sentiment);

  // Pillars of the qualifying touches in each account's window (as of its own instant).
  const pillars = new Map<string, Pillar[]>(existing.map((id) => [id, []]));
  const windows = existing.map((id) => {
    const asOf = asOfByAccount.get(id)!;
    return {
      id,
      since: new Date(asOf.getTime() - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS).toISOString(),
      as_of: asOf.toISOString(),
    };
  });
  // Per account through the (account, occurred_at) index, whatever the planner knows of the tables.
  const pillarRows = rowsOf<{ account_id: string; pillar: Pillar }>(
    await tx.execute(sql`
      select v.id as account_id, p.pillar
      from ${rowSet('v', { id: 'text', since: 'timestamptz', as_of: 'timestamptz' }, windows)}
      cross join lateral (
        select distinct ${touchpoints.pillar} as pillar
        from ${touchpoints}
        where ${touchpoints.accountId} = v.id
          and ${touchpoints.qualifying} = true
          and ${touchpoints.occurredAt} > v.since
          and ${touchpoints.occurredAt} <= v.as_of
      ) p`),
  );
  for (const row of pillarRows) pillars.get(row.account_id)?.push(row.pillar);

  // Open HIGH and CRITICAL alerts as they are now (the live table, also during a rebuild).
  const alertCounts = new Map<string, number>();
  const alertRows = await tx
    .select({ accountId: alerts.accountId, open: count() })
    .from(alerts)
    .where(
      and(
        inArray(alerts.accountId, existing),
        ne(alerts.status, 'RESOLVED'),
        inArray(alerts.severity, ['HIGH', 'CRITICAL']),
      ),
    )
    .groupBy(alerts.accountId);
  for (const row of alertRows) alertCounts.set(row.accountId, Number(row.open));

  const updates: Record<string, unknown>[] = [];
  for (const account of rows) {
    const asOf = asOfByAccount.get(account.id)!;
    const accountFacts = facts.get(account.id)!;
    const stats = commitmentStats(accountFacts, asOf);
    const resolutions = commitmentResolutions(accountFacts, asOf);
    const openDue = accountFacts.filter((c) => c.status === 'OPEN').map((c) => c.dueAt.getTime());
    const cadence = effectiveCadenceDays(account);
    const clockStart = account.lastQualifyingTouchAt ?? account.openedAt;
    const silenceDeadline =
      account.silent || isExited(account.stage) ? null : new Date(clockStart.getTime() + cadence * DAY_MS);
    const health = computeHealth(
      {
        cadenceDays: cadence,
        openedAt: account.openedAt,
        lastQualifyingTouchAt: account.lastQualifyingTouchAt,
        resolvedCommitments: resolutions.resolved,
        onTimeCommitments: resolutions.onTime,
        missedCommitments: accountFacts.filter((c) => c.status === 'MISSED').length,
        recentSentiments: sentiments.get(account.id)!,
        pillarsInWindow: pillars.get(account.id)!,
        openHighSeverityAlerts: alertCounts.get(account.id) ?? 0,
      },
      asOf,
    );
    updates.push({
      id: account.id,
      phase: phaseOf(account.stage),
      cadence: cadence,
      silence_deadline: silenceDeadline?.toISOString() ?? null,
      open_n: stats.open,
      missed_n: stats.missed,
      on_time_n: stats.fulfilledOnTime,
      late_n: stats.fulfilledLate,
      cancelled_n: stats.cancelled,
      next_due: openDue.length === 0 ? null : new Date(Math.min(...openDue)).toISOString(),
      score: health.score,
      band: health.band,
      as_of: asOf.toISOString(),
      touch_count: account.touchpointCount,
      last_touch: account.lastTouchpointAt?.toISOString() ?? null,
      last_qualifying: account.lastQualifyingTouchAt?.toISOString() ?? null,
    });
    refreshed.set(account.id, { healthScore: health.score, healthBand: health.band });
  }

  const a = accounts;
  const set = (column: { name: string }, value: string) => sql`${named(column)} = v.${sql.raw(value)}`;
  const values = rowSet(
    'v',
    {
      id: 'text',
      phase: 'text',
      cadence: 'int',
      silence_deadline: 'timestamptz',
      open_n: 'int',
      missed_n: 'int',
      on_time_n: 'int',
      late_n: 'int',
      cancelled_n: 'int',
      next_due: 'timestamptz',
      score: 'int',
      band: 'text',
      as_of: 'timestamptz',
      touch_count: 'int',
      last_touch: 'timestamptz',
      last_qualifying: 'timestamptz',
    },
    updates,
  );
  await tx.execute(sql`
    update ${accounts} set ${sql.join(
      [
        set(a.phase, 'phase'),
        set(a.effectiveCadenceDays, 'cadence'),
        set(a.silenceDeadline, 'silence_deadline'),
        set(a.commitmentsOpen, 'open_n'),
        set(a.commitmentsMissed, 'missed_n'),
        set(a.commitmentsFulfilledOnTime, 'on_time_n'),
        set(a.commitmentsFulfilledLate, 'late_n'),
        set(a.commitmentsCancelled, 'cancelled_n'),
        set(a.nextCommitmentDueAt, 'next_due'),
        set(a.healthScore, 'score'),
        set(a.healthBand, 'band'),
        set(a.healthAsOf, 'as_of'),
        set(a.updatedAt, 'as_of'),
        // The row is locked: these are its values with this batch's touches added.
        set(a.touchpointCount, 'touch_count'),
        set(a.lastTouchpointAt, 'last_touch'),
        set(a.lastQualifyingTouchAt, 'last_qualifying'),
        // The account view's facts changed with this transaction (accounts.table.ts).
        sql`${named(a.viewVersion)} = txid_current()`,
      ],
      sql`, `,
    )}
    from ${values}
    where ${keyedBy(a.id, 'v.id', existing)}`);
  return refreshed;
}

type AccountRow = ReadModelTables['accounts']['$inferSelect'];

/** The row with stored touches added, as `countTouchpoints` would (greatest ignores nulls). */
function withTouches(row: AccountRow, totals: TouchTotals | undefined): AccountRow {
  if (totals === undefined || totals.added === 0) return row;
  const latest = (stored: Date | null, added: number | null): Date | null =>
    added === null ? stored : stored === null || stored.getTime() < added ? new Date(added) : stored;
  return {
    ...row,
    touchpointCount: row.touchpointCount + totals.added,
    lastTouchpointAt: latest(row.lastTouchpointAt, totals.last),
    lastQualifyingTouchAt: latest(row.lastQualifyingTouchAt, totals.lastQualifying),
  };
}
