import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { sql } from 'drizzle-orm';

import { alertNotifications, ReadModelDatabase } from '#read-model';

import { alertNodeFromRow, type AlertAccount, type AlertNode, type AlertRow } from '../alerts/alert-node.js';
import type { AlertEventType } from '../types/enums.js';

/** One alert notification: what happened, the alert as it now stands, and its place in the feed. */
export interface FeedItem {
  readonly seq: number;
  readonly type: AlertEventType;
  readonly alert: AlertNode;
}

type Listener = (items: readonly FeedItem[]) => void;

/**
 * The feed's poll, several times a second while anyone listens: a fixed statement, prepared once
 * per connection, with each notification's alert as it now stands and its account's current name,
 * owner and tier.
 */
const NOTIFICATIONS_AFTER = {
  name: 'alert-notifications-after-v1',
  text: `
select n.seq, n.type, a.alert_id as "alertId", a.kind, a.severity, a.status,
  a.account_id as "accountId", a.title, a.detail, a.raised_at as "raisedAt",
  a.acknowledged_at as "acknowledgedAt", a.acknowledged_by as "acknowledgedBy",
  a.resolved_at as "resolvedAt", a.resolution, acc.name, acc.owner_id as "ownerId", acc.tier
from alert_notifications n
join alerts a on a.alert_id = n.alert_id
join accounts acc on acc.id = a.account_id
where n.seq > $1
order by n.seq
limit $2`,
};

/** A row of NOTIFICATIONS_AFTER as node-postgres parses it: the alert's columns, its account's. */
type FeedRow = AlertRow & AlertAccount & { seq: string | number; type: AlertEventType };

/** How often the feed looks for new notifications while someone listens. */
export const FEED_POLL_MS = 100;
const PAGE = 500;

/**
 * The alert notifications in the order the alerts projection stored them (`alert_notifications`,
 * a sequence that grows in commit order), read from the read model so every API replica serves the
 * same feed whichever process projects. Live listeners get each new notification once; a reader
 * resuming from a position reads what came after it first ({@link after}).
 */
@Injectable()
export class AlertFeed implements OnModuleDestroy {
  private readonly logger = new Logger('AlertFeed');
  private readonly listeners = new Set<Listener>();
  private position: number | undefined;
  private positioning: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(private readonly database: ReadModelDatabase) {}

  onModuleDestroy(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  /** The position of the newest notification stored (0 before the first). */
  async head(): Promise<number> {
    const [row] = await this.database.db
      .select({ seq: sql<string | number | null>`max(${alertNotifications.seq})` })
      .from(alertNotifications);
    return Number(row?.seq ?? 0);
  }

  /** Up to `limit` notifications after position `seq`, oldest first. */
  async after(seq: number, limit = PAGE): Promise<FeedItem[]> {
    const rows = await this.database.run<FeedRow>(NOTIFICATIONS_AFTER, [seq, limit]);
    return rows.map((row) => ({
      seq: Number(row.seq),
      type: row.type,
      alert: alertNodeFromRow(row, { name: row.name, ownerId: row.ownerId, tier: row.tier }),
    }));
  }

  /**
   * Calls `listener` with every notification stored after the feed's position, which is fixed
   * before this resolves: a reader that then reads the backlog up to the end misses nothing in
   * between. Returns the function that stops it.
   */
  async listen(listener: Listener): Promise<() => void> {
    this.positioning ??= this.head().then((head) => {
      this.position ??= head;
    });
    try {
      await this.positioning;
    } finally {
      this.positioning = undefined;
    }
    this.listeners.add(listener);
    if (this.timer === undefined && !this.polling) this.schedule(0);
    return () => this.listeners.delete(listener);
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.listeners.size === 0) {
      // Nobody listens: the next listener starts from the head again.
      this.timer = undefined;
      if (this.positioning === undefined) this.position = undefined;
      return;
    }
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    try {
      for (;;) {
        if (this.position === undefined) break;
        const items = await this.after(this.position);
        if (items.length === 0) break;
        this.position = items[items.length - 1].seq;
        for (const listener of this.listeners) listener(items);
        if (items.length < PAGE) break;
      }
    } catch (error) {
      this.logger.warn({ msg: 'Reading alert notifications failed; retrying', err: error });
    } finally {
      this.polling = false;
      this.schedule(FEED_POLL_MS);
    }
  }
}
