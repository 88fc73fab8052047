import { and, count, desc, eq, gt, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';

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
import { alerts } from '../schema/index.js';
import type { HealthBand } from '../schema/accounts.table.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';

/**
 * Recomputes an account's derived columns from its rows: phase, effective cadence, silence
 * deadline, commitment counters and the stored health as of `asOf` (the recorded time of the
 * account's last event in the batch, so that any sequence of batches ends with the same row).
 * The formulas are #lifecycle-views', the same the views show, with the account's open HIGH and
 * CRITICAL alerts as they are now (the live alerts table, also during a rebuild: alerts are not
 * rebuilt). The row is locked first, so that the alerts projection, which refreshes an account
 * when its alerts change, and this never compute from each other's half-written states.
 * Returns the stored health; undefined when the account does not exist.
 */
export async function refreshAccount(
  tx: ReadModelTx,
  tables: ReadModelTables,
  accountId: string,
  asOf: Date,
): Promise<{ healthScore: number; healthBand: HealthBand } | undefined> {
  const { accounts, commitments, touchpoints } = tables;
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('update');
  if (account === undefined) return undefined;

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

  const [{ openHighSeverityAlerts }] = await tx
    .select({ openHighSeverityAlerts: count() })
    .from(alerts)
    .where(
      and(
        eq(alerts.accountId, accountId),
        ne(alerts.status, 'RESOLVED'),
        inArray(alerts.severity, ['HIGH', 'CRITICAL']),
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
      openHighSeverityAlerts: Number(openHighSeverityAlerts),
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
      // Its open alerts changed with this transaction (accounts.table.ts).
      viewVersion: sql`txid_current()`,
    })
    .where(eq(accounts.id, accountId));
  return { healthScore: health.score, healthBand: health.band };
}
