import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import {
  ANY,
  jsonEvent,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import { APPEND_PATHS, readEvents, rejectionOf, uniqueName, useEventStore } from './harness.js';

const es = useEventStore();

const event = (n: number) => jsonEvent({ type: 'CounterIncremented', data: { n } });

describe.each(APPEND_PATHS)('expected revision through $path', ({ options }) => {
  it('ANY creates a missing stream and appends to an existing one', async () => {
    const stream = uniqueName('any');

    const first = await es.client.appendToStream(stream, event(0), { ...options, expectedRevision: ANY });
    const second = await es.client.appendToStream(stream, [event(1), event(2)], {
      ...options,
      expectedRevision: ANY,
    });

    expect(first.success).toBe(true);
    expect(first.nextExpectedRevision).toBe(0n);
    expect(second.nextExpectedRevision).toBe(2n);
    expect((await readEvents(es.client, stream)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('NO_STREAM creates a missing stream', async () => {
    const stream = uniqueName('no-stream');

    const result = await es.client.appendToStream(stream, [event(0), event(1)], {
      ...options,
      expectedRevision: NO_STREAM,
    });

    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(1n);
    expect(await readEvents(es.client, stream)).toHaveLength(2);
  });

  it('NO_STREAM fails with WrongExpectedVersionError when the stream exists', async () => {
    const stream = uniqueName('no-stream-exists');
    await es.client.appendToStream(stream, event(0), options);

    const error = await rejectionOf(
      es.client.appendToStream(stream, event(1), { ...options, expectedRevision: NO_STREAM }),
    );

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: NO_STREAM, actualVersion: 0n });
    expect(await readEvents(es.client, stream)).toHaveLength(1);
  });

  it('STREAM_EXISTS fails with WrongExpectedVersionError when the stream does not exist', async () => {
    const stream = uniqueName('exists-missing');

    const error = await rejectionOf(
      es.client.appendToStream(stream, event(0), { ...options, expectedRevision: STREAM_EXISTS }),
    );

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({
      streamName: stream,
      expectedVersion: STREAM_EXISTS,
      actualVersion: NO_STREAM,
    });
    await expect(readEvents(es.client, stream)).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('STREAM_EXISTS appends to an existing stream', async () => {
    const stream = uniqueName('exists');
    await es.client.appendToStream(stream, event(0), options);

    const result = await es.client.appendToStream(stream, event(1), {
      ...options,
      expectedRevision: STREAM_EXISTS,
    });

    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(1n);
  });

  it('an exact revision that matches the last event appends', async () => {
    const stream = uniqueName('exact');
    const created = await es.client.appendToStream(stream, [event(0), event(1)], options);

    const result = await es.client.appendToStream(stream, event(2), {
      ...options,
      expectedRevision: created.nextExpectedRevision,
    });

    expect(created.nextExpectedRevision).toBe(1n);
    expect(result.nextExpectedRevision).toBe(2n);
    expect((await readEvents(es.client, stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
  });

  it('a wrong exact revision fails with WrongExpectedVersionError carrying stream, expected and actual', async () => {
    const stream = uniqueName('exact-wrong');
    await es.client.appendToStream(stream, [event(0), event(1)], options);

    const behind = await rejectionOf(
      es.client.appendToStream(stream, event(2), { ...options, expectedRevision: 0n }),
    );
    const ahead = await rejectionOf(
      es.client.appendToStream(stream, event(2), { ...options, expectedRevision: 5n }),
    );

    expect(behind).toBeInstanceOf(WrongExpectedVersionError);
    expect(behind).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 1n });
    expect(ahead).toBeInstanceOf(WrongExpectedVersionError);
    expect(ahead).toMatchObject({ streamName: stream, expectedVersion: 5n, actualVersion: 1n });
    expect(await readEvents(es.client, stream)).toHaveLength(2);
  });

  it('an exact revision on a missing stream fails with actualVersion no_stream', async () => {
    const stream = uniqueName('exact-missing');

    const error = await rejectionOf(
      es.client.appendToStream(stream, event(0), { ...options, expectedRevision: 0n }),
    );

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: NO_STREAM });
  });

  it('a multi-event append with a wrong expected revision writes none of its events', async () => {
    const stream = uniqueName('atomic');
    await es.client.appendToStream(stream, [event(0), event(1)], options);
    const rejected = [event(10), event(11), event(12)];

    const wrongRevision = await rejectionOf(
      es.client.appendToStream(stream, rejected, { ...options, expectedRevision: 0n }),
    );
    const wrongNoStream = await rejectionOf(
      es.client.appendToStream(stream, rejected, { ...options, expectedRevision: NO_STREAM }),
    );

    expect(wrongRevision).toBeInstanceOf(WrongExpectedVersionError);
    expect(wrongNoStream).toBeInstanceOf(WrongExpectedVersionError);
    const stored = await readEvents(es.client, stream);
    expect(stored.map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
    expect(stored.map((e) => e.id)).not.toEqual(expect.arrayContaining([rejected[0].id]));
  });

  it('a multi-event append on a missing stream with STREAM_EXISTS leaves the stream missing', async () => {
    const stream = uniqueName('atomic-missing');

    const error = await rejectionOf(
      es.client.appendToStream(stream, [event(0), event(1), event(2)], {
        ...options,
        expectedRevision: STREAM_EXISTS,
      }),
    );

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    await expect(readEvents(es.client, stream)).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('a multi-event append gets consecutive revisions and is not interleaved with a concurrent one', async () => {
    const stream = uniqueName('batch-order');
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 5 }, (_, i) => jsonEvent({ id: randomUUID(), type: 'Numbered', data: { b, i } })),
    );

    await Promise.all(batches.map((batch) => es.client.appendToStream(stream, batch, options)));

    const stored = await readEvents(es.client, stream);
    expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
    for (let start = 0; start < stored.length; start += 5) {
      const b = (stored[start].data as { b: number }).b;
      expect(stored.slice(start, start + 5).map((e) => e.id)).toEqual(batches[b].map((e) => e.id));
    }
  });
});
