import { randomUUID } from 'node:crypto';

import type { TestingModule } from '@nestjs/testing';

import { EmbeddedEventStore } from '#embedded-eventstore';
import {
  CatchUpSubscriptionRunner,
  EventStore,
  EventStoreConnection,
  comparePositions,
  createEvent,
  startedBy,
  type AllStreamDomainEvent,
  type CatchUpSubscription,
  type CatchUpSubscriptionOptions,
  type Position,
} from '#eventstore';

import { delay, tempDir, waitFor } from '../support/helpers.js';
import { bootEventStore } from './boot.js';

const context = startedBy('cmd-1', 'system:test');
const numbered = (n: number) => createEvent('NumberRecorded', { n }, context);

/**
 * A projection whose effects and checkpoint are stored together, as a database transaction
 * would: a batch is applied whole or not at all.
 */
class FakeProjection {
  applied: AllStreamDomainEvent[] = [];
  checkpoint: Position | undefined;
  batches: { size: number; checkpoint: Position; lastPosition: Position }[] = [];
  failNext = 0;

  async handle(events: readonly AllStreamDomainEvent[], checkpoint: Position): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database unavailable');
    }
    this.applied = [...this.applied, ...events];
    this.checkpoint = checkpoint;
    this.batches.push({ size: events.length, checkpoint, lastPosition: events[events.length - 1].position });
  }

  numbers(): number[] {
    return this.applied.map((event) => event.data.n as number);
  }

  options(
    name: string,
    prefix: string,
    extra: Partial<CatchUpSubscriptionOptions> = {},
  ): CatchUpSubscriptionOptions {
    return {
      name,
      filter: { streamNamePrefixes: [prefix] },
      loadCheckpoint: async () => this.checkpoint,
      handleBatch: (events, checkpoint) => this.handle(events, checkpoint),
      batchSize: 10,
      maxWaitMs: 20,
      backoff: { initialMs: 50, maxMs: 500 },
      ...extra,
    };
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function appendNumbers(store: EventStore, prefix: string, from: number, to: number): Promise<void> {
  // Spread over a few streams so that order across streams is checked too.
  for (const n of range(from, to)) {
    await store.append(`${prefix}${n % 3}`, [numbered(n)], 'any');
  }
}

describe('subscribeCatchUp against the embedded server', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let moduleRef: TestingModule;
  let store: EventStore;
  const subscriptions: CatchUpSubscription[] = [];
  const subscribe = (options: CatchUpSubscriptionOptions) => {
    const subscription = store.subscribeCatchUp(options);
    subscriptions.push(subscription);
    return subscription;
  };

  /**
   * A runner whose `received()` tells how many events it has taken from the server so far (it
   * upcasts each as it takes it), to see what it reads while the handler works.
   */
  const countingRunner = (options: CatchUpSubscriptionOptions) => {
    let received = 0;
    const runner = new CatchUpSubscriptionRunner(
      moduleRef.get(EventStoreConnection).client,
      options,
      (event) => {
        received += 1;
        return event;
      },
    ).start();
    subscriptions.push(runner);
    return { runner, received: () => received };
  };

  beforeAll(async () => {
    dir = await tempDir('subscription-int');
    moduleRef = await bootEventStore({ DATA_DIR: dir.path });
    store = moduleRef.get(EventStore);
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dir?.remove();
  });

  it('hands past and live events in batches, each with the position of its last event', async () => {
    const prefix = `batch${randomUUID().slice(0, 8)}-`;
    const other = `other${randomUUID().slice(0, 8)}-`;
    await appendNumbers(store, prefix, 1, 25);
    await appendNumbers(store, other, 1, 5);

    const projection = new FakeProjection();
    // A wait long enough that the past events fill whole batches however slowly they arrive
    // (the live ones, fewer than a batch, are handed when it ends).
    const subscription = subscribe(projection.options('batches', prefix, { maxWaitMs: 1_000 }));
    await waitFor(() => projection.applied.length >= 25, 10_000, 'the past events');
    await appendNumbers(store, prefix, 26, 30);
    await waitFor(() => projection.applied.length >= 30, 10_000, 'the live events');
    await delay(100);

    expect(projection.numbers()).toEqual(range(1, 30));
    expect(projection.applied.every((event) => event.streamName.startsWith(prefix))).toBe(true);
    expect(projection.batches.every((batch) => batch.size >= 1 && batch.size <= 10)).toBe(true);
    expect(projection.batches.some((batch) => batch.size === 10)).toBe(true);
    for (const batch of projection.batches) expect(batch.checkpoint).toEqual(batch.lastPosition);
    const positions = projection.applied.map((event) => event.position);
    for (let i = 1; i < positions.length; i += 1) {
      expect(comparePositions(positions[i - 1], positions[i])).toBeLessThan(0);
    }
    expect(subscription.checkpoint).toEqual(projection.checkpoint);
    expect(projection.applied[0]).toMatchObject({
      type: 'NumberRecorded',
      metadata: { correlationId: 'cmd-1', causationId: 'cmd-1', principal: 'system:test', schemaVersion: 1 },
    });
  });

  it('delivers a partial batch after maxWaitMs', async () => {
    const prefix = `wait${randomUUID().slice(0, 8)}-`;
    const projection = new FakeProjection();
    subscribe(projection.options('wait', prefix, { batchSize: 100, maxWaitMs: 50 }));
    await appendNumbers(store, prefix, 1, 3);
    await waitFor(() => projection.applied.length === 3, 5_000, 'a partial batch');
    expect(projection.numbers()).toEqual([1, 2, 3]);
  });

  it('filters on exact event types', async () => {
    const tag = randomUUID().slice(0, 8);
    const wanted = `Wanted${tag}`;
    await store.append(`types-${tag}`, [createEvent(wanted, { n: 1 }, context)], 'any');
    await store.append(`types-${tag}`, [createEvent(`${wanted}Not`, { n: 2 }, context)], 'any');
    await store.append(`types-${tag}`, [createEvent(`Other${tag}`, { n: 3 }, context)], 'any');
    await store.append(`types-${tag}`, [createEvent(wanted, { n: 4 }, context)], 'any');

    const projection = new FakeProjection();
    subscribe({ ...projection.options('types', ''), filter: { eventTypes: [wanted] } });
    await waitFor(() => projection.applied.length >= 2, 5_000, 'the wanted events');
    await delay(100);
    expect(projection.numbers()).toEqual([1, 4]);
  });

  it('resumes from the stored checkpoint without repeating anything', async () => {
    const prefix = `resume${randomUUID().slice(0, 8)}-`;
    await appendNumbers(store, prefix, 1, 12);
    const projection = new FakeProjection();

    const first = subscribe(projection.options('resume', prefix));
    await waitFor(() => projection.applied.length >= 12, 10_000, 'the first run');
    await first.stop();
    const checkpointAfterFirstRun = projection.checkpoint;

    await appendNumbers(store, prefix, 13, 20);
    const second = subscribe(projection.options('resume', prefix));
    await waitFor(() => projection.applied.length >= 20, 10_000, 'the second run');
    await delay(100);

    expect(projection.numbers()).toEqual(range(1, 20));
    const secondRun = projection.applied.slice(12);
    expect(secondRun.every((event) => comparePositions(event.position, checkpointAfterFirstRun!) > 0)).toBe(
      true,
    );
    expect(second.checkpoint).toEqual(projection.applied[19].position);
  });

  it('hands a refused batch again, so nothing is lost or applied twice', async () => {
    const prefix = `retry${randomUUID().slice(0, 8)}-`;
    await appendNumbers(store, prefix, 1, 15);
    const projection = new FakeProjection();
    projection.failNext = 2;

    const subscription = subscribe(projection.options('retry', prefix));
    await waitFor(() => projection.applied.length >= 15, 10_000, 'the retried events');
    await delay(100);
    expect(projection.numbers()).toEqual(range(1, 15));
    expect(subscription.reconnections).toBe(2);
  });

  it('after a refused batch, resumes from the stored checkpoint even when something else moved it', async () => {
    const prefix = `moved${randomUUID().slice(0, 8)}-`;
    const positions: Position[] = [];
    for (const n of range(1, 12)) {
      positions.push((await store.append(`${prefix}${n % 3}`, [numbered(n)], 'any')).position!);
    }
    const projection = new FakeProjection();
    let refused = false;
    const subscription = subscribe({
      ...projection.options('moved', prefix, { batchSize: 4 }),
      handleBatch: async (events, checkpoint) => {
        if (!refused) {
          refused = true;
          // Meanwhile another writer (a rebuild) stored everything up to the 8th event.
          projection.checkpoint = positions[7];
          throw new Error('the tables were replaced');
        }
        await projection.handle(events, checkpoint);
      },
    });
    await waitFor(() => projection.applied.length >= 4, 10_000, 'the events after the stored checkpoint');
    await delay(100);
    expect(projection.numbers()).toEqual(range(9, 12));
    expect(subscription.reconnections).toBe(1);
    expect(subscription.checkpoint).toEqual(positions[11]);
  });

  it('asks a batch-size function as each batch fills, so that the cap can change between batches', async () => {
    const prefix = `cap${randomUUID().slice(0, 8)}-`;
    await appendNumbers(store, prefix, 1, 25);
    const projection = new FakeProjection();
    let handed = 0;
    subscribe({
      // Batches are cut by size alone here, however slowly the events arrive.
      ...projection.options('cap', prefix, { maxWaitMs: 10_000 }),
      batchSize: () => (handed === 0 ? 4 : 7),
      handleBatch: (events, checkpoint) => {
        handed += 1;
        return projection.handle(events, checkpoint);
      },
    });
    await waitFor(() => projection.applied.length >= 25, 10_000, 'every event');
    expect(projection.batches.map((batch) => batch.size)).toEqual([4, 7, 7, 7]);
    expect(projection.numbers()).toEqual(range(1, 25));
  });

  it('reads the next batch while the handler stores one, and hands one batch at a time, in order', async () => {
    const prefix = `ahead${randomUUID().slice(0, 8)}-`;
    await appendNumbers(store, prefix, 1, 30);
    const projection = new FakeProjection();
    let handling = 0;
    let overlapped = false;
    const receivedWhileFirstHandled: number[] = [];
    const { received } = countingRunner({
      // Batches are cut by size alone here, however slowly the events arrive.
      ...projection.options('ahead', prefix, { maxWaitMs: 10_000 }),
      handleBatch: async (events, checkpoint) => {
        handling += 1;
        if (handling > 1) overlapped = true;
        try {
          if (projection.batches.length === 0) {
            // The first batch is held until the second has been read (or 5 s have passed).
            await waitFor(() => received() >= 20, 5_000, 'the next batch read ahead').catch(() => undefined);
            receivedWhileFirstHandled.push(received());
          }
          await projection.handle(events, checkpoint);
        } finally {
          handling -= 1;
        }
      },
    });
    await waitFor(() => projection.applied.length >= 30, 10_000, 'every event');
    await delay(100);
    expect(receivedWhileFirstHandled).toEqual([20]);
    expect(overlapped).toBe(false);
    expect(projection.numbers()).toEqual(range(1, 30));
    expect(projection.batches.map((batch) => batch.size)).toEqual([10, 10, 10]);
  });

  it('drops the batch read ahead when the one before it fails, and hands both again in order', async () => {
    const prefix = `aheadfail${randomUUID().slice(0, 8)}-`;
    await appendNumbers(store, prefix, 1, 30);
    const projection = new FakeProjection();
    let first = true;
    const { runner, received } = countingRunner({
      ...projection.options('aheadfail', prefix, { maxWaitMs: 10_000 }),
      handleBatch: async (events, checkpoint) => {
        if (first) {
          first = false;
          // Fails once the next batch is with the runner.
          await waitFor(() => received() >= 20, 5_000, 'the next batch read ahead');
          throw new Error('database unavailable');
        }
        await projection.handle(events, checkpoint);
      },
    });
    await waitFor(() => projection.applied.length >= 30, 10_000, 'every event');
    await delay(100);
    expect(projection.numbers()).toEqual(range(1, 30));
    expect(runner.reconnections).toBe(1);
  });

  it('stops cleanly, and handles nothing after stop()', async () => {
    const prefix = `stop${randomUUID().slice(0, 8)}-`;
    const projection = new FakeProjection();
    const subscription = subscribe(projection.options('stop', prefix));
    await appendNumbers(store, prefix, 1, 2);
    await waitFor(() => projection.applied.length === 2, 5_000, 'the first events');
    await subscription.stop();
    await appendNumbers(store, prefix, 3, 4);
    await delay(200);
    expect(projection.numbers()).toEqual([1, 2]);
  });
});

describe('subscribeCatchUp across an event-store restart', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore | undefined;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    dir = await tempDir('subscription-restart');
  });

  afterAll(async () => {
    await moduleRef?.close();
    await server?.stop();
    await dir?.remove();
  });

  async function appendWithRetry(store: EventStore, stream: string, n: number): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await store.append(stream, [numbered(n)], 'any');
        return;
      } catch (error) {
        if (attempt >= 50) throw error;
        await delay(100);
      }
    }
  }

  it('reconnects from the last accepted checkpoint: nothing lost, nothing repeated', async () => {
    const dataDir = `${dir.path}/eventstore`;
    server = await EmbeddedEventStore.start({ dataDir, port: 0 });
    const port = server.port;
    moduleRef = await bootEventStore({
      DATA_DIR: dir.path,
      EVENTSTORE_CONNECTION_STRING: server.connectionString,
    });
    const store = moduleRef.get(EventStore);
    const projection = new FakeProjection();
    const prefix = 'restart-';
    const subscription = store.subscribeCatchUp(projection.options('restart', prefix));

    for (const n of range(1, 10)) await appendWithRetry(store, `${prefix}${n % 2}`, n);
    await waitFor(() => projection.applied.length >= 10, 10_000, 'the events before the restart');

    await server.stop();
    server = undefined;
    await delay(300);
    server = await EmbeddedEventStore.start({ dataDir, port });

    for (const n of range(11, 20)) await appendWithRetry(store, `${prefix}${n % 2}`, n);
    await waitFor(() => projection.applied.length >= 20, 20_000, 'the events after the restart');
    await delay(200);

    expect(projection.numbers()).toEqual(range(1, 20));
    expect(new Set(projection.applied.map((event) => event.id)).size).toBe(20);
    expect(subscription.reconnections).toBeGreaterThanOrEqual(1);
  });
});
