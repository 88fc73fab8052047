import { Injectable } from '@nestjs/common';

import { ReadModelDatabase } from '../database/read-model-database.js';
import { ACCOUNT_STREAM_PREFIX, AccountProjection } from '../projection/account-projection.js';
import { AccountProjector } from '../projection/account-projector.js';
import { EventStoreTail } from '../projection/event-store-tail.js';

/** Not ready while more account events than this wait to be applied. */
export const MAX_READY_LAG_EVENTS = 10_000;

export interface ReadModelHealthStatus {
  readonly ready: boolean;
  /** Why it is not ready; undefined when it is. */
  readonly reason: string | undefined;
  readonly driver: string;
  /** `commit/prepare` of the stored checkpoint. */
  readonly checkpoint: string | undefined;
  /** Account events not applied yet, counted up to MAX_READY_LAG_EVENTS + 1. */
  readonly lagEvents: number | undefined;
  readonly projectorRunning: boolean;
  readonly caughtUpOnce: boolean;
  readonly eventsApplied: number;
}

/**
 * Whether the read model can serve: the database answers, the projector (when it runs here)
 * has caught up once since it started, and fewer than {@link MAX_READY_LAG_EVENTS} account
 * events wait to be applied.
 */
@Injectable()
export class ReadModelHealth {
  constructor(
    private readonly database: ReadModelDatabase,
    private readonly projection: AccountProjection,
    private readonly projector: AccountProjector,
    private readonly tail: EventStoreTail,
  ) {}

  async status(timeoutMs = 2000): Promise<ReadModelHealthStatus> {
    const base = {
      driver: this.database.driver,
      projectorRunning: this.projector.running,
      eventsApplied: this.projector.eventsApplied,
    };
    let checkpoint;
    try {
      await this.database.ping(timeoutMs);
      checkpoint = await this.projection.loadCheckpoint(this.database.db);
    } catch (error) {
      return {
        ...base,
        ready: false,
        reason: `database unreachable: ${error instanceof Error ? error.message : String(error)}`,
        checkpoint: undefined,
        lagEvents: undefined,
        caughtUpOnce: this.projector.caughtUpOnce,
      };
    }
    const position = checkpoint?.position;
    const described = position && `${position.commit}/${position.prepare}`;
    let lagEvents: number;
    try {
      lagEvents = await this.tail.eventsAfter(
        position,
        ACCOUNT_STREAM_PREFIX,
        MAX_READY_LAG_EVENTS,
        timeoutMs,
      );
    } catch (error) {
      return {
        ...base,
        ready: false,
        reason: `cannot measure the lag: ${error instanceof Error ? error.message : String(error)}`,
        checkpoint: described,
        lagEvents: undefined,
        caughtUpOnce: this.projector.caughtUpOnce,
      };
    }
    if (lagEvents === 0 && this.projector.running) this.projector.markCaughtUp();
    const caughtUpOnce = this.projector.caughtUpOnce || !this.projector.running;
    const reason =
      lagEvents > MAX_READY_LAG_EVENTS
        ? `more than ${MAX_READY_LAG_EVENTS} account events wait to be projected`
        : !caughtUpOnce
          ? 'the projector has not caught up since it started'
          : undefined;
    return { ...base, ready: reason === undefined, reason, checkpoint: described, lagEvents, caughtUpOnce };
  }
}
