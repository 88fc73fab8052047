import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { EventStore, EventStoreConnection } from '#eventstore';

const PING_TIMEOUT_MS = 2000;

/** Up when the event store answers a one-event read of `$all` in time. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly eventStore: EventStore,
    private readonly connection: EventStoreConnection,
  ) {}

  check() {
    return this.health
      .check('eventstore')
      .attempt(async () => {
        await this.eventStore.ping(PING_TIMEOUT_MS);
        return { mode: this.connection.mode };
      })
      .withTimeout(PING_TIMEOUT_MS + 500);
  }
}
