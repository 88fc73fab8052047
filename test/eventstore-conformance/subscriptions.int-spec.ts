import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import {
  END,
  jsonEvent,
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';

import {
  Collector,
  comparePositions,
  delay,
  endOfAll,
  readAllOf,
  uniqueName,
  useEventStore,
  waitFor,
} from './harness.js';

const es = useEventStore();

const numbered = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    jsonEvent({ id: randomUUID(), type: 'Numbered', data: { n: from + i } }),
  );

const eventsOf = <E extends ResolvedEvent | AllStreamResolvedEvent>(items: readonly E[]) =>
  items.map((r) => {
    if (!r.event) throw new Error('a subscription delivered a resolved event without an event');
    return r.event as NonNullable<E['event']>;
  });

describe('subscribeToStream', () => {
  it('from START delivers past events, then live ones', async () => {
    const stream = uniqueName('sub-start');
    await es.client.appendToStream(stream, numbered(3));
    const sub = es.client.subscribeToStream(stream, { fromRevision: START });
    try {
      const collector = new Collector(sub);
      await collector.atLeast(3);
      await es.client.appendToStream(stream, numbered(2, 3));
      const events = eventsOf(await collector.atLeast(5));

      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(events.map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('from a revision starts AFTER that revision', async () => {
    const stream = uniqueName('sub-from-rev');
    await es.client.appendToStream(stream, numbered(5));
    const sub = es.client.subscribeToStream(stream, { fromRevision: 2n });
    try {
      const collector = new Collector(sub);
      await collector.atLeast(2);
      await es.client.appendToStream(stream, numbered(1, 5));
      const events = eventsOf(await collector.atLeast(3));

      expect(events.map((e) => e.revision)).toEqual([3n, 4n, 5n]);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('from END delivers only events appended after it started', async () => {
    const stream = uniqueName('sub-end');
    await es.client.appendToStream(stream, numbered(2));
    const sub = es.client.subscribeToStream(stream, { fromRevision: END });
    try {
      const collector = new Collector(sub);
      await waitFor(sub, 'confirmation');
      const later = numbered(2, 2);
      await es.client.appendToStream(stream, later);
      await collector.atLeast(2);
      await delay(200);

      expect(eventsOf(collector.items).map((e) => e.id)).toEqual(later.map((e) => e.id));
    } finally {
      await sub.unsubscribe();
    }
  });

  it('to a missing stream waits for it and then receives its first events', async () => {
    const stream = uniqueName('sub-missing');
    const sub = es.client.subscribeToStream(stream);
    try {
      const collector = new Collector(sub);
      await waitFor(sub, 'confirmation');
      await delay(300);
      expect(collector.items).toHaveLength(0);

      const written = numbered(2);
      await es.client.appendToStream(stream, written);
      const events = eventsOf(await collector.atLeast(2));

      expect(events.map((e) => e.id)).toEqual(written.map((e) => e.id));
      expect(events.map((e) => e.revision)).toEqual([0n, 1n]);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('signals caughtUp after the past events and before the live ones', async () => {
    const stream = uniqueName('sub-caught-up');
    await es.client.appendToStream(stream, numbered(3));
    const sub = es.client.subscribeToStream(stream);
    try {
      const collector = new Collector(sub);
      const seenAtCaughtUp: number[] = [];
      sub.on('caughtUp', () => seenAtCaughtUp.push(collector.items.length));
      await waitFor(sub, 'caughtUp');
      await es.client.appendToStream(stream, numbered(2, 3));
      const events = eventsOf(await collector.atLeast(5));

      expect(seenAtCaughtUp).toEqual([3]);
      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    } finally {
      await sub.unsubscribe();
    }
  });
});

describe('subscribeToAll', () => {
  it('from a position starts AFTER that position', async () => {
    const stream = uniqueName('suball-from-pos');
    const from = await endOfAll(es.client);
    await es.client.appendToStream(stream, numbered(5));
    const records = await readAllOf(es.client, stream, from);
    expect(records).toHaveLength(5);

    const sub = es.client.subscribeToAll({
      fromPosition: records[2].position,
      filter: streamNameFilter({ prefixes: [stream] }),
    });
    try {
      const collector = new Collector(sub);
      const events = eventsOf(await collector.atLeast(2));
      await delay(100);

      expect(events.map((e) => e.id)).toEqual([records[3].id, records[4].id]);
      expect(collector.items).toHaveLength(2);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('from a position without a filter starts with the next event of the log', async () => {
    const stream = uniqueName('suball-nofilter');
    const from = await endOfAll(es.client);
    await es.client.appendToStream(stream, numbered(3));
    const records = await readAllOf(es.client, stream, from);

    const sub = es.client.subscribeToAll({ fromPosition: records[0].position });
    try {
      const collector = new Collector(sub);
      const [first, second] = eventsOf(await collector.atLeast(2));

      expect([first.id, second.id]).toEqual([records[1].id, records[2].id]);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('from END delivers only events appended after it started', async () => {
    const prefix = uniqueName('suball-end');
    await es.client.appendToStream(`${prefix}-a`, numbered(2));
    const sub = es.client.subscribeToAll({
      fromPosition: END,
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    try {
      const collector = new Collector(sub);
      await waitFor(sub, 'confirmation');
      const later = numbered(2, 2);
      await es.client.appendToStream(`${prefix}-a`, later);
      await collector.atLeast(2);
      await delay(200);

      expect(eventsOf(collector.items).map((e) => e.id)).toEqual(later.map((e) => e.id));
    } finally {
      await sub.unsubscribe();
    }
  });
});

describe('catch-up then live under concurrent appends', () => {
  const WRITERS = 4;
  const PER_WRITER = 30;
  const TOTAL = WRITERS * PER_WRITER;

  it('neither loses nor repeats an event on $all (filtered) nor on a stream', async () => {
    const prefix = uniqueName('live');
    const stream = `${prefix}-shared`;
    const from = await endOfAll(es.client);
    const writer = es.newClient();
    let appended = 0;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        await writer.appendToStream(stream, jsonEvent({ id: randomUUID(), type: 'Written', data: { w, i } }));
        appended++;
        await delay(2 + Math.random() * 4);
      }
    });
    const allWriters = Promise.all(writers);
    let writeFailure: unknown;
    allWriters.catch((error: unknown) => (writeFailure = error));

    const deadline = Date.now() + 10_000;
    while (appended < 20 && writeFailure === undefined && Date.now() < deadline) await delay(1);
    if (writeFailure !== undefined) throw writeFailure;
    const appendedAtSubscribe = appended;
    const allSub = es.client.subscribeToAll({
      fromPosition: from,
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    const streamSub = es.client.subscribeToStream(stream, { fromRevision: START });
    try {
      const allCollector = new Collector(allSub);
      const streamCollector = new Collector(streamSub);
      const [viaAll, viaStream] = await Promise.all([
        allCollector.atLeast(TOTAL, 20_000),
        streamCollector.atLeast(TOTAL, 20_000),
      ]);
      await allWriters;
      await delay(200);

      // The subscriptions really started while appends were still going on.
      expect(appendedAtSubscribe).toBeLessThan(TOTAL);
      const allEvents = eventsOf(viaAll);
      const streamEvents = eventsOf(viaStream);
      expect(allCollector.items).toHaveLength(TOTAL);
      expect(streamCollector.items).toHaveLength(TOTAL);
      expect(new Set(allEvents.map((e) => e.id)).size).toBe(TOTAL);
      expect(streamEvents.map((e) => e.revision)).toEqual(Array.from({ length: TOTAL }, (_, i) => BigInt(i)));
      expect(allEvents.map((e) => e.id)).toEqual(streamEvents.map((e) => e.id));
      for (let i = 1; i < allEvents.length; i++) {
        expect(comparePositions(allEvents[i - 1].position, allEvents[i].position)).toBe(-1);
      }
      for (let w = 0; w < WRITERS; w++) {
        const sequence = allEvents.flatMap((e) => {
          const data = e.data as { w: number; i: number };
          return data.w === w ? [data.i] : [];
        });
        expect(sequence).toEqual(Array.from({ length: PER_WRITER }, (_, i) => i));
      }
    } finally {
      await Promise.all([allSub.unsubscribe(), streamSub.unsubscribe()]);
      await allWriters.catch(() => {});
    }
  });
});
