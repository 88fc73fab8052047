// The projection applies a batch with a few statements per event type rather than per event:
// whatever the batch size, the tables must end as when the events are applied one at a time.
import type { AllStreamDomainEvent } from '#eventstore';
import type { AccountEvent } from '#lifecycle';
import { AccountProjection, ReadModelDatabase } from '#read-model';

import { day, events, generatedHistory, recorded } from './account-events.js';
import { DATABASE_TARGETS } from './databases.js';
import { snapshot } from './snapshot.js';

const A = 'acme';
const B = 'globex';
const C = 'initech';

/** Every event type, and what only a batch can mix up: one account's events in a row. */
const story: AccountEvent[] = [
  events.opened(A, day(0), { tier: 'STRATEGIC', cadenceDays: 10 }),
  events.touchpoint(A, 'tp-1', day(1), { sentiment: 'POSITIVE', pillar: 'DISCOVERY' }),
  events.touchpoint(A, 'tp-2', day(2), { channel: 'INTERNAL_NOTE', direction: 'INTERNAL' }),
  events.stageChanged(A, 'PROSPECT', 'DISCOVERY', day(3)),
  events.ownerAssigned(A, 'owner-2', 'owner-1', day(4)),
  events.cadenceSet(A, null, 10, day(5)),
  events.commitmentMade(A, 'c-1', day(5), day(8)),
  events.commitmentMade(A, 'c-2', day(5), day(9)),
  events.commitmentMade(A, 'c-3', day(5), day(10)),
  events.commitmentMade(A, 'c-4', day(5), day(40)),
  events.fulfilled(A, 'c-1', day(7), day(8)),
  events.renegotiated(A, 'c-2', day(9), day(12), day(6)),
  events.cancelled(A, 'c-3', day(7)),
  events.missed(A, 'c-4', day(40), day(41)),
  events.fulfilled(A, 'c-4', day(42), day(40), true),
  events.wentSilent(A, day(1), 14, day(16)),
  events.touchpoint(A, 'tp-3', day(20), { sentiment: 'NEGATIVE', channel: 'MEETING', stage: 'DISCOVERY' }),
  // The same touchpoint id in another event: stored and counted once.
  events.touchpoint(A, 'tp-3', day(25), { sentiment: 'POSITIVE', channel: 'CALL', stage: 'DISCOVERY' }),
  events.reEngaged(A, 'tp-3', day(1), 19, day(20)),
  // Backfilled: earlier than what is there.
  events.touchpoint(A, 'tp-0', day(-3), { sentiment: 'NEGATIVE', pillar: 'SERVICE' }),
  events.stageChanged(A, 'DISCOVERY', 'PROPOSAL', day(26)),
  events.stageChanged(A, 'PROPOSAL', 'LOST', day(27), 'price', 'talk to finance sooner'),
  events.opened(B, day(0)),
  events.wentSilent(B, day(0), 30, day(31)),
  events.stageChanged(B, 'PROSPECT', 'LOST', day(32), 'went with a competitor', 'call the CFO earlier'),
  // Out of order, as no stream has it: touches and a commitment's end before the opening.
  events.touchpoint(C, 'tp-early', day(2), { sentiment: 'POSITIVE' }),
  events.fulfilled(C, 'c-9', day(4), day(9)),
  events.opened(C, day(1)),
  events.commitmentMade(C, 'c-9', day(4), day(9)),
  events.touchpoint(C, 'tp-late', day(5), { sentiment: 'NEUTRAL', channel: 'CALL' }),
  events.renegotiated(C, 'c-9', day(9), day(30), day(8)),
  events.renegotiated(C, 'c-9', day(30), day(45), day(13)),
  events.ownerAssigned(C, 'owner-9', 'owner-1', day(39)),
  events.ownerAssigned(C, 'owner-8', 'owner-9', day(39)),
  // An account that was never opened.
  events.touchpoint('ghost', 'tp-g', day(5)),
  events.fulfilled('ghost', 'c-g', day(5), day(6)),
];

/** The histories interleaved in runs of `run` events, as accounts' appends interleave in `$all`. */
function interleaved(histories: AccountEvent[][], run: number): AccountEvent[] {
  const list: AccountEvent[] = [];
  for (let from = 0; histories.some((h) => h.length > from); from += run) {
    for (const history of histories) list.push(...history.slice(from, from + run));
  }
  return list;
}

const all: AllStreamDomainEvent[] = recorded([...story, ...interleaved(generatedHistory(6, 40), 3)]);

describe.each(DATABASE_TARGETS)('batched projection on $name', (target) => {
  async function projected(batchSize: number) {
    const fresh = await target.fresh();
    const database = await ReadModelDatabase.open(fresh.config);
    try {
      await database.migrate();
      const projection = new AccountProjection();
      let applied = 0;
      for (let i = 0; i < all.length; i += batchSize) {
        const batch = all.slice(i, i + batchSize);
        applied += await projection.applyBatch(database.db, batch, batch[batch.length - 1].position);
      }
      // A batch handed again, and one event twice in a batch, change nothing.
      const again = [...all.slice(0, 20), all[3], ...all.slice(20, 40)];
      applied += await projection.applyBatch(database.db, again, all[all.length - 1].position);
      return { applied, tables: await snapshot(database.db) };
    } finally {
      await database.close();
      await fresh.drop();
    }
  }

  it('ends with the same tables whatever the batch size', async () => {
    const one = await projected(1);
    expect(one.applied).toBe(all.length);
    expect(one.tables.touchpoints.filter((row) => row.accountId === A)).toHaveLength(4);
    // Its first touch came before it was opened: stored, but not counted on an account not there yet.
    expect(one.tables.accounts.find((row) => row.id === C)).toMatchObject({ touchpointCount: 1 });
    // Elsewhere each account's touch count and latest touches are those of its stored touchpoints.
    // Snapshot rows hold instants as ISO strings, which sort as the instants do.
    const latest = (rows: typeof one.tables.touchpoints) =>
      rows.length === 0 ? null : rows.map((row) => String(row.occurredAt)).sort()[rows.length - 1];
    const counted = one.tables.accounts.filter((row) => row.id !== C);
    expect(counted.length).toBeGreaterThan(5);
    for (const account of counted) {
      const own = one.tables.touchpoints.filter((row) => row.accountId === account.id);
      expect({
        id: account.id,
        touchpointCount: account.touchpointCount,
        lastTouchpointAt: account.lastTouchpointAt,
        lastQualifyingTouchAt: account.lastQualifyingTouchAt,
      }).toEqual({
        id: account.id,
        touchpointCount: own.length,
        lastTouchpointAt: latest(own),
        lastQualifyingTouchAt: latest(own.filter((row) => row.qualifying)),
      });
    }
    for (const size of [4, 50, 1000]) {
      const batched = await projected(size);
      expect(batched.applied).toBe(all.length);
      expect(batched.tables).toEqual(one.tables);
    }
  }, 180_000);
});
