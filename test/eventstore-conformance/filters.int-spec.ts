import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import {
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type Filter,
  type Position,
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

interface Written {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
}

/**
 * Subscribes to $all with `filter` from just before a five-event scenario, appends two events of
 * it before the subscription starts and three while it is live, and returns the scenario events
 * the subscription delivered (waiting for `last`, then a little longer for strays).
 */
async function runScenario(makeFilter: (prefix: string) => Filter, last: number) {
  const prefix = uniqueName('flt');
  const scenario: Written[] = [
    { id: randomUUID(), stream: `${prefix}-alpha-1`, type: `${prefix}.OrderPlaced` },
    { id: randomUUID(), stream: `${prefix}-beta-1`, type: `$${prefix}.Internal` },
    { id: randomUUID(), stream: `${prefix}-alpha-2`, type: `${prefix}.OrderShipped` },
    { id: randomUUID(), stream: `${prefix}-gamma-1`, type: `${prefix}.OrderPlaced` },
    { id: randomUUID(), stream: `${prefix}-beta-2`, type: `${prefix}.InvoiceSent` },
  ];
  const append = (w: Written) =>
    es.client.appendToStream(w.stream, jsonEvent({ id: w.id, type: w.type, data: {} }));

  const from = await endOfAll(es.client);
  for (const w of scenario.slice(0, 2)) await append(w);
  const sub = es.client.subscribeToAll({ fromPosition: from, filter: makeFilter(prefix) });
  try {
    const collector = new Collector(sub);
    await waitFor(sub, 'confirmation');
    for (const w of scenario.slice(2)) await append(w);
    await collector.until((items) => items.some((r) => r.event?.id === scenario[last].id));
    await delay(300);

    // Every scenario event is in $all, so whatever is missing was filtered out by the server.
    expect((await readAllOf(es.client, prefix, from)).map((e) => e.id)).toEqual(scenario.map((w) => w.id));
    const received = collector.items.map((r) => r.event!);
    const index = new Map(scenario.map((w, i) => [w.id, i]));
    return {
      received,
      /** Indexes into the scenario of the received scenario events, in delivery order. */
      mine: received.flatMap((e) => (index.has(e.id) ? [index.get(e.id)!] : [])),
    };
  } finally {
    await sub.unsubscribe();
  }
}

describe('filtered subscribeToAll', () => {
  it('streamNameFilter with one prefix delivers only matching streams', async () => {
    const { received, mine } = await runScenario((p) => streamNameFilter({ prefixes: [`${p}-alpha`] }), 2);

    expect(mine).toEqual([0, 2]);
    expect(received).toHaveLength(2);
  });

  it('streamNameFilter with several prefixes delivers streams matching any of them', async () => {
    const { received, mine } = await runScenario(
      (p) => streamNameFilter({ prefixes: [`${p}-beta`, `${p}-gamma`] }),
      4,
    );

    expect(mine).toEqual([1, 3, 4]);
    expect(received).toHaveLength(3);
  });

  it('streamNameFilter with a regex delivers only matching streams', async () => {
    const { received, mine } = await runScenario(
      (p) => streamNameFilter({ regex: `^${p}-(alpha|gamma)-\\d+$` }),
      3,
    );

    expect(mine).toEqual([0, 2, 3]);
    expect(received).toHaveLength(3);
  });

  it('eventTypeFilter with a prefix delivers only matching event types', async () => {
    const { received, mine } = await runScenario((p) => eventTypeFilter({ prefixes: [`${p}.Order`] }), 3);

    expect(mine).toEqual([0, 2, 3]);
    expect(received).toHaveLength(3);
  });

  it('eventTypeFilter with a regex delivers only matching event types', async () => {
    const { received, mine } = await runScenario(
      (p) => eventTypeFilter({ regex: `^${p}\\.(InvoiceSent|OrderShipped)$` }),
      4,
    );

    expect(mine).toEqual([2, 4]);
    expect(received).toHaveLength(2);
  });

  it('excludeSystemEvents drops every event whose type starts with $', async () => {
    const { received, mine } = await runScenario(() => excludeSystemEvents(), 4);

    expect(mine).toEqual([0, 2, 3, 4]);
    expect(received.filter((e) => e.type.startsWith('$'))).toEqual([]);
  });
});

describe('checkpoints of filtered subscriptions', () => {
  it('are reached while filtered-out events go by, and their positions grow', async () => {
    const prefix = uniqueName('ckpt');
    const noise = (count: number) =>
      es.client.appendToStream(
        `${prefix}-noise`,
        Array.from({ length: count }, (_, n) => jsonEvent({ type: 'Noise', data: { n } })),
      );
    const from = await endOfAll(es.client);
    await noise(30);

    const checkpoints: Position[] = [];
    const sub = es.client.subscribeToAll({
      fromPosition: from,
      filter: streamNameFilter({
        prefixes: [`${prefix}-wanted`],
        checkpointInterval: 1,
        maxSearchWindow: 5,
        checkpointReached: (_subscription, position) => {
          checkpoints.push(position);
        },
      }),
    });
    try {
      const collector = new Collector(sub);
      await waitFor(sub, 'confirmation');
      await noise(30);
      const wanted = jsonEvent({ type: 'Wanted', data: {} });
      await es.client.appendToStream(`${prefix}-wanted`, wanted);
      await collector.until((items) => items.some((r) => r.event?.id === wanted.id));
      const deadline = Date.now() + 5_000;
      while (checkpoints.length < 3 && Date.now() < deadline) await delay(20);

      expect(collector.items.map((r) => r.event?.id)).toEqual([wanted.id]);
      expect(checkpoints.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < checkpoints.length; i++) {
        expect(comparePositions(checkpoints[i - 1], checkpoints[i])).toBeLessThanOrEqual(0);
      }
      expect(comparePositions(checkpoints[0], checkpoints[checkpoints.length - 1])).toBe(-1);
      if (typeof from === 'object') {
        for (const checkpoint of checkpoints)
          expect(comparePositions(checkpoint, from)).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await sub.unsubscribe();
    }
  });
});
