import { and, desc, eq, gt, isNotNull, lte } from 'drizzle-orm';

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
import type { ReadModelTables } from '../schema/read-model-tables.js';

/**
 * Recomputes an account's derived columns from its rows: phase, effective cadence, silence
 * deadline, commitment counters and the stored health as of `asOf` (the recorded time of the
 * account's last event in the batch, so that any sequence of batches ends with the same row).
 * The formulas are #lifecycle-views', the same the views show; open alerts are not projected
 * yet and count as none.
 */
export async function refreshAccount(
  tx: ReadModelTx,
  tables: ReadModelTables,
  accountId: string,
  asOf: Date,
): Promise<void> {
  const { accounts, commitments, touchpoints } = tables;
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId));
  if (account === undefined) return;

  const facts: CommitmentFacts[] = await tx
    .select({
      status: commitments.status,
      dueAt: commitments.dueAt,
      fulfilledAt: commitments.fulfilledAt,
      onTime: commitments.onTime,
      missedAt: commitments.missedAt,
    })
    .from(commitments)
    .where(eq(commitments.accountId, accountId));
  const stats = commitmentStats(facts, asOf);
  const resolutions = commitmentResolutions(facts, asOf);
  const openDue = facts.filter((c) => c.status === 'OPEN').map((c) => c.dueAt.getTime());

  const sentiments = await tx
    .select({ sentiment: touchpoints.sentiment })
    .from(touchpoints)
    .where(and(eq(touchpoints.accountId, accountId), isNotNull(touchpoints.sentiment)))
    .orderBy(desc(touchpoints.occurredAt), desc(touchpoints.recordedAt), desc(touchpoints.id))
    .limit(SENTIMENT_SAMPLE_SIZE);
  const pillars = await tx
    .selectDistinct({ pillar: touchpoints.pillar })
    .from(touchpoints)
    .where(
      and(
        eq(touchpoints.accountId, accountId),
        eq(touchpoints.qualifying, true),
        gt(touchpoints.occurredAt, new Date(asOf.getTime() - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS)),
        lte(touchpoints.occurredAt, asOf),
      ),
    );

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
      missedCommitments: facts.filter((c) => c.status === 'MISSED').length,
      recentSentiments: sentiments.map((row) => row.sentiment as Sentiment),
      pillarsInWindow: pillars.map((row) => row.pillar as Pillar),
      openHighSeverityAlerts: 0,
    },
    asOf,
  );

  await tx
    .update(accounts)
    .set({
      phase: phaseOf(account.stage),
      effectiveCadenceDays: cadence,
      silenceDeadline,
      commitmentsOpen: stats.open,
      commitmentsMissed: stats.missed,
      commitmentsFulfilledOnTime: stats.fulfilledOnTime,
      commitmentsFulfilledLate: stats.fulfilledLate,
      commitmentsCancelled: stats.cancelled,
      nextCommitmentDueAt: openDue.length === 0 ? null : new Date(Math.min(...openDue)),
      healthScore: health.score,
      healthBand: health.band,
      healthAsOf: asOf,
      updatedAt: asOf,
    })
    .where(eq(accounts.id, accountId));
}
