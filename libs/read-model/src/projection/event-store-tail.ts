import { BACKWARDS, END, START, streamNameFilter, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { Injectable } from '@nestjs/common';

import { EventStoreConnection, comparePositions, type Position } from '#eventstore';

/** What the projector has not applied yet, measured at the event store. */
@Injectable()
export class EventStoreTail {
  constructor(private readonly connection: EventStoreConnection) {}

  /** The position of the last event in `$all`; undefined when it is empty. */
  async lastPosition(timeoutMs = 2000): Promise<Position | undefined> {
    let last: Position | undefined;
    const reading = this.connection.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      deadline: timeoutMs,
    });
    // Read to the end (one event): the client waits forever on reads left half way.
    for await (const resolved of reading) last = resolved.event?.position ?? last;
    return last;
  }

  /**
   * The position of the last event of a stream named `prefix…`; undefined when there is none.
   * Reads `$all` backwards a page at a time until it meets one (usually in the first page).
   */
  async lastPositionOf(prefix: string, timeoutMs = 2000, pageSize = 256): Promise<Position | undefined> {
    let before: Position | undefined;
    for (;;) {
      let found: Position | undefined;
      let oldest: Position | undefined;
      let count = 0;
      const reading = this.connection.client.readAll({
        direction: BACKWARDS,
        fromPosition: before ?? END,
        maxCount: pageSize,
        deadline: timeoutMs,
      });
      // Read each page to its end: the client waits forever on reads left half way.
      for await (const resolved of reading) {
        count += 1;
        const event = resolved.event;
        if (event?.position === undefined) continue;
        // Servers differ on whether a backward read includes its start.
        if (before !== undefined && comparePositions(event.position, before) >= 0) continue;
        oldest = event.position;
        if (found === undefined && event.streamId.startsWith(prefix)) found = event.position;
      }
      if (found !== undefined) return found;
      if (count < pageSize || oldest === undefined) return undefined;
      before = oldest;
    }
  }

  /**
   * How many events of streams named with one of `prefixes` come after `from` (up to the end of
   * `$all` as it is when asked), counting at most `bound + 1` (more than `bound` is all a
   * readiness check needs to know). The server filters (a filtered catch-up subscription), so the
   * events of other streams in between cost no transfer; nothing behind costs one read.
   */
  async eventsAfter(
    from: Position | undefined,
    prefixes: string | readonly string[],
    bound: number,
    timeoutMs = 2000,
  ): Promise<number> {
    const last = await this.lastPosition(timeoutMs);
    if (last === undefined || (from !== undefined && comparePositions(last, from) <= 0)) return 0;
    let count = 0;
    let settled = false;
    let resolveCount!: (count: number) => void;
    let rejectCount!: (error: Error) => void;
    const counted = new Promise<number>((resolve, reject) => {
      resolveCount = resolve;
      rejectCount = reject;
    });
    const subscription = this.connection.client.subscribeToAll({
      fromPosition: from ?? START,
      filter: streamNameFilter({
        prefixes: typeof prefixes === 'string' ? [prefixes] : [...prefixes],
        // Past `last` without another matching event: nothing more to count.
        checkpointReached: (_subscription, position) => {
          if (comparePositions(position, last) >= 0) settle();
        },
      }),
    });
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Subscriptions, unlike reads, may be left before their end: unsubscribing ends them.
      void subscription
        .unsubscribe()
        .catch(() => undefined)
        .finally(() => subscription.destroy());
      if (error) rejectCount(error);
      else resolveCount(count);
    };
    const timer = setTimeout(
      () => settle(new Error(`counting the events behind took more than ${timeoutMs} ms`)),
      timeoutMs,
    );
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      const position = resolved.event?.position;
      if (position === undefined || (from !== undefined && comparePositions(position, from) <= 0)) return;
      // Appended since `last` was read: beyond what is measured.
      if (comparePositions(position, last) > 0) return settle();
      count += 1;
      if (count > bound || comparePositions(position, last) === 0) settle();
    });
    // Events the server sent before saying so are delivered first (on the next turns of the loop).
    subscription.on('caughtUp', () => setImmediate(() => settle()));
    subscription.on('error', (error: Error) => settle(error));
    return counted;
  }
}
