import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestingModule } from '@nestjs/testing';

import { CommandConflictError, StreamCommandHandler, type Decider } from '#command-handling';
import { EventStore, type EventContext } from '#eventstore';

import { bootEventStore } from '../eventstore/boot.js';

// A toy stream: a tally of idempotent "add" commands, enough to exercise loading, caching,
// snapshots and concurrency without the lifecycle rules.
type Added = { type: 'Added'; data: { id: string; amount: number } };
type Tally = { total: number; ids: Record<string, number>; folded: number };
type Add = { id: string; amount: number };
class Rejected extends Error {}

const decider: Decider<Tally, Add, Added, 'created' | 'duplicate'> = {
  initialState: { total: 0, ids: {}, folded: 0 },
  evolve: (s, e) => ({
    total: s.total + e.data.amount,
    ids: { ...s.ids, [e.data.id]: e.data.amount },
    folded: s.folded + 1,
  }),
  decide(c, s) {
    if (c.amount <= 0) throw new Rejected('amount must be positive');
    if (c.id in s.ids) {
      if (s.ids[c.id] !== c.amount) throw new Rejected('same id, other amount');
      return { events: [], outcome: 'duplicate' };
    }
    return { events: [{ type: 'Added', data: { id: c.id, amount: c.amount } }], outcome: 'created' };
  },
  isRejection: (e) => e instanceof Rejected,
};

const context: EventContext = { correlationId: 'c-1', causationId: 'c-1', principal: 'tester' };

describe('StreamCommandHandler', () => {
  let moduleRef: TestingModule;
  let store: EventStore;
  const dataDir = mkdtempSync(join(tmpdir(), 'cmd-handler-'));

  beforeAll(async () => {
    moduleRef = await bootEventStore({ DATA_DIR: dataDir });
    store = moduleRef.get(EventStore);
  });
  afterAll(async () => {
    await moduleRef.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const stream = () => `tally-${randomUUID()}`;
  const readTypes = async (name: string) => {
    const out: string[] = [];
    for await (const e of store.readStream(name)) out.push(`${e.type}:${(e.data as { id: string }).id}`);
    return out;
  };

  it('decides several commands in order, appends their events together and rejects only the bad one', async () => {
    const handler = new StreamCommandHandler(store, decider);
    const name = stream();
    const handled = await handler.handle(
      name,
      [
        { id: 'a', amount: 1 },
        { id: 'b', amount: -1 },
        { id: 'a', amount: 1 },
        { id: 'c', amount: 2 },
      ],
      context,
    );
    expect(handled.results.map((r) => (r.ok ? r.outcome : 'rejected'))).toEqual([
      'created',
      'rejected',
      'duplicate',
      'created',
    ]);
    expect(handled.revision).toBe(1n);
    expect(handled.state.total).toBe(3);
    expect(await readTypes(name)).toEqual(['Added:a', 'Added:c']);
    const [event] = await (async () => {
      const all = [];
      for await (const e of store.readStream(name)) all.push(e);
      return all;
    })();
    expect(event.metadata).toEqual({ ...context, schemaVersion: 1 });
  });

  it('two processes writing the same stream lose no update: the stale one catches up and decides again', async () => {
    const first = new StreamCommandHandler(store, decider);
    const second = new StreamCommandHandler(store, decider);
    const name = stream();
    await first.handle(name, [{ id: 'x', amount: 1 }], context);
    await second.handle(name, [{ id: 'y', amount: 1 }], context); // first's cache is now stale
    const handled = await first.handle(name, [{ id: 'z', amount: 1 }], context);
    expect(handled.results[0]).toMatchObject({ ok: true, outcome: 'created' });
    expect(handled.state.total).toBe(3);
    expect(await readTypes(name)).toEqual(['Added:x', 'Added:y', 'Added:z']);

    // Many concurrent writers through both instances: every command lands exactly once.
    const ids = Array.from({ length: 40 }, (_, i) => `n${i}`);
    await Promise.all(
      ids.map((id, i) => (i % 2 ? first : second).handle(name, [{ id, amount: 1 }], context)),
    );
    expect((await first.load(name)).state.total).toBe(43);
    expect(new Set(await readTypes(name)).size).toBe(43);
  });

  it('a duplicate decided on a stale cache is checked against the stream before it is reported', async () => {
    const first = new StreamCommandHandler(store, decider);
    const second = new StreamCommandHandler(store, decider);
    const name = stream();
    await first.handle(name, [{ id: 'p', amount: 1 }], context);
    await second.handle(name, [{ id: 'q', amount: 5 }], context);
    // first has never seen q: a conflicting amount must be rejected, not accepted as new.
    const handled = await first.handle(
      name,
      [
        { id: 'q', amount: 7 },
        { id: 'q', amount: 5 },
      ],
      context,
    );
    expect(handled.results.map((r) => (r.ok ? r.outcome : 'rejected'))).toEqual(['rejected', 'duplicate']);
    expect(handled.revision).toBe(1n);
    expect(await readTypes(name)).toEqual(['Added:p', 'Added:q']);
  });

  it('answers CONFLICT when other writers keep moving the stream past the retry budget', async () => {
    const name = stream();
    const meddler = new StreamCommandHandler(store, decider);
    let n = 0;
    const racing: typeof decider = {
      ...decider,
      decide(c, s) {
        // Every decision races a write by someone else, so every append meets a newer stream.
        void meddler.handle(name, [{ id: `m${n++}`, amount: 1 }], context);
        return decider.decide(c, s);
      },
    };
    const handler = new StreamCommandHandler(store, racing, { maxAttempts: 3 });
    await meddler.handle(name, [{ id: 'seed', amount: 1 }], context);
    await handler.load(name);
    // Give each meddling write time to land before the append it races.
    const slowStore = Object.create(store) as EventStore;
    slowStore.append = async (...args: Parameters<EventStore['append']>) => {
      await new Promise((r) => setTimeout(r, 50));
      return store.append(...args);
    };
    const slow = new StreamCommandHandler(slowStore, racing, { maxAttempts: 3 });
    await slow.load(name);
    await expect(slow.handle(name, [{ id: 'mine', amount: 1 }], context)).rejects.toBeInstanceOf(
      CommandConflictError,
    );
    expect(await readTypes(name)).not.toContain('Added:mine');
  });

  it('snapshots long streams so a new process folds only what came after the snapshot', async () => {
    const snapshots = {
      every: 50,
      stateVersion: 1,
      toJson: (s: Tally) => s,
      fromJson: (j: unknown) => ({ ...(j as Tally), folded: 0 }),
    };
    const writer = new StreamCommandHandler(store, decider, { snapshots });
    const name = stream();
    for (let i = 0; i < 120; i++) await writer.handle(name, [{ id: `e${i}`, amount: 1 }], context);
    // The snapshot is written in the background after the append that crossed the threshold.
    await new Promise((r) => setTimeout(r, 200));
    const snapshot = await store.readLast(`snapshot-${name}`);
    expect(snapshot?.type).toBe('StreamSnapshotTaken');
    const snapshotRevision = BigInt((snapshot!.data as { revision: string }).revision);
    expect(snapshotRevision).toBeGreaterThanOrEqual(99n);

    const reader = new StreamCommandHandler(store, decider, { snapshots });
    const loaded = await reader.load(name);
    expect(loaded.state.total).toBe(120);
    expect(loaded.revision).toBe(119n);
    expect(loaded.state.folded).toBe(Number(119n - snapshotRevision));

    // A snapshot of another state version is ignored: the whole stream is folded instead.
    const upgraded = new StreamCommandHandler(store, decider, {
      snapshots: { ...snapshots, stateVersion: 2 },
    });
    const refolded = await upgraded.load(name);
    expect(refolded.state.total).toBe(120);
    expect(refolded.state.folded).toBe(120);
  });

  it('keeps states in memory up to a bound on the events they stand for, then folds evicted ones again', async () => {
    let evolved = 0;
    const counting: typeof decider = {
      ...decider,
      evolve: (s, e) => {
        evolved += 1;
        return decider.evolve(s, e);
      },
    };
    const handler = new StreamCommandHandler(store, counting, { cacheEvents: 50 });
    const [first, second] = [stream(), stream()];
    for (let i = 0; i < 40; i++) await handler.handle(first, [{ id: `f${i}`, amount: 1 }], context);

    evolved = 0;
    expect((await handler.load(first)).state.total).toBe(40);
    expect(evolved).toBe(0); // cached: 40 events are within the bound

    for (let i = 0; i < 20; i++) await handler.handle(second, [{ id: `s${i}`, amount: 1 }], context);
    evolved = 0;
    expect((await handler.load(second)).state.total).toBe(20);
    expect(evolved).toBe(0);
    // 40 + 20 events passed the bound of 50: the least recently used state was let go and is folded again.
    expect((await handler.load(first)).state.total).toBe(40);
    expect(evolved).toBe(40);
  });
});
