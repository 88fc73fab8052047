// The alert policy reads what a batch needs of its accounts (tier, open alerts) up front, in a
// fixed number of statements whatever the number of accounts: each statement is a turn of the
// database session its transaction holds, which on PGlite every query of the service waits for.
import { jest } from '@jest/globals';

import type { AlertCommand } from '#alerts';
import type { AllStreamDomainEvent } from '#eventstore';
import { AlertPolicy } from '#alert-policy';
import { ReadModelDatabase } from '#read-model';

import { day, events, recorded } from '../read-model/account-events.js';
import { DATABASE_TARGETS } from '../read-model/databases.js';

interface DrizzleSession {
  prepareQuery(query: { sql: string }, ...rest: unknown[]): unknown;
}

describe.each(DATABASE_TARGETS)('the alert policy’s batches on $name', (target) => {
  it('asks a fixed number of statements of a batch however many accounts it touches, and still raises and resolves', async () => {
    const fresh = await target.fresh();
    const database = await ReadModelDatabase.open(fresh.config);
    const sent: AlertCommand[] = [];
    const policy = new AlertPolicy({
      execute: async (command) => {
        sent.push(command);
        return { outcome: 'created' } as never;
      },
    });
    const { session } = database.db as unknown as { session: DrizzleSession };
    const prepared = jest.spyOn(Object.getPrototypeOf(session) as DrizzleSession, 'prepareQuery');
    try {
      await database.migrate();
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `acct-${n}-${i}`);
      let commit = 1n;
      const apply = async (list: Parameters<typeof recorded>[0]) => {
        const batch: AllStreamDomainEvent[] = recorded(list, commit);
        commit += BigInt(batch.length) * 100n;
        prepared.mockClear();
        await policy.applyBatch(database.db, batch, batch[batch.length - 1].position);
        return prepared.mock.calls.length;
      };
      const statementsFor = async (accounts: string[]) => {
        await apply(accounts.map((id) => events.opened(id, day(0), { tier: 'ENTERPRISE' })));
        return apply(
          accounts.map((id, i) => events.touchpoint(id, `tp-${id}-${i}`, day(1), { sentiment: 'POSITIVE' })),
        );
      };

      const few = await statementsFor(ids(3));
      const many = await statementsFor(ids(60));
      expect(many).toBe(few);
      // begin, lock, checkpoint read, tiers, open alerts, checkpoint stored, commit
      expect(many).toBe(7);
      expect(sent).toEqual([]);

      // The reads up front still see what the batch itself raises and resolves.
      const [account] = ids(60);
      await apply([
        events.touchpoint(account, 'tp-bad', day(2), { sentiment: 'NEGATIVE', momentOfTruth: true }),
        events.touchpoint(account, 'tp-good', day(3), { sentiment: 'POSITIVE' }),
      ]);
      expect(sent.map((command) => command.type)).toEqual(['RaiseAlert', 'ResolveAlert']);
    } finally {
      prepared.mockRestore();
      await database.close();
      await fresh.drop();
    }
  }, 60_000);
});
