import { sql } from 'drizzle-orm';

import { DAY_MS, effectiveCadenceDays, type Pillar, type Sentiment } from '#lifecycle';
import {
  COMMITMENT_WINDOW_DAYS,
  commitmentResolutions,
  computeHealth,
  HEALTH_PILLAR_WINDOW_DAYS,
  nextHealthReview,
  SENTIMENT_SAMPLE_SIZE,
  type CommitmentFacts,
  type Health,
  type HealthInput,
} from '#lifecycle-views';
import type { LifecycleStage, Tier } from '#lifecycle';

import type { ReadModelDb, ReadModelTx } from '../database/read-model-database.js';

export interface AccountHealthNow {
  readonly accountId: string;
  readonly stage: LifecycleStage;
  readonly tier: Tier;
  readonly health: Health;
  /** The earliest instant the band can change if nothing new is recorded; null if it cannot. */
  readonly reviewAt: Date | null;
}

/** One row of {@link HEALTH_INPUTS}, as node-postgres parses it. */
interface HealthInputsRow {
  readonly id: string;
  readonly stage: LifecycleStage;
  readonly tier: Tier;
  readonly cadence_days: number | null;
  /** Timestamps here and below as the JSON of the database writes them (ISO 8601). */
  readonly opened_at: string;
  readonly last_qualifying_touch_at: string | null;
  readonly commitments: ReadonlyArray<{
    readonly status: CommitmentFacts['status'];
    readonly dueAt: string;
    readonly fulfilledAt: string | null;
    readonly onTime: boolean | null;
    readonly missedAt: string | null;
  }>;
  readonly sentiments: readonly Sentiment[];
  readonly pillars: ReadonlyArray<{ readonly pillar: Pillar; readonly lastAt: string }>;
  readonly open_high_alerts: number;
}

/**
 * What the health formula needs of each of `accountIds`, in one statement: the account, its
 * commitments, its newest sentiments up to `now`, each pillar's latest qualifying touch in the
 * window, and its open HIGH and CRITICAL alerts. One statement for any number of accounts, each
 * part read through the account's own index, rather than five per account.
 */
function healthInputs(accountIds: readonly string[], now: Date) {
  const windowStart = new Date(now.getTime() - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS);
  return sql`
select a.id, a.stage, a.tier, a.cadence_days,
  to_json(a.opened_at) as opened_at, to_json(a.last_qualifying_touch_at) as last_qualifying_touch_at,
  (select coalesce(json_agg(json_build_object('status', c.status, 'dueAt', c.due_at,
      'fulfilledAt', c.fulfilled_at, 'onTime', c.on_time, 'missedAt', c.missed_at)), '[]'::json)
    from commitments c where c.account_id = a.id) as commitments,
  array(select t.sentiment from touchpoints t
    where t.account_id = a.id and t.sentiment is not null and t.occurred_at <= ${now}
    order by t.occurred_at desc, t.recorded_at desc, t.id desc
    limit ${SENTIMENT_SAMPLE_SIZE}) as sentiments,
  (select coalesce(json_agg(json_build_object('pillar', p.pillar, 'lastAt', p.last_at)), '[]'::json)
    from (select t.pillar, max(t.occurred_at) as last_at from touchpoints t
      where t.account_id = a.id and t.qualifying and t.occurred_at > ${windowStart}
        and t.occurred_at <= ${now}
      group by t.pillar) p) as pillars,
  (select count(*)::int from alerts al
    where al.account_id = a.id and al.status <> 'RESOLVED' and al.severity in ('HIGH', 'CRITICAL'))
    as open_high_alerts
from accounts a
where a.id = any(${sql.param([...accountIds])}::text[])`;
}

const instantOrNull = (at: string | null): Date | null => (at === null ? null : new Date(at));

/**
 * The health for `now` of each of `accountIds` from the live read model, by the formula the views
 * use, and when its band could next change by the passing of time alone (recency decaying,
 * outcomes and pillars leaving their windows). Accounts that do not exist are left out.
 */
export async function accountsHealthNow(
  db: ReadModelDb | ReadModelTx,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, AccountHealthNow>> {
  const found = new Map<string, AccountHealthNow>();
  if (accountIds.length === 0) return found;
  const { rows } = (await db.execute(healthInputs(accountIds, now))) as unknown as {
    rows: HealthInputsRow[];
  };
  for (const row of rows) found.set(row.id, healthOfRow(row, now));
  return found;
}

function healthOfRow(row: HealthInputsRow, now: Date): AccountHealthNow {
  const facts: CommitmentFacts[] = row.commitments.map((c) => ({
    status: c.status,
    dueAt: new Date(c.dueAt),
    fulfilledAt: instantOrNull(c.fulfilledAt),
    onTime: c.onTime,
    missedAt: instantOrNull(c.missedAt),
  }));
  const pillarLastSeen = row.pillars.map((p) => ({ pillar: p.pillar, lastAt: new Date(p.lastAt) }));
  const cadenceDays = effectiveCadenceDays({ tier: row.tier, cadenceDays: row.cadence_days });
  const openedAt = new Date(row.opened_at);
  const lastQualifyingTouchAt = instantOrNull(row.last_qualifying_touch_at);
  const inputAt = (at: Date): HealthInput => {
    const resolutions = commitmentResolutions(facts, at);
    const windowStart = at.getTime() - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS;
    return {
      cadenceDays,
      openedAt,
      lastQualifyingTouchAt,
      resolvedCommitments: resolutions.resolved,
      onTimeCommitments: resolutions.onTime,
      missedCommitments: facts.filter((fact) => fact.status === 'MISSED').length,
      recentSentiments: [...row.sentiments],
      pillarsInWindow: pillarLastSeen.filter((p) => p.lastAt.getTime() > windowStart).map((p) => p.pillar),
      openHighSeverityAlerts: row.open_high_alerts,
    };
  };
  // Outcome instants entering and leaving the 180-day window; more steps than needed only cost a look.
  const outcomeSteps = facts.flatMap((fact) =>
    [fact.fulfilledAt, fact.missedAt].flatMap((at) =>
      at === null ? [] : [at, new Date(at.getTime() + COMMITMENT_WINDOW_DAYS * DAY_MS)],
    ),
  );
  const pillarSteps = pillarLastSeen.map(
    (p) => new Date(p.lastAt.getTime() + HEALTH_PILLAR_WINDOW_DAYS * DAY_MS),
  );
  return {
    accountId: row.id,
    stage: row.stage,
    tier: row.tier,
    health: computeHealth(inputAt(now), now),
    reviewAt: nextHealthReview({ inputAt, steps: [...outcomeSteps, ...pillarSteps] }, now),
  };
}
