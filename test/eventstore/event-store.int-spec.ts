import { randomUUID } from 'node:crypto';

import type { TestingModule } from '@nestjs/testing';

import {
  ConcurrencyConflictError,
  EventStore,
  EventStoreConnection,
  createEvent,
  startedBy,
  type DomainEvent,
  type RecordedDomainEvent,
  type Upcaster,
} from '#eventstore';

import { tempDir } from '../support/helpers.js';
import { bootEventStore } from './boot.js';

type CounterEvent =
  | DomainEvent<'CounterOpened', { readonly name: string }>
  | DomainEvent<'CounterIncremented', { readonly by: number }>
  | DomainEvent<'CounterRenamed', { readonly to: string }>;

type Counter = { readonly name: string; readonly total: number; readonly seen: readonly string[] };
const initial: Counter = { name: '', total: 0, seen: [] };

function evolve(state: Counter, event: RecordedDomainEvent<CounterEvent>): Counter {
  const seen = [...state.seen, event.type];
  switch (event.type) {
    case 'CounterOpened':
      return { ...state, name: event.data.name, seen };
    case 'CounterIncremented':
      return { ...state, total: state.total + event.data.by, seen };
    case 'CounterRenamed':
      return { ...state, name: event.data.to, seen };
    default:
      return state;
  }
}

const context = startedBy('cmd-1', 'user:ada');
const opened = (name: string) => createEvent('CounterOpened', { name }, context);
const incremented = (by: number) => createEvent('CounterIncremented', { by }, context);

/** v1 of CounterIncremented stored `amount` as a string. */
const incrementedV1ToV2: Upcaster = {
  type: 'CounterIncremented',
  fromSchemaVersion: 1,
  upcast: (event) => ({
    ...event,
    data: { by: Number(event.data.amount) },
    metadata: { ...event.metadata, schemaVersion: 2 },
  }),
};

describe('EventStore against the embedded server', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let moduleRef: TestingModule;
  let store: EventStore;
  const stream = () => `counter-${randomUUID()}`;

  beforeAll(async () => {
    dir = await tempDir('eventstore-int');
    moduleRef = await bootEventStore({ DATA_DIR: dir.path });
    store = moduleRef.get(EventStore);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dir?.remove();
  });

  it('starts the embedded store when no connection string is set', () => {
    const connection = moduleRef.get(EventStoreConnection);
    expect(connection.mode).toBe('embedded');
    expect(connection.connectionString).toMatch(/^esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/);
  });

  it('loads a missing stream as the initial state at revision -1', async () => {
    await expect(store.load(stream(), evolve, initial)).resolves.toEqual({ state: initial, revision: -1n });
  });

  it('folds the events of a stream and reports its revision', async () => {
    const name = stream();
    const first = await store.append(name, [opened('visits'), incremented(2)], -1n);
    expect(first.revision).toBe(1n);
    expect(first.position).toEqual({ commit: expect.any(BigInt), prepare: expect.any(BigInt) });
    const second = await store.append(name, [incremented(5)], first.revision);
    expect(second.revision).toBe(2n);

    const loaded = await store.load(name, evolve, initial);
    expect(loaded).toEqual({
      state: {
        name: 'visits',
        total: 7,
        seen: ['CounterOpened', 'CounterIncremented', 'CounterIncremented'],
      },
      revision: 2n,
    });
  });

  it('appends at the expected revision and refuses a stale one with a stable code', async () => {
    const name = stream();
    await store.append(name, [opened('a')], -1n);
    await store.append(name, [incremented(1)], 0n);

    const stale = store.append(name, [incremented(1)], 0n);
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(stale).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      streamName: name,
      expectedRevision: 0n,
      actualRevision: 1n,
    });
    // The refused append wrote nothing.
    expect((await store.load(name, evolve, initial)).revision).toBe(1n);
  });

  it('refuses to create a stream that exists, and to extend one that does not', async () => {
    const name = stream();
    await store.append(name, [opened('a')], 'no_stream');
    await expect(store.append(name, [opened('b')], -1n)).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      actualRevision: 0n,
    });
    await expect(store.append(stream(), [incremented(1)], 3n)).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      actualRevision: -1n,
    });
    await expect(store.append(stream(), [incremented(1)], 'stream_exists')).rejects.toBeInstanceOf(
      ConcurrencyConflictError,
    );
  });

  it('accepts any revision when asked to', async () => {
    const name = stream();
    await store.append(name, [opened('a')], 'any');
    await expect(store.append(name, [incremented(1)], 'any')).resolves.toMatchObject({ revision: 1n });
  });

  it('refuses an empty append', async () => {
    await expect(store.append(stream(), [], -1n)).rejects.toThrow(RangeError);
  });

  it('round-trips data and metadata, with the record fields', async () => {
    const name = stream();
    const event = createEvent(
      'CounterOpened',
      { name: 'ünïcødé', nested: { list: [1, 'two', null, true] } },
      { correlationId: 'req-42', causationId: 'cmd-7', principal: 'api-key:integration-1', schemaVersion: 3 },
    );
    const { position } = await store.append(name, [event], -1n);

    const read: RecordedDomainEvent[] = [];
    for await (const recorded of store.readStream(name)) read.push(recorded);
    expect(read).toHaveLength(1);
    expect(read[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      streamName: name,
      revision: 0n,
      position,
      created: expect.any(Date),
      type: 'CounterOpened',
      data: { name: 'ünïcødé', nested: { list: [1, 'two', null, true] } },
      metadata: {
        correlationId: 'req-42',
        causationId: 'cmd-7',
        principal: 'api-key:integration-1',
        schemaVersion: 3,
      },
    });
    expect(Math.abs(read[0].created.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('answers a health ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('EventStore upcasting', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    dir = await tempDir('eventstore-upcast');
    moduleRef = await bootEventStore({ DATA_DIR: dir.path }, { upcasters: [incrementedV1ToV2] });
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dir?.remove();
  });

  it('upcasts old shapes by type and schema version when loading, leaving current ones alone', async () => {
    const store = moduleRef.get(EventStore);
    const name = `counter-${randomUUID()}`;
    const old = createEvent('CounterIncremented', { amount: '4' }, { ...context, schemaVersion: 1 });
    const current = createEvent('CounterIncremented', { by: 3 }, { ...context, schemaVersion: 2 });
    await store.append(name, [opened('legacy'), old, current], -1n);

    const { state, revision } = await store.load(name, evolve, initial);
    expect(state.total).toBe(7);
    expect(revision).toBe(2n);

    const versions: number[] = [];
    for await (const event of store.readStream(name)) versions.push(event.metadata.schemaVersion);
    expect(versions).toEqual([1, 2, 2]);
  });
});
