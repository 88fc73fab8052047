import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';

import { accounts, alertNotifications, alerts, webhookCursors, type ReadModelDb } from '#read-model';

import type { NotificationRow } from './webhook-payload.js';

/** Longest `last_error` kept: enough to tell a status from a TLS error, not a whole page. */
const MAX_ERROR_LENGTH = 500;

/**
 * The SQL of webhook delivery: each statement runs on its own (no transaction is held open while
 * a request is under way: PGlite has one session, and an open transaction would stall everyone).
 * Every write to a cursor is conditional on holding its lease, so a worker that lost it changes
 * nothing.
 */
export class WebhookCursorStore {
  constructor(private readonly db: ReadModelDb) {}

  /** The newest notification's position (0 before the first): an indexed max, cheap to poll. */
  async head(): Promise<number> {
    const [row] = await this.db
      .select({ seq: sql<string | number | null>`max(${alertNotifications.seq})` })
      .from(alertNotifications);
    return Number(row?.seq ?? 0);
  }

  /**
   * Takes the lease of `url` for `leaseMs` when it is free, expired or already `owner`'s, in one
   * statement (two workers claiming at once: one wins). A URL seen for the first time starts at the
   * current head: it receives what is stored from now on, not the history. Returns the delivered
   * position, or undefined when another worker holds the lease.
   */
  async claim(url: string, owner: string, leaseMs: number): Promise<number | undefined> {
    const rows = await this.db
      .insert(webhookCursors)
      .values({
        url,
        deliveredSeq: sql`(select coalesce(max(${alertNotifications.seq}), 0) from ${alertNotifications})`,
        leaseOwner: owner,
        leaseUntil: leaseEnd(leaseMs),
      })
      .onConflictDoUpdate({
        target: webhookCursors.url,
        set: { leaseOwner: owner, leaseUntil: leaseEnd(leaseMs) },
        setWhere: or(
          isNull(webhookCursors.leaseOwner),
          eq(webhookCursors.leaseOwner, owner),
          isNull(webhookCursors.leaseUntil),
          lt(webhookCursors.leaseUntil, sql`now()`),
        ),
      })
      .returning({ deliveredSeq: webhookCursors.deliveredSeq });
    return rows.length === 0 ? undefined : Number(rows[0].deliveredSeq);
  }

  /** Extends `owner`'s lease; false when it is no longer theirs. */
  async renew(url: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.updateHeld(url, owner, { leaseUntil: leaseEnd(leaseMs) });
  }

  /** Records `seq` as delivered (and extends the lease); false when the lease is no longer `owner`'s. */
  async advance(url: string, owner: string, seq: number, leaseMs: number): Promise<boolean> {
    return this.updateHeld(url, owner, { deliveredSeq: seq, leaseUntil: leaseEnd(leaseMs) });
  }

  /** Records why the last attempt failed, for operators; false when the lease is no longer `owner`'s. */
  async recordFailure(url: string, owner: string, error: string, leaseMs: number): Promise<boolean> {
    return this.updateHeld(url, owner, {
      lastError: error.slice(0, MAX_ERROR_LENGTH),
      lastErrorAt: sql`now()`,
      leaseUntil: leaseEnd(leaseMs),
    });
  }

  /** Frees the lease so that another worker takes over at once, keeping the position. */
  async release(url: string, owner: string): Promise<void> {
    await this.updateHeld(url, owner, { leaseOwner: null, leaseUntil: null });
  }

  /** Up to `limit` notifications after position `seq`, oldest first, with their alert and account. */
  async notificationsAfter(seq: number, limit: number): Promise<NotificationRow[]> {
    const rows = await this.db
      .select({
        seq: alertNotifications.seq,
        eventId: alertNotifications.eventId,
        type: alertNotifications.type,
        recordedAt: alertNotifications.recordedAt,
        alert: alerts,
        accountName: accounts.name,
        ownerId: accounts.ownerId,
        tier: accounts.tier,
      })
      .from(alertNotifications)
      // The alerts projection writes a notification only with its alert's row, in one transaction.
      .innerJoin(alerts, eq(alerts.alertId, alertNotifications.alertId))
      // The account comes from another projection, which may lag: its fields are then null.
      .leftJoin(accounts, eq(accounts.id, alerts.accountId))
      .where(gt(alertNotifications.seq, seq))
      .orderBy(asc(alertNotifications.seq))
      .limit(limit);
    return rows.map((row) => ({
      seq: Number(row.seq),
      eventId: row.eventId,
      type: row.type,
      recordedAt: row.recordedAt,
      alert: row.alert,
      account:
        row.accountName === null || row.ownerId === null || row.tier === null
          ? null
          : { name: row.accountName, ownerId: row.ownerId, tier: row.tier },
    }));
  }

  private async updateHeld(
    url: string,
    owner: string,
    set: PgUpdateSetSource<typeof webhookCursors>,
  ): Promise<boolean> {
    const rows = await this.db
      .update(webhookCursors)
      .set(set)
      .where(and(eq(webhookCursors.url, url), eq(webhookCursors.leaseOwner, owner)))
      .returning({ url: webhookCursors.url });
    return rows.length > 0;
  }
}

/** The database's clock decides expiry, so workers on hosts whose clocks differ agree on it. */
function leaseEnd(leaseMs: number) {
  return sql`now() + (${Math.round(leaseMs)}::integer * interval '1 millisecond')`;
}
