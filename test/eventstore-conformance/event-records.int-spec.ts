import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import {
  BACKWARDS,
  binaryEvent,
  END,
  jsonEvent,
  StreamNotFoundError,
  type RecordedEvent,
} from '@eventstore/db-client';

import {
  delay,
  endOfAll,
  readAllOf,
  readEvents,
  rejectionOf,
  toArray,
  uniqueName,
  useEventStore,
} from './harness.js';

const es = useEventStore();

const ONE_MINUTE = 60_000;

const expectCreatedNow = (event: RecordedEvent) => {
  expect(event.created).toBeInstanceOf(Date);
  expect(Math.abs(event.created.getTime() - Date.now())).toBeLessThan(ONE_MINUTE);
};

describe('event records', () => {
  it('a JSON event round-trips its id, type, data, metadata and content type', async () => {
    const stream = uniqueName('json');
    const written = jsonEvent({
      id: randomUUID(),
      type: 'CustomerRegistered',
      data: { name: 'Zoë Ødegård 🚀', tags: ['a', 'b'], nested: { n: 1.5, ok: true, none: null } },
      metadata: { correlationId: 'c-1', causationId: 'c-0' },
    });

    await es.client.appendToStream(stream, written);
    const [read] = await readEvents(es.client, stream);

    expect(read).toMatchObject({
      streamId: stream,
      id: written.id,
      revision: 0n,
      type: 'CustomerRegistered',
      isJson: true,
      data: written.data,
      metadata: written.metadata,
    });
    expectCreatedNow(read);
  });

  it('JSON data that is an array or a string round-trips', async () => {
    const stream = uniqueName('json-shapes');

    await es.client.appendToStream(stream, [
      jsonEvent({ type: 'ListRecorded', data: [1, 'two', { three: 3 }] }),
      jsonEvent({ type: 'TextRecorded', data: 'just a string' }),
    ]);
    const read = await readEvents(es.client, stream);

    expect(read.map((e) => e.data)).toEqual([[1, 'two', { three: 3 }], 'just a string']);
    expect(read.map((e) => e.isJson)).toEqual([true, true]);
  });

  it('a JSON event without metadata reads back with undefined metadata', async () => {
    const stream = uniqueName('no-metadata');

    await es.client.appendToStream(stream, jsonEvent({ type: 'Bare', data: { x: 1 } }));
    const [read] = await readEvents(es.client, stream);

    expect(read.metadata).toBeUndefined();
  });

  it('a binary event round-trips every byte value of its data and binary metadata', async () => {
    const stream = uniqueName('binary');
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
    const metadata = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]);
    const written = binaryEvent({ id: randomUUID(), type: 'BlobStored', data: bytes, metadata });

    await es.client.appendToStream(stream, written);
    const [read] = await readEvents(es.client, stream);

    expect(read.id).toBe(written.id);
    expect(read.type).toBe('BlobStored');
    expect(read.isJson).toBe(false);
    expect(read.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read.data as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    expect(read.metadata).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read.metadata as Uint8Array).equals(Buffer.from(metadata))).toBe(true);
    expectCreatedNow(read);
  });

  it('a binary event with empty data round-trips as zero bytes', async () => {
    const stream = uniqueName('binary-empty');

    await es.client.appendToStream(stream, binaryEvent({ type: 'Empty', data: new Uint8Array(0) }));
    const [read] = await readEvents(es.client, stream);

    expect(read.isJson).toBe(false);
    expect((read.data as Uint8Array).length).toBe(0);
  });

  it('$all returns the same records as the stream, with positions', async () => {
    const stream = uniqueName('via-all');
    const from = await endOfAll(es.client);
    const written = [
      jsonEvent({ id: randomUUID(), type: 'A', data: { a: 1 }, metadata: { m: 1 } }),
      binaryEvent({ id: randomUUID(), type: 'B', data: Uint8Array.from([1, 2, 3]) }),
    ];

    await es.client.appendToStream(stream, written);
    const viaStream = await readEvents(es.client, stream);
    const viaAll = await readAllOf(es.client, stream, from);

    expect(viaAll).toHaveLength(2);
    viaAll.forEach((event, i) => {
      expect(event.position).toEqual({ commit: expect.any(BigInt), prepare: expect.any(BigInt) });
      const { position: _all, ...recordFromAll } = event;
      const { position: _stream, ...recordFromStream } = viaStream[i];
      expect(recordFromAll).toEqual(recordFromStream);
    });
    expect(viaAll.map((e) => e.id)).toEqual(written.map((e) => e.id));
  });

  it('later events are not created before earlier ones', async () => {
    const stream = uniqueName('created-order');

    await es.client.appendToStream(stream, jsonEvent({ type: 'First', data: {} }));
    await delay(20);
    await es.client.appendToStream(stream, jsonEvent({ type: 'Second', data: {} }));
    const [first, second] = await readEvents(es.client, stream);

    expect(second.created.getTime()).toBeGreaterThanOrEqual(first.created.getTime());
    expect(first.created.getTime()).toBeGreaterThan(0);
  });
});

describe('missing streams', () => {
  it('readStream of a stream that never existed throws StreamNotFoundError when iterated', async () => {
    const stream = uniqueName('missing');

    const error = await rejectionOf(toArray(es.client.readStream(stream)));

    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect((error as StreamNotFoundError).streamName).toBe(stream);
  });

  it('a backwards readStream of a missing stream also throws StreamNotFoundError', async () => {
    const stream = uniqueName('missing-back');

    const error = await rejectionOf(
      toArray(es.client.readStream(stream, { direction: BACKWARDS, fromRevision: END })),
    );

    expect(error).toBeInstanceOf(StreamNotFoundError);
  });
});
