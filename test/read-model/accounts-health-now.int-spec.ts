// The health monitor's health for now, read for many accounts in one statement, must be the health
// the account view shows: folded from the account's own events by the view's formula.
import type { AllStreamDomainEvent } from '#eventstore';
import type { AccountEvent } from '#lifecycle';
import { foldAccountView, type RecordedAccountEvent } from '#lifecycle-views';
import { accountsHealthNow, AccountProjection, ReadModelDatabase } from '#read-model';

import { generatedHistory, recorded } from './account-events.js';
import { DATABASE_TARGETS } from './databases.js';

/** Histories of different lengths: their last touches, outcomes and so their health differ at one instant. */
const histories = Array.from({ length: 12 }, (_, a) => generatedHistory(1, 8 + a * 4, `health-now-${a}`)[0]);
/** Interleaved as appends interleave in `$all`, each recorded a minute after it happened. */
const all: AllStreamDomainEvent[] = recorded(
  Array.from({ length: 60 }, (_, i) => histories.flatMap((history) => history.slice(i, i + 1))).flat(),
).map((event) => ({
  ...event,
  created: new Date(new Date((event.data as { occurredAt: string }).occurredAt).getTime() + 60_000),
}));

describe.each(DATABASE_TARGETS)('health for now of many accounts on $name', (target) => {
  it('equals the health the account view folds from each account’s events', async () => {
    const fresh = await target.fresh();
    const database = await ReadModelDatabase.open(fresh.config);
    try {
      await database.migrate();
      const projection = new AccountProjection();
      for (let i = 0; i < all.length; i += 100) {
        const batch = all.slice(i, i + 100);
        await projection.applyBatch(database.db, batch, batch[batch.length - 1].position);
      }
      const ids = histories.map((history) => history[0].data.accountId);
      const now = new Date(Math.max(...all.map((event) => event.created.getTime())) + 3_600_000);

      const healths = await accountsHealthNow(database.db, [...ids, 'no-such-account'], now);
      expect([...healths.keys()].sort()).toEqual([...ids].sort());
      const bands = new Set<string>();
      for (const id of ids) {
        const events: RecordedAccountEvent[] = all
          .filter((event) => event.streamName === `account-${id}`)
          .map((event) => ({
            event: { type: event.type, data: event.data } as unknown as AccountEvent,
            recordedAt: event.created,
            eventId: event.id,
            revision: event.revision,
          }));
        const view = foldAccountView(events, now)!;
        expect(healths.get(id)!.health).toEqual(view.health);
        expect(healths.get(id)!.stage).toBe(view.stage);
        bands.add(view.health.band);
      }
      // Not one band for all: the histories differ enough to tell a wrong input from a right one.
      expect(bands.size).toBeGreaterThan(1);
      expect((await accountsHealthNow(database.db, [ids[0]], now)).get(ids[0])).toEqual(healths.get(ids[0]));
    } finally {
      await database.close();
      await fresh.drop();
    }
  }, 60_000);
});
