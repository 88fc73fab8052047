// The read-model queries by which the monitors find what is due. Each is served by a partial
// index on what is still open, so its cost follows what is due, not the portfolio's size (the
// alerts benchmark explains them at two portfolio sizes, from these same builders).
import { and, asc, eq, gt, gte, isNotNull, lt, lte, max, ne, sql } from 'drizzle-orm';

import { DUE_SOON_WINDOW_MS } from '#alerts';
import {
  accounts,
  accountVersions,
  alerts,
  commitments,
  healthWatch,
  type ReadModelDb,
  type ReadModelTx,
} from '#read-model';

/** The database or a transaction on it: the health monitor reads inside its chunk's transaction. */
type Reader = ReadModelDb | ReadModelTx;

/** OPEN commitments whose due time has passed, oldest first. */
export const overdueCommitments = (db: Reader, now: Date, limit: number) =>
  db
    .select({ accountId: commitments.accountId, commitmentId: commitments.id })
    .from(commitments)
    .where(and(eq(commitments.status, 'OPEN'), lt(commitments.dueAt, now)))
    .orderBy(asc(commitments.dueAt))
    .limit(limit);

/** OPEN commitments whose due time comes in [from, until], soonest first: the ones to arm. */
export const commitmentsComingDue = (db: Reader, from: Date, until: Date, limit: number) =>
  db
    .select({ accountId: commitments.accountId, commitmentId: commitments.id, dueAt: commitments.dueAt })
    .from(commitments)
    .where(and(eq(commitments.status, 'OPEN'), gte(commitments.dueAt, from), lte(commitments.dueAt, until)))
    .orderBy(asc(commitments.dueAt))
    .limit(limit);

/** Accounts whose silence deadline comes in [from, until], soonest first: the ones to arm. */
export const accountsReachingSilenceDeadline = (db: Reader, from: Date, until: Date, limit: number) =>
  db
    .select({ accountId: accounts.id, silenceDeadline: accounts.silenceDeadline })
    .from(accounts)
    .where(
      and(
        isNotNull(accounts.silenceDeadline),
        gte(accounts.silenceDeadline, from),
        lte(accounts.silenceDeadline, until),
      ),
    )
    .orderBy(asc(accounts.silenceDeadline))
    .limit(limit);

/** Accounts whose silence deadline has passed, longest silent first. */
export const accountsPastSilenceDeadline = (db: Reader, now: Date, limit: number) =>
  db
    .select({ accountId: accounts.id })
    .from(accounts)
    .where(and(isNotNull(accounts.silenceDeadline), lt(accounts.silenceDeadline, now)))
    .orderBy(asc(accounts.silenceDeadline))
    .limit(limit);

/** OPEN commitments due within the next 48 h, soonest first. */
export const commitmentsDueSoon = (db: Reader, now: Date, limit: number) =>
  db
    .select({ accountId: commitments.accountId, commitmentId: commitments.id, dueAt: commitments.dueAt })
    .from(commitments)
    .where(
      and(
        eq(commitments.status, 'OPEN'),
        gt(commitments.dueAt, now),
        lte(commitments.dueAt, new Date(now.getTime() + DUE_SOON_WINDOW_MS)),
      ),
    )
    .orderBy(asc(commitments.dueAt))
    .limit(limit);

/** Open ACCOUNT_SILENT alerts of accounts still silent for twice their cadence, oldest first. */
export const silenceAlertsPastTwiceTheCadence = (db: Reader, now: Date, limit: number) =>
  db
    .select({
      alertId: alerts.alertId,
      accountId: alerts.accountId,
      severity: alerts.severity,
      tier: accounts.tier,
    })
    .from(alerts)
    .innerJoin(accounts, eq(accounts.id, alerts.accountId))
    .where(
      and(
        eq(alerts.kind, 'ACCOUNT_SILENT'),
        ne(alerts.status, 'RESOLVED'),
        eq(accounts.silent, true),
        lt(
          sql`coalesce(${accounts.lastQualifyingTouchAt}, ${accounts.openedAt}) + ${accounts.effectiveCadenceDays} * interval '2 days'`,
          now,
        ),
      ),
    )
    .orderBy(asc(alerts.raisedAt))
    .limit(limit);

/** Accounts whose health band may have changed by the passing of time, earliest first. */
export const healthReviewsDue = (db: Reader, now: Date, limit: number) =>
  db
    .select({ accountId: healthWatch.accountId })
    .from(healthWatch)
    .where(and(isNotNull(healthWatch.reviewAt), lte(healthWatch.reviewAt, now)))
    .orderBy(asc(healthWatch.reviewAt))
    .limit(limit);

/** Account versions after `seen` (the newest the health monitor has looked at), oldest first. */
export const accountVersionsAfter = (db: Reader, seen: number, limit: number) =>
  db
    .select({ accountId: accountVersions.accountId, version: accountVersions.validFrom })
    .from(accountVersions)
    .where(gt(accountVersions.validFrom, seen))
    .orderBy(asc(accountVersions.validFrom))
    .limit(limit);

/** The newest account version there is; 0 when there is none. */
export async function newestAccountVersion(db: Reader): Promise<number> {
  const [row] = await db.select({ newest: max(accountVersions.validFrom) }).from(accountVersions);
  return Number(row?.newest ?? 0);
}
