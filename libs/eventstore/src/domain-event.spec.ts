import { causedBy, createEvent, startedBy } from './domain-event.js';
import { readMetadata, toEventData } from './event-serialization.js';

describe('createEvent', () => {
  it('builds a typed event with schema version 1 by default', () => {
    const event = createEvent('AccountOpened', { accountId: 'a1' }, startedBy('cmd-1', 'user-7'));
    expect(event).toEqual({
      type: 'AccountOpened',
      data: { accountId: 'a1' },
      metadata: { correlationId: 'cmd-1', causationId: 'cmd-1', principal: 'user-7', schemaVersion: 1 },
    });
  });

  it('takes an explicit schema version', () => {
    const event = createEvent('AccountOpened', {}, { ...startedBy('c', 'p'), schemaVersion: 4 });
    expect(event.metadata.schemaVersion).toBe(4);
  });

  it('carries the correlation over to events caused by another event', () => {
    const cause = {
      id: 'evt-9',
      metadata: { correlationId: 'req-1', causationId: 'cmd-1', principal: 'u', schemaVersion: 1 },
    };
    expect(causedBy(cause, 'system:risk-monitor')).toEqual({
      correlationId: 'req-1',
      causationId: 'evt-9',
      principal: 'system:risk-monitor',
    });
  });

  it('keeps a given correlation id for a command that continues a request', () => {
    expect(startedBy('cmd-2', 'u', 'req-1')).toEqual({
      correlationId: 'req-1',
      causationId: 'cmd-2',
      principal: 'u',
    });
  });
});

describe('event serialization', () => {
  it('stores the metadata with the keys EventStoreDB projections read', () => {
    const data = toEventData(createEvent('AccountOpened', { a: 1 }, startedBy('c1', 'p1')));
    expect(data).toMatchObject({
      type: 'AccountOpened',
      contentType: 'application/json',
      data: { a: 1 },
      metadata: {
        correlationId: 'c1',
        causationId: 'c1',
        principal: 'p1',
        schemaVersion: 1,
        $correlationId: 'c1',
        $causationId: 'c1',
      },
    });
    expect(typeof data.id).toBe('string');
  });

  it('reads metadata written by other tools without failing', () => {
    expect(readMetadata(undefined)).toEqual({
      correlationId: '',
      causationId: '',
      principal: '',
      schemaVersion: 1,
    });
    expect(readMetadata({ $correlationId: 'x', $causationId: 'y', schemaVersion: '2' })).toEqual({
      correlationId: 'x',
      causationId: 'y',
      principal: '',
      schemaVersion: 1,
    });
  });
});
