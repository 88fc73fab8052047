import { and, count, desc, eq, gt, inArray, isNotNull, lte, max, ne } from 'drizzle-orm';

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
import { accounts, alerts, commitments, touchpoints } from '../schema/index.js';

export interface AccountHealthNow {
  readonly accountId: string;
  readonly stage: LifecycleStage;
  readonly tier: Tier;
  readonly health: Health;
  /** The earliest instant the band can change if nothing new is recorded; null if it cannot. */
  readonly reviewAt: Date | null;
}

/**
 * An account's health for `now` from the live read model, by the formula the views use, and when
 * its band could next change by the passing of time alone (recency decaying, outcomes and pillars
 * leaving their windows). Undefined when the account does not exist.
 */
export async function accountHealthNow(
  db: ReadModelDb | ReadModelTx,
  accountId: string,
  now: Date,
): Promise<AccountHealthNow | undefined> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  if (account === undefined) return undefined;

  const facts: CommitmentFacts[] = await db
    .select({
      status: commitments.status,
      dueAt: commitments.dueAt,
      fulfilledAt: commitments.fulfilledAt,
      onTime: commitments.onTime,
      missedAt: commitments.missedAt,
    })
    .from(commitments)
    .where(eq(commitments.accountId, accountId));
  const sentiments = await db
    .select({ sentiment: touchpoints.sentiment })
    .from(touchpoints)
    .where(
      and(
        eq(touchpoints.accountId, accountId),
        isNotNull(touchpoints.sentiment),
        lte(touchpoints.occurredAt, now),
      ),
    )
    .orderBy(desc(touchpoints.occurredAt), desc(touchpoints.recordedAt), desc(touchpoints.id))
    .limit(SENTIMENT_SAMPLE_SIZE);
  // Each pillar's latest qualifying touch in the window: it stays in the window until 90 days after.
  const pillars = await db
    .select({ pillar: touchpoints.pillar, lastAt: max(touchpoints.occurredAt) })
    .from(touchpoints)
    .where(
      and(
        eq(touchpoints.accountId, accountId),
        eq(touchpoints.qualifying, true),
        gt(touchpoints.occurredAt, new Date(now.getTime() - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS)),
        lte(touchpoints.occurredAt, now),
      ),
    )
    .groupBy(touchpoints.pillar);
  const [{ openHighSeverityAlerts }] = await db
    .select({ openHighSeverityAlerts: count() })
    .from(alerts)
    .where(
      and(
        eq(alerts.accountId, accountId),
        ne(alerts.status, 'RESOLVED'),
        inArray(alerts.severity, ['HIGH', 'CRITICAL']),
      ),
    );

  const pillarLastSeen = pillars.flatMap((row) =>
    row.lastAt === null ? [] : [{ pillar: row.pillar as Pillar, lastAt: new Date(row.lastAt) }],
  );
  const inputAt = (at: Date): HealthInput => {
    const resolutions = commitmentResolutions(facts, at);
    const windowStart = at.getTime() - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS;
    return {
      cadenceDays: effectiveCadenceDays(account),
      openedAt: account.openedAt,
      lastQualifyingTouchAt: account.lastQualifyingTouchAt,
      resolvedCommitments: resolutions.resolved,
      onTimeCommitments: resolutions.onTime,
      missedCommitments: facts.filter((fact) => fact.status === 'MISSED').length,
      recentSentiments: sentiments.map((row) => row.sentiment as Sentiment),
      pillarsInWindow: pillarLastSeen.filter((p) => p.lastAt.getTime() > windowStart).map((p) => p.pillar),
      openHighSeverityAlerts: Number(openHighSeverityAlerts),
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
    accountId,
    stage: account.stage,
    tier: account.tier,
    health: computeHealth(inputAt(now), now),
    reviewAt: nextHealthReview({ inputAt, steps: [...outcomeSteps, ...pillarSteps] }, now),
  };
}
