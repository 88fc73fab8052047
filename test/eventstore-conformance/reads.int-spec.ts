import { describe, expect, it } from '@jest/globals';
import {
  BACKWARDS,
  END,
  jsonEvent,
  type AllStreamRecordedEvent,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';

import {
  comparePositions,
  endOfAll,
  readAllOf,
  readEvents,
  toArray,
  uniqueName,
  useEventStore,
} from './harness.js';

const es = useEventStore();

const numbered = (count: number) =>
  Array.from({ length: count }, (_, n) => jsonEvent({ type: 'Numbered', data: { n } }));

/** Appends `count` events in one append and returns their $all records. */
async function appendAndLocate(client: EventStoreDBClient, stream: string, count: number) {
  const from = await endOfAll(client);
  const written = numbered(count);
  await client.appendToStream(stream, written);
  const records = await readAllOf(client, stream, from);
  expect(records.map((r) => r.id)).toEqual(written.map((e) => e.id));
  return records;
}

const ids = (events: ReadonlyArray<{ id: string }>) => events.map((e) => e.id);
const positionOf = (event: AllStreamRecordedEvent): Position => event.position;

describe('reading a stream', () => {
  it('forwards from a revision includes that revision', async () => {
    const stream = uniqueName('read-from');
    await es.client.appendToStream(stream, numbered(5));

    const read = await readEvents(es.client, stream, { fromRevision: 2n });

    expect(read.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
  });

  it('forwards with maxCount returns at most that many events', async () => {
    const stream = uniqueName('read-max');
    await es.client.appendToStream(stream, numbered(5));

    const read = await readEvents(es.client, stream, { fromRevision: 1n, maxCount: 2 });

    expect(read.map((e) => e.revision)).toEqual([1n, 2n]);
  });

  it('forwards from a revision past the end returns nothing', async () => {
    const stream = uniqueName('read-past');
    await es.client.appendToStream(stream, numbered(2));

    expect(await readEvents(es.client, stream, { fromRevision: 10n })).toEqual([]);
  });

  it('backwards from END returns every event newest first', async () => {
    const stream = uniqueName('read-back-end');
    await es.client.appendToStream(stream, numbered(5));

    const read = await readEvents(es.client, stream, { direction: BACKWARDS, fromRevision: END });

    expect(read.map((e) => e.revision)).toEqual([4n, 3n, 2n, 1n, 0n]);
    expect(read.map((e) => e.data)).toEqual([{ n: 4 }, { n: 3 }, { n: 2 }, { n: 1 }, { n: 0 }]);
  });

  it('backwards from a revision includes it and goes down to the first event', async () => {
    const stream = uniqueName('read-back-rev');
    await es.client.appendToStream(stream, numbered(5));

    const read = await readEvents(es.client, stream, { direction: BACKWARDS, fromRevision: 2n });

    expect(read.map((e) => e.revision)).toEqual([2n, 1n, 0n]);
  });

  it('backwards from END with maxCount returns the newest events', async () => {
    const stream = uniqueName('read-back-max');
    await es.client.appendToStream(stream, numbered(5));

    const read = await readEvents(es.client, stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 2,
    });

    expect(read.map((e) => e.revision)).toEqual([4n, 3n]);
  });
});

describe('reading $all', () => {
  it('forwards from a position includes the event at that position', async () => {
    const stream = uniqueName('all-from');
    const records = await appendAndLocate(es.client, stream, 5);

    const read = await toArray(es.client.readAll({ fromPosition: positionOf(records[2]), maxCount: 3 }));

    expect(read.map((r) => r.event?.id)).toEqual(ids(records.slice(2, 5)));
  });

  it('forwards with maxCount returns at most that many events', async () => {
    const stream = uniqueName('all-max');
    const records = await appendAndLocate(es.client, stream, 5);

    const read = await toArray(es.client.readAll({ fromPosition: positionOf(records[0]), maxCount: 2 }));

    expect(read.map((r) => r.event?.id)).toEqual(ids(records.slice(0, 2)));
  });

  it('backwards from END returns the newest events first', async () => {
    const stream = uniqueName('all-back-end');
    const records = await appendAndLocate(es.client, stream, 4);

    const read = await toArray(es.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 200 }));
    const mine = read.flatMap((r) => (r.event?.streamId === stream ? [r.event] : []));

    expect(ids(mine)).toEqual(ids(records).reverse());
    for (let i = 1; i < read.length; i++) {
      expect(comparePositions(read[i - 1].event!.position, read[i].event!.position)).toBe(1);
    }
  });

  it('backwards from a position returns only events strictly before it', async () => {
    const stream = uniqueName('all-back-pos');
    const records = await appendAndLocate(es.client, stream, 5);
    const from = positionOf(records[3]);

    const read = await toArray(es.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: 3 }));

    expect(read.map((r) => r.event?.id)).toEqual(ids([records[2], records[1], records[0]]));
    for (const r of read) expect(comparePositions(r.event!.position, from)).toBe(-1);
  });
});

describe('positions', () => {
  it('grow strictly across appends and within a multi-event append', async () => {
    const stream = uniqueName('positions');
    const from = await endOfAll(es.client);
    const results = [];
    for (let n = 0; n < 5; n++) results.push(await es.client.appendToStream(stream, numbered(1)));
    results.push(await es.client.appendToStream(stream, numbered(3)));

    const records = await readAllOf(es.client, stream, from);

    expect(records).toHaveLength(8);
    for (let i = 1; i < records.length; i++) {
      const [previous, current] = [records[i - 1].position, records[i].position];
      expect(comparePositions(previous, current)).toBe(-1);
      expect(current.commit).toBeGreaterThanOrEqual(previous.commit);
      expect(current.prepare).toBeGreaterThan(previous.prepare);
    }
    // Separate appends are separate commits.
    for (let i = 1; i < 6; i++)
      expect(records[i].position.commit).toBeGreaterThan(records[i - 1].position.commit);
    const appendPositions = results.map((r) => r.position);
    for (const position of appendPositions) expect(position).toBeDefined();
    for (let i = 1; i < appendPositions.length; i++) {
      expect(comparePositions(appendPositions[i - 1]!, appendPositions[i]!)).toBe(-1);
    }
  });
});
