import { and, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';

import { LIFECYCLE_STAGES, type LifecycleStage, type Tier } from '#lifecycle';
import { accounts, stageVisits, type ReadModelDb } from '#read-model';

/**
 * The stage a visit converts to when it moves forward. Pre-sales and onboarding lead to the next
 * stage in lifecycle order. In retention the forward move is the renewal cycle: ACTIVE and
 * ADVOCATE go on to RENEWAL, and RENEWAL converts when it is renewed (back to ACTIVE). LOST and
 * CHURNED have no forward stage, only a new start as PROSPECT.
 */
export const FUNNEL_NEXT_STAGE: Readonly<Record<LifecycleStage, LifecycleStage | null>> = {
  PROSPECT: 'DISCOVERY',
  DISCOVERY: 'PROPOSAL',
  PROPOSAL: 'ONBOARDING',
  ONBOARDING: 'ACTIVE',
  ACTIVE: 'RENEWAL',
  RENEWAL: 'ACTIVE',
  ADVOCATE: 'RENEWAL',
  LOST: null,
  CHURNED: null,
};

export interface FunnelQuery {
  /** The period `[from, to)` in business time. */
  readonly from: Date;
  readonly to: Date;
  /** Only accounts of these tiers; undefined for every tier. */
  readonly tiers?: readonly Tier[];
  /** Only accounts this person owns now; undefined for every account. */
  readonly ownerId?: string;
}

export interface FunnelStageCounts {
  readonly stage: LifecycleStage;
  /** Accounts in the stage now. */
  readonly current: number;
  /** Visits that began in the period. */
  readonly entered: number;
  /** Visits that ended in the period. */
  readonly exited: number;
  /** Of those that ended in the period, the ones that moved to {@link FUNNEL_NEXT_STAGE}. */
  readonly converted: number;
  /** Median length in days of the visits that ended in the period; null when none did. */
  readonly medianDaysInStage: number | null;
}

const SECONDS_PER_DAY = 86_400;

/**
 * Every stage's numbers, in lifecycle order, from one SQL statement whatever the portfolio's
 * size: both aggregates run in the database and read one snapshot of the read model.
 */
export async function queryFunnel(db: ReadModelDb, query: FunnelQuery): Promise<FunnelStageCounts[]> {
  const { from, to } = query;
  const ofAccounts: SQL[] = [];
  if (query.tiers !== undefined) ofAccounts.push(inArray(accounts.tier, [...query.tiers]));
  if (query.ownerId !== undefined) ofAccounts.push(eq(accounts.ownerId, query.ownerId));

  const enteredInPeriod = and(gte(stageVisits.enteredAt, from), lt(stageVisits.enteredAt, to))!;
  const exitedInPeriod = and(gte(stageVisits.exitedAt, from), lt(stageVisits.exitedAt, to))!;
  const nextStage = sql`case ${stageVisits.stage} ${sql.join(
    LIFECYCLE_STAGES.map((stage) => sql`when ${stage} then ${FUNNEL_NEXT_STAGE[stage]}::text`),
    sql` `,
  )} end`;
  const movedForward = sql`${exitedInPeriod} and ${stageVisits.toStage} = ${nextStage}`;
  const secondsInStage = sql`extract(epoch from ${stageVisits.exitedAt}) - extract(epoch from ${stageVisits.enteredAt})`;
  const daysInStage = sql`((${secondsInStage}) / ${SECONDS_PER_DAY})::float8`;
  const countWhere = (condition: SQL) => sql<number>`(count(*) filter (where ${condition}))::int`;
  const medianDaysOfExits = sql<number | null>`percentile_cont(0.5) within group (order by ${daysInStage})
    filter (where ${exitedInPeriod})`;

  const currentCounts = db.$with('current_counts').as(
    db
      .select({ stage: accounts.stage, current: sql<number>`count(*)::int`.as('current') })
      .from(accounts)
      .where(and(...ofAccounts))
      .groupBy(accounts.stage),
  );
  const visitCounts = db.$with('visit_counts').as(
    db
      .select({
        stage: stageVisits.stage,
        entered: countWhere(enteredInPeriod).as('entered'),
        exited: countWhere(exitedInPeriod).as('exited'),
        converted: countWhere(movedForward).as('converted'),
        medianDays: medianDaysOfExits.as('median_days'),
      })
      .from(stageVisits)
      .innerJoin(accounts, eq(accounts.id, stageVisits.accountId))
      .where(
        and(
          // Naming every stage lets each period condition be a range scan per stage of the
          // (stage, entered_at) and (stage, exited_at) indexes.
          inArray(stageVisits.stage, [...LIFECYCLE_STAGES]),
          or(enteredInPeriod, exitedInPeriod),
          ...ofAccounts,
        ),
      )
      .groupBy(stageVisits.stage),
  );
  const rows = await db
    .with(currentCounts, visitCounts)
    .select({
      stage: sql<LifecycleStage>`coalesce(${currentCounts.stage}, ${visitCounts.stage})`,
      current: currentCounts.current,
      entered: visitCounts.entered,
      exited: visitCounts.exited,
      converted: visitCounts.converted,
      medianDays: visitCounts.medianDays,
    })
    .from(currentCounts)
    .fullJoin(visitCounts, eq(currentCounts.stage, visitCounts.stage));

  const byStage = new Map(rows.map((row) => [row.stage, row]));
  return LIFECYCLE_STAGES.map((stage) => {
    const row = byStage.get(stage);
    return {
      stage,
      current: row?.current ?? 0,
      entered: row?.entered ?? 0,
      exited: row?.exited ?? 0,
      converted: row?.converted ?? 0,
      medianDaysInStage: row?.medianDays ?? null,
    };
  });
}
