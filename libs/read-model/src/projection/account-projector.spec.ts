import type { CatchUpSubscriptionOptions, EventStore } from '#eventstore';

import type { ReadModelDatabase } from '../database/read-model-database.js';
import type { AccountProjection } from './account-projection.js';
import {
  AccountProjector,
  CATCH_UP_BATCH_SIZE,
  LIVE_BATCH_SIZE,
  type AccountProjectorOptions,
} from './account-projector.js';
import type { EventStoreTail } from './event-store-tail.js';

/** The projector started against fakes, with the options it subscribed with. */
async function started(options: AccountProjectorOptions) {
  let subscribed: CatchUpSubscriptionOptions | undefined;
  const eventStore = {
    subscribeCatchUp: (given: CatchUpSubscriptionOptions) => {
      subscribed = given;
      return { name: given.name, checkpoint: undefined, reconnections: 0, stop: async () => undefined };
    },
  } as unknown as EventStore;
  const projector = new AccountProjector(
    { db: {}, driver: 'pglite' } as unknown as ReadModelDatabase,
    eventStore,
    { name: 'accounts', loadCheckpoint: async () => undefined } as unknown as AccountProjection,
    // The end of $all when it starts: it has not caught up until it has applied that far.
    { lastPosition: async () => ({ commit: 100n, prepare: 100n }) } as unknown as EventStoreTail,
    { autoStart: false, ...options },
  );
  await projector.start();
  const batchSize = () => {
    const size = subscribed!.batchSize;
    return typeof size === 'function' ? size() : size;
  };
  return { projector, batchSize };
}

describe('AccountProjector batch size', () => {
  it('takes large batches until it has caught up once, then live-sized ones', async () => {
    const { projector, batchSize } = await started({});
    expect(projector.caughtUpOnce).toBe(false);
    expect(batchSize()).toBe(CATCH_UP_BATCH_SIZE);
    projector.markCaughtUp();
    expect(batchSize()).toBe(LIVE_BATCH_SIZE);
    expect(LIVE_BATCH_SIZE).toBeLessThan(CATCH_UP_BATCH_SIZE);
    await projector.stop();
  });

  it('keeps a batch size it was given, caught up or not', async () => {
    const { projector, batchSize } = await started({ batchSize: 20 });
    expect(batchSize()).toBe(20);
    projector.markCaughtUp();
    expect(batchSize()).toBe(20);
    await projector.stop();
  });
});
