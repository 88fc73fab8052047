import { describe, expect, it } from '@jest/globals';
import {
  ANY,
  jsonEvent,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import {
  APPEND_PATHS,
  Collector,
  readEvents,
  rejectionOf,
  toArray,
  uniqueName,
  useEventStore,
} from './harness.js';

const es = useEventStore();

const numbered = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => jsonEvent({ type: 'Numbered', data: { n: from + i } }));

describe('soft delete (deleteStream)', () => {
  it('makes the stream read as not found', async () => {
    const stream = uniqueName('soft');
    await es.client.appendToStream(stream, numbered(3));

    await es.client.deleteStream(stream);
    const error = await rejectionOf(toArray(es.client.readStream(stream)));

    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect((error as StreamNotFoundError).streamName).toBe(stream);
  });

  it('lets a later append recreate the stream with revisions continuing after the deleted ones', async () => {
    const stream = uniqueName('soft-recreate');
    await es.client.appendToStream(stream, numbered(3));
    await es.client.deleteStream(stream);

    const result = await es.client.appendToStream(stream, numbered(2, 3), { expectedRevision: ANY });
    const read = await readEvents(es.client, stream);

    expect(result.nextExpectedRevision).toBe(4n);
    expect(read.map((e) => e.revision)).toEqual([3n, 4n]);
    expect(read.map((e) => e.data)).toEqual([{ n: 3 }, { n: 4 }]);
  });

  it('with the right expected revision deletes the stream', async () => {
    const stream = uniqueName('soft-exact');
    await es.client.appendToStream(stream, numbered(3));

    await es.client.deleteStream(stream, { expectedRevision: 2n });

    await expect(toArray(es.client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('with a wrong expected revision raises WrongExpectedVersionError and keeps the stream', async () => {
    const stream = uniqueName('soft-wrong');
    await es.client.appendToStream(stream, numbered(3));

    const error = await rejectionOf(es.client.deleteStream(stream, { expectedRevision: 5n }));

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 5n, actualVersion: 2n });
    expect(await readEvents(es.client, stream)).toHaveLength(3);
  });

  it('of a missing stream with an exact expected revision raises WrongExpectedVersionError (actual: no stream)', async () => {
    const stream = uniqueName('soft-missing');

    const error = await rejectionOf(es.client.deleteStream(stream, { expectedRevision: 0n }));

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 0n });
    // The embedded server sends an empty actual-version trailer (→ no_stream); EventStoreDB may send -1.
    expect([NO_STREAM, -1n]).toContain((error as WrongExpectedVersionError).actualVersion);
  });
});

describe('tombstone (tombstoneStream)', () => {
  it('makes reads raise StreamDeletedError', async () => {
    const stream = uniqueName('tomb-read');
    await es.client.appendToStream(stream, numbered(2));

    await es.client.tombstoneStream(stream);
    const error = await rejectionOf(toArray(es.client.readStream(stream)));

    expect(error).toBeInstanceOf(StreamDeletedError);
    expect((error as StreamDeletedError).streamName).toBe(stream);
  });

  it.each(APPEND_PATHS)(
    'makes appends through $path raise StreamDeletedError, whatever the expected revision',
    async ({ options }) => {
      const stream = uniqueName('tomb-append');
      await es.client.appendToStream(stream, numbered(2));
      await es.client.tombstoneStream(stream);

      const withAny = await rejectionOf(
        es.client.appendToStream(stream, numbered(1), { ...options, expectedRevision: ANY }),
      );
      const withNoStream = await rejectionOf(
        es.client.appendToStream(stream, numbered(1), { ...options, expectedRevision: NO_STREAM }),
      );

      expect(withAny).toBeInstanceOf(StreamDeletedError);
      expect(withNoStream).toBeInstanceOf(StreamDeletedError);
      await expect(toArray(es.client.readStream(stream))).rejects.toBeInstanceOf(StreamDeletedError);
    },
  );

  it('makes a subscription to the stream fail with StreamDeletedError', async () => {
    const stream = uniqueName('tomb-sub');
    await es.client.appendToStream(stream, numbered(1));
    await es.client.tombstoneStream(stream);

    const sub = es.client.subscribeToStream(stream);
    try {
      const error = await rejectionOf(new Collector(sub).atLeast(1));

      expect(error).toBeInstanceOf(StreamDeletedError);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('is for good: deleting or tombstoning again raises StreamDeletedError', async () => {
    const stream = uniqueName('tomb-again');
    await es.client.appendToStream(stream, numbered(1));
    await es.client.tombstoneStream(stream);

    expect(await rejectionOf(es.client.deleteStream(stream))).toBeInstanceOf(StreamDeletedError);
    expect(await rejectionOf(es.client.tombstoneStream(stream))).toBeInstanceOf(StreamDeletedError);
  });

  it('applies to a soft-deleted stream too', async () => {
    const stream = uniqueName('tomb-after-soft');
    await es.client.appendToStream(stream, numbered(2));
    await es.client.deleteStream(stream);

    await es.client.tombstoneStream(stream);

    await expect(toArray(es.client.readStream(stream))).rejects.toBeInstanceOf(StreamDeletedError);
    expect(await rejectionOf(es.client.appendToStream(stream, numbered(1)))).toBeInstanceOf(
      StreamDeletedError,
    );
  });

  it('with a wrong expected revision raises WrongExpectedVersionError and keeps the stream', async () => {
    const stream = uniqueName('tomb-wrong');
    await es.client.appendToStream(stream, numbered(2));

    const error = await rejectionOf(es.client.tombstoneStream(stream, { expectedRevision: 0n }));

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 1n });
    expect(await readEvents(es.client, stream)).toHaveLength(2);
  });
});
