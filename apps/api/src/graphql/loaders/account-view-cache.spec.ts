import type { AccountFacts } from './account-facts.js';
import { AccountViewCache, estimatedBytes, type AccountViewEntry } from './account-view-cache.js';
import type { TimelineSlice } from './read-model-loaders.js';

const facts = (id: string): AccountFacts => ({
  row: {
    id,
    name: `Account ${id}`,
    tier: 'SMB',
    ownerId: 'owner-1',
    openedAt: new Date(0),
    stage: 'ACTIVE',
    phase: 'RETENTION',
    stageEnteredAt: new Date(0),
    effectiveCadenceDays: 30,
    lastTouchpointAt: null,
    lastQualifyingTouchAt: null,
    silent: false,
    silentSince: null,
    touchpointCount: 0,
  },
  stageHistory: [],
  commitments: [],
  recentSentiments: [],
  healthWindow: { windowDays: 90, discovery: 0, service: 0, engagement: 0 },
  openAlerts: [],
});

const entry = (id: string, validFrom = 0, validUntil = Infinity): AccountViewEntry => ({
  version: '1',
  facts: facts(id),
  validFrom,
  validUntil,
  timelines: new Map(),
});

const slice = (n: number): TimelineSlice => ({
  entries: Array.from({ length: n }, (_, i) => ({
    id: `e${i}`,
    type: 'AccountOpened',
    occurredAt: new Date(0),
    recordedAt: new Date(0),
    revision: BigInt(i),
    summary: 'Opened',
    touchpoint: null,
    commitment: null,
  })),
  hasNextPage: false,
});

describe('AccountViewCache', () => {
  it('serves an entry only between the instants its facts hold for', () => {
    const cache = new AccountViewCache(1_000_000);
    const held = entry('a', 1_000, 2_000);
    cache.keep('a', held);
    expect(cache.usable('a', 999)).toBeUndefined();
    expect(cache.usable('a', 1_000)).toBe(held);
    expect(cache.usable('a', 1_999)).toBe(held);
    expect(cache.usable('a', 2_000)).toBeUndefined();
    expect(cache.usable('b', 1_500)).toBeUndefined();
  });

  it('drops the least recently used accounts once their estimated bytes pass the bound', () => {
    const size = estimatedBytes(entry('x'));
    const cache = new AccountViewCache(size * 3);
    for (const id of ['a', 'b', 'c']) cache.keep(id, entry(id));
    expect(cache.usable('a', 0)).toBeDefined(); // a is now the most recently used
    cache.keep('d', entry('d'));
    expect(cache.usable('b', 0)).toBeUndefined();
    expect(['a', 'c', 'd'].map((id) => cache.usable(id, 0)?.facts.row.id)).toEqual(['a', 'c', 'd']);
    expect(cache.usage).toEqual({ accounts: 3, bytes: size * 3 });
  });

  it('counts an entry’s timeline pages in its size and keeps at most four of them', () => {
    const cache = new AccountViewCache(10_000_000);
    const held = entry('a');
    cache.keep('a', held);
    const bare = cache.usage.bytes;
    cache.keepTimeline('a', held, 'first', slice(20));
    expect(cache.usage.bytes).toBeGreaterThan(bare + 20 * 500);
    for (const key of ['k2', 'k3', 'k4', 'k5']) cache.keepTimeline('a', held, key, slice(1));
    expect([...held.timelines.keys()]).toEqual(['k2', 'k3', 'k4', 'k5']);
  });

  it('adds a timeline page only to the entry it holds now for the account', () => {
    const cache = new AccountViewCache(10_000_000);
    const old = entry('a');
    cache.keep('a', old);
    const current = entry('a');
    cache.keep('a', current);
    cache.keepTimeline('a', old, 'first', slice(2));
    expect(old.timelines.size).toBe(0);
    cache.forget('a');
    cache.keepTimeline('a', current, 'first', slice(2));
    expect(current.timelines.size).toBe(0);
    expect(cache.usable('a', 0)).toBeUndefined();
  });

  it('keeps nothing when its bound is 0', () => {
    const cache = new AccountViewCache(0);
    cache.keep('a', entry('a'));
    expect(cache.usable('a', 0)).toBeUndefined();
    expect(cache.usage).toEqual({ accounts: 0, bytes: 0 });
  });
});
