import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import {
  ANY,
  jsonEvent,
  NO_STREAM,
  WrongExpectedVersionError,
  type AppendResult,
} from '@eventstore/db-client';

import { APPEND_PATHS, readEvents, rejectionOf, uniqueName, useEventStore } from './harness.js';

const es = useEventStore();

const event = (label: string) => jsonEvent({ id: randomUUID(), type: 'NoteTaken', data: { label } });

describe.each(APPEND_PATHS)('idempotent appends through $path', ({ options }) => {
  // EventStoreDB answers an idempotent retry without a log position (it wrote nothing); the
  // embedded server reports the original one. Either way, a position that is reported must be
  // the original's.
  const expectSameResult = (retry: AppendResult, original: AppendResult) => {
    expect(retry.success).toBe(true);
    expect(retry.nextExpectedRevision).toBe(original.nextExpectedRevision);
    if (es.target.embedded) expect(retry.position).toEqual(original.position);
    else expect([undefined, original.position]).toContainEqual(retry.position);
  };

  it('re-appending the same ids with NO_STREAM succeeds, writes nothing and reports the original result', async () => {
    const stream = uniqueName('idem-new');
    const events = [event('a'), event('b')];

    const original = await es.client.appendToStream(stream, events, {
      ...options,
      expectedRevision: NO_STREAM,
    });
    const retry = await es.client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM });

    expect(original.nextExpectedRevision).toBe(1n);
    expectSameResult(retry, original);
    expect((await readEvents(es.client, stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('re-appending the same ids at the same exact revision succeeds even after later appends', async () => {
    const stream = uniqueName('idem-exact');
    const first = [event('a'), event('b')];
    const second = [event('c'), event('d')];
    const later = event('e');
    await es.client.appendToStream(stream, first, { ...options, expectedRevision: NO_STREAM });

    const original = await es.client.appendToStream(stream, second, { ...options, expectedRevision: 1n });
    const immediateRetry = await es.client.appendToStream(stream, second, {
      ...options,
      expectedRevision: 1n,
    });
    await es.client.appendToStream(stream, later, { ...options, expectedRevision: 3n });
    const lateRetry = await es.client.appendToStream(stream, second, { ...options, expectedRevision: 1n });

    expect(original.nextExpectedRevision).toBe(3n);
    expectSameResult(immediateRetry, original);
    expectSameResult(lateRetry, original);
    expect((await readEvents(es.client, stream)).map((e) => e.id)).toEqual(
      [...first, ...second, later].map((e) => e.id),
    );
  });

  // With ANY, ids are only remembered for a bounded recent window (EventStoreDB; the embedded
  // server keeps the last 100 000 in memory), so applications must not rely on it. This retry
  // stays inside the window.
  it('re-appending a recent event with ANY does not write it twice', async () => {
    const stream = uniqueName('idem-any');
    const events = [event('a'), event('b')];

    const original = await es.client.appendToStream(stream, events, { ...options, expectedRevision: ANY });
    const retry = await es.client.appendToStream(stream, events, { ...options, expectedRevision: ANY });

    expectSameResult(retry, original);
    expect(await readEvents(es.client, stream)).toHaveLength(2);
  });

  it('a partial overlap of ids at the same expected revision fails with WrongExpectedVersionError', async () => {
    const stream = uniqueName('idem-partial');
    const [a, b] = [event('a'), event('b')];
    await es.client.appendToStream(stream, [a, b], { ...options, expectedRevision: NO_STREAM });

    const error = await rejectionOf(
      es.client.appendToStream(stream, [a, event('new')], { ...options, expectedRevision: NO_STREAM }),
    );

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream });
    expect((await readEvents(es.client, stream)).map((e) => e.id)).toEqual([a.id, b.id]);
  });

  it('a partial overlap at an exact revision fails with WrongExpectedVersionError', async () => {
    const stream = uniqueName('idem-partial-exact');
    const [a, b, c] = [event('a'), event('b'), event('c')];
    await es.client.appendToStream(stream, a, { ...options, expectedRevision: NO_STREAM });
    await es.client.appendToStream(stream, [b, c], { ...options, expectedRevision: 0n });

    const error = await rejectionOf(
      es.client.appendToStream(stream, [b, event('other')], { ...options, expectedRevision: 0n }),
    );

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect((await readEvents(es.client, stream)).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
  });
});
