import type { AlertFeed, FeedItem } from './alert-feed.js';
import { alertNotifications, type DirectDelivery } from './alert-subscription.js';

/** An alert feed in memory: stored notifications, and listeners told of new ones as the real feed's poll does. */
class MemoryFeed {
  readonly stored: FeedItem[] = [];
  private readonly listeners = new Set<(items: readonly FeedItem[]) => void>();

  async head(): Promise<number> {
    return this.stored.at(-1)?.seq ?? 0;
  }

  async after(seq: number): Promise<FeedItem[]> {
    return this.stored.filter((item) => item.seq > seq);
  }

  async listen(listener: (items: readonly FeedItem[]) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listening(): number {
    return this.listeners.size;
  }

  /** Stores notifications and tells every listener, in one call each, as one poll does. */
  publish(...seqs: number[]): void {
    const items = seqs.map((seq) => item(seq));
    this.stored.push(...items);
    for (const listener of this.listeners) listener(items);
  }
}

const item = (seq: number): FeedItem =>
  ({ seq, type: 'RAISED', alert: { id: `alert-${seq}`, ownerId: 'am-1' } }) as unknown as FeedItem;
const everything = () => true;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('alertNotifications', () => {
  it('yields the backlog after `since`, then hands the live ones to direct delivery, in order', async () => {
    const feed = new MemoryFeed();
    feed.publish(1, 2, 3);
    const sent: number[] = [];
    const direct: DirectDelivery = { send: (notification) => sent.push(notification.seq) };
    const abort = new AbortController();
    const notifications = alertNotifications(
      feed as unknown as AlertFeed,
      1,
      everything,
      abort.signal,
      direct,
    );

    expect((await notifications.next()).value?.seq).toBe(2);
    // Published while the consumer is still sending the backlog: queued, not written directly.
    feed.publish(4);
    expect((await notifications.next()).value?.seq).toBe(3);
    expect((await notifications.next()).value?.seq).toBe(4);
    expect(sent).toEqual([]);

    // The consumer asks for more: everything yielded is sent, so delivery goes direct.
    const waiting = notifications.next();
    await tick();
    feed.publish(5, 6);
    feed.publish(6, 7);
    expect(sent).toEqual([5, 6, 7]);

    abort.abort();
    feed.publish(8);
    expect(sent).toEqual([5, 6, 7]);
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    expect(feed.listening).toBe(0);
  });

  it('applies the filter to what it hands over directly', async () => {
    const feed = new MemoryFeed();
    const sent: number[] = [];
    const abort = new AbortController();
    const notifications = alertNotifications(
      feed as unknown as AlertFeed,
      null,
      (notification) => notification.seq % 2 === 0,
      abort.signal,
      { send: (notification) => sent.push(notification.seq) },
    );
    const waiting = notifications.next();
    await tick();
    feed.publish(1, 2, 3, 4);
    expect(sent).toEqual([2, 4]);
    abort.abort();
    await waiting;
  });

  it('yields every live notification itself without direct delivery', async () => {
    const feed = new MemoryFeed();
    const abort = new AbortController();
    const notifications = alertNotifications(feed as unknown as AlertFeed, null, everything, abort.signal);
    const first = notifications.next();
    await tick();
    feed.publish(1, 2);
    expect((await first).value?.seq).toBe(1);
    expect((await notifications.next()).value?.seq).toBe(2);
    abort.abort();
    await expect(notifications.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
