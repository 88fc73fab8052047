import { atLeast } from '#alerts';

import type { AlertFilter } from '../alerts/alert-filter.input.js';
import type { AlertFeed, FeedItem } from './alert-feed.js';

/** Whether a notification's alert passes the subscriber's filter and may be shown to them. */
export type FeedPredicate = (item: FeedItem) => boolean;

export function matches(filter: AlertFilter, visible: (ownerId: string) => boolean): FeedPredicate {
  return ({ alert }) =>
    visible(alert.ownerId) &&
    (!filter.statuses?.length || filter.statuses.includes(alert.status)) &&
    (!filter.kinds?.length || filter.kinds.includes(alert.kind)) &&
    (!filter.minSeverity || atLeast(alert.severity, filter.minSeverity)) &&
    (!filter.accountId || alert.accountId === filter.accountId) &&
    (!filter.ownerId || alert.ownerId === filter.ownerId) &&
    (!filter.tiers?.length || filter.tiers.includes(alert.tier));
}

/**
 * Writes a notification to its subscriber directly, without a trip through the subscription's
 * iterators. It must not throw: it runs inside the feed's loop over every listener.
 */
export interface DirectDelivery {
  send(item: FeedItem): void;
}

/**
 * The notifications after position `since` (or from now on, without it), then the live ones, each
 * once and in order: the live listener is attached before the backlog is read, and anything it
 * hears at or before the last position delivered is dropped.
 *
 * With `direct`, once the backlog and whatever arrived meanwhile have been consumed (the consumer
 * asking for the next one means it has sent them), the feed's listener hands every later
 * notification to `direct` itself, and this generator only waits for the end. Delivering to many
 * subscribers is then one loop over the feed's listeners per notification.
 */
export async function* alertNotifications(
  feed: AlertFeed,
  since: number | null,
  keep: FeedPredicate,
  signal: AbortSignal,
  direct?: DirectDelivery,
): AsyncGenerator<FeedItem> {
  const live: FeedItem[] = [];
  let wake: (() => void) | undefined;
  const nextWake = async () => {
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  };
  let delivered = since ?? 0;
  /** Whether `item` is this subscriber's next notification: new, and passing its filter. */
  const due = (item: FeedItem) => {
    if (item.seq <= delivered) return false;
    delivered = item.seq;
    return keep(item);
  };
  let handedOver = false;
  const stop = await feed.listen((items) => {
    if (!handedOver) {
      live.push(...items);
      wake?.();
      return;
    }
    // Ended (client stop, socket closed): nothing more goes out under this subscription's id.
    if (signal.aborted) return;
    for (const item of items) if (due(item)) direct!.send(item);
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    if (since === null) delivered = await feed.head();
    for (;;) {
      const backlog = await feed.after(delivered);
      if (backlog.length === 0) break;
      for (const item of backlog) if (due(item)) yield item;
    }
    while (!signal.aborted) {
      const item = live.shift();
      if (item !== undefined) {
        if (due(item)) yield item;
      } else if (direct) {
        handedOver = true;
        break;
      } else await nextWake();
    }
    while (!signal.aborted) await nextWake();
  } finally {
    stop();
    signal.removeEventListener('abort', onAbort);
  }
}

/** The opaque cursor of a notification: its position in the feed. */
export function feedCursor(seq: number): string {
  return Buffer.from(`alert-feed:${seq}`).toString('base64url');
}

export function feedPosition(cursor: string): number | null {
  const match = /^alert-feed:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? Number(match[1]) : null;
}
