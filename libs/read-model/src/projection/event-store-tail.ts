import { BACKWARDS, END, FORWARDS, START } from '@eventstore/db-client';
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
   * How many events of streams named `prefix…` come after `from`, counting at most `bound + 1`
   * (more than `bound` is all a readiness check needs to know). Cheap when nothing is behind.
   */
  async eventsAfter(
    from: Position | undefined,
    prefix: string,
    bound: number,
    timeoutMs = 2000,
  ): Promise<number> {
    const last = await this.lastPosition(timeoutMs);
    if (last === undefined || (from !== undefined && comparePositions(last, from) <= 0)) return 0;
    let count = 0;
    const reading = this.connection.client.readAll({
      direction: FORWARDS,
      fromPosition: from ?? START,
      maxCount: bound + 2,
      deadline: timeoutMs,
    });
    for await (const resolved of reading) {
      const event = resolved.event;
      if (event === undefined || !event.streamId.startsWith(prefix)) continue;
      if (from !== undefined && event.position !== undefined && comparePositions(event.position, from) <= 0)
        continue;
      if (count <= bound) count += 1;
    }
    return count;
  }
}
