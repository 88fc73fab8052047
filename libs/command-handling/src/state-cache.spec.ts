import type { LoadedStream } from '#eventstore';

import { StreamStateCache } from './state-cache.js';

const at = (revision: number, state = `state@${revision}`): LoadedStream<string> => ({
  state,
  revision: BigInt(revision),
});

describe('StreamStateCache', () => {
  it('evicts the least recently used stream past its number of streams', () => {
    const cache = new StreamStateCache<string>(2);
    cache.set('a', at(0));
    cache.set('b', at(0));
    expect(cache.get('a')?.state).toBe('state@0'); // a is now the most recently used
    cache.set('c', at(0));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently used streams while the events their states stand for pass the bound', () => {
    const cache = new StreamStateCache<string>(100, 1_000);
    cache.set('small', at(99)); // 100 events
    cache.set('long', at(699)); // 700 events
    expect(cache.eventCount).toBe(800);
    cache.set('other', at(299)); // 300 more: 1,100 > 1,000, so the oldest (small) goes
    expect(cache.get('small')).toBeUndefined();
    expect(cache.eventCount).toBe(1_000);
    cache.get('long');
    cache.set('third', at(9)); // 1,010: other is now the least recently used
    expect(cache.get('other')).toBeUndefined();
    expect(cache.get('long')).toBeDefined();
    expect(cache.eventCount).toBe(710);
  });

  it('counts a stream once as its state moves on, and never goes back to an older state', () => {
    const cache = new StreamStateCache<string>(10, 1_000);
    cache.set('a', at(9));
    cache.set('a', at(19));
    expect(cache.eventCount).toBe(20);
    cache.set('a', at(14, 'older'));
    expect(cache.get('a')?.state).toBe('state@19');
    expect(cache.eventCount).toBe(20);
    cache.delete('a');
    expect(cache.eventCount).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('keeps no state larger than the whole bound, and drops the older one it replaces', () => {
    const cache = new StreamStateCache<string>(10, 1_000);
    cache.set('huge', at(499));
    cache.set('other', at(0));
    cache.set('huge', at(1_000)); // 1,001 events
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('other')).toBeDefined();
    expect(cache.eventCount).toBe(1);
  });

  it('counts a stream not written yet as no events', () => {
    const cache = new StreamStateCache<string>(10, 1);
    cache.set('new', at(-1));
    cache.set('one', at(0));
    expect(cache.eventCount).toBe(1);
    expect(cache.get('new')).toBeDefined();
  });
});
