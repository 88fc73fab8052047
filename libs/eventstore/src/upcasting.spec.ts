import type { DomainEvent, RecordedDomainEvent } from './domain-event.js';
import { EventUpcasterRegistry, upcastEvent, upcasterKey, type Upcaster } from './upcasting.js';

const recorded = (type: string, data: DomainEvent['data'], schemaVersion: number): RecordedDomainEvent => ({
  id: 'e1',
  streamName: 'account-1',
  revision: 3n,
  position: { commit: 10n, prepare: 10n },
  created: new Date('2024-01-01T00:00:00Z'),
  type,
  data,
  metadata: { correlationId: 'c', causationId: 'k', principal: 'p', schemaVersion },
});

const nameSplit: Upcaster = {
  type: 'AccountOpened',
  fromSchemaVersion: 1,
  upcast: (event) => {
    const [first, last] = String(event.data.name).split(' ');
    return {
      ...event,
      data: { firstName: first, lastName: last },
      metadata: { ...event.metadata, schemaVersion: 2 },
    };
  },
};
const addTier: Upcaster = {
  type: 'AccountOpened',
  fromSchemaVersion: 2,
  upcast: (event) => ({
    ...event,
    data: { ...event.data, tier: 'SMB' },
    metadata: { ...event.metadata, schemaVersion: 3 },
  }),
};
const map = (...upcasters: Upcaster[]) =>
  new Map(upcasters.map((u) => [upcasterKey(u.type, u.fromSchemaVersion), u] as const));

describe('upcastEvent', () => {
  it('chains upcasters from the stored version to the current one and keeps the record fields', () => {
    const result = upcastEvent(
      recorded('AccountOpened', { name: 'Ada Lovelace' }, 1),
      map(nameSplit, addTier),
    );
    expect(result).toEqual({
      ...recorded('AccountOpened', { firstName: 'Ada', lastName: 'Lovelace', tier: 'SMB' }, 3),
    });
  });

  it('starts from the stored version', () => {
    const result = upcastEvent(
      recorded('AccountOpened', { firstName: 'A', lastName: 'B' }, 2),
      map(nameSplit, addTier),
    );
    expect(result.data).toEqual({ firstName: 'A', lastName: 'B', tier: 'SMB' });
    expect(result.metadata.schemaVersion).toBe(3);
  });

  it('returns events without an upcaster unchanged (same object)', () => {
    const event = recorded('StageChanged', { stage: 'ACTIVE' }, 1);
    expect(upcastEvent(event, map(nameSplit))).toBe(event);
  });

  it('can rename a type', () => {
    const rename: Upcaster = {
      type: 'ClientOnboarded',
      fromSchemaVersion: 1,
      upcast: (event) => ({ ...event, type: 'AccountOnboarded' }),
    };
    expect(upcastEvent(recorded('ClientOnboarded', {}, 1), map(rename)).type).toBe('AccountOnboarded');
  });

  it('refuses an upcaster that does not move the version forward', () => {
    const stuck: Upcaster = { type: 'X', fromSchemaVersion: 1, upcast: (event) => event };
    expect(() => upcastEvent(recorded('X', {}, 1), map(stuck))).toThrow(/must raise the schema version/);
  });
});

describe('EventUpcasterRegistry', () => {
  it('upcasts with what was registered', () => {
    const registry = new EventUpcasterRegistry().register(nameSplit, addTier);
    expect(registry.upcast(recorded('AccountOpened', { name: 'A B' }, 1)).metadata.schemaVersion).toBe(3);
  });

  it('refuses two upcasters for the same type and version', () => {
    const registry = new EventUpcasterRegistry().register(nameSplit);
    expect(() => registry.register(nameSplit)).toThrow(
      'An upcaster for AccountOpened v1 is already registered',
    );
  });
});
