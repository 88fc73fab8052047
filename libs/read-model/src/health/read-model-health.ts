import { Inject, Injectable, Optional } from '@nestjs/common';

import type { Position } from '#eventstore';

import { ReadModelDatabase } from '../database/read-model-database.js';
import { ACCOUNT_STREAM_PREFIX, AccountProjection } from '../projection/account-projection.js';
import { AccountProjector } from '../projection/account-projector.js';
import { loadProjectionCheckpoint } from '../projection/checkpoints.js';
import { EventStoreTail } from '../projection/event-store-tail.js';

/** Not ready while more events than this wait to be applied by a projection (the default bound). */
export const MAX_READY_LAG_EVENTS = 10_000;

/** The bound readiness holds projections to (a number; MAX_READY_LAG_EVENTS unless provided). */
export const READY_LAG_BOUND = Symbol('READY_LAG_BOUND');

export interface ReadModelHealthStatus {
  readonly ready: boolean;
  /** Why it is not ready; undefined when it is. */
  readonly reason: string | undefined;
  readonly driver: string;
  /** `commit/prepare` of the stored checkpoint. */
  readonly checkpoint: string | undefined;
  /** Account events not applied yet, counted up to the bound + 1. */
  readonly lagEvents: number | undefined;
  readonly projectorRunning: boolean;
  readonly caughtUpOnce: boolean;
  readonly eventsApplied: number;
}

/** Where one checkpointed projection stands against the event store. */
export interface ProjectionLag {
  readonly projection: string;
  /** `commit/prepare` of the stored checkpoint; undefined before the first. */
  readonly checkpoint: string | undefined;
  readonly position: Position | undefined;
  /** Events the stored checkpoint counts as applied (every process together). */
  readonly eventsApplied: number | undefined;
  /** Events of its streams not applied yet, counted up to the bound + 1; undefined when not measured. */
  readonly lagEvents: number | undefined;
  /** More than the bound wait, or the lag could not be measured (`reason` says which). */
  readonly behind: boolean;
  readonly reason: string | undefined;
}

/**
 * Whether the read model can serve: the database answers, the projector (when it runs here)
 * has caught up once since it started, and no more than the bound ({@link READY_LAG_BOUND})
 * account events wait to be applied. Measures other projections' lag the same way.
 */
@Injectable()
export class ReadModelHealth {
  constructor(
    private readonly database: ReadModelDatabase,
    private readonly projection: AccountProjection,
    private readonly projector: AccountProjector,
    private readonly tail: EventStoreTail,
    @Optional() @Inject(READY_LAG_BOUND) private readonly bound: number = MAX_READY_LAG_EVENTS,
  ) {}

  /** Most events a projection may have to apply and still count as ready. */
  get readyLagBound(): number {
    return this.bound;
  }

  /**
   * The stored checkpoint of projection `name` and how many events of streams named with one of
   * `prefixes` come after it. Never throws: a database or event store that does not answer makes
   * it `behind` with the reason.
   */
  async projectionLag(name: string, prefixes: readonly string[], timeoutMs = 2000): Promise<ProjectionLag> {
    const unmeasured = { projection: name, lagEvents: undefined, behind: true };
    let stored;
    try {
      stored = await loadProjectionCheckpoint(this.database.db, name);
    } catch (error) {
      const reason = `database unreachable: ${messageOf(error)}`;
      return { ...unmeasured, checkpoint: undefined, position: undefined, eventsApplied: undefined, reason };
    }
    const position = stored?.position;
    const measured = {
      projection: name,
      checkpoint: position && `${position.commit}/${position.prepare}`,
      position,
      eventsApplied: stored?.eventsApplied,
    };
    try {
      const lagEvents = await this.tail.eventsAfter(position, prefixes, this.bound, timeoutMs);
      const behind = lagEvents > this.bound;
      const reason = behind ? `more than ${this.bound} events wait to be applied` : undefined;
      return { ...measured, lagEvents, behind, reason };
    } catch (error) {
      return { ...measured, ...unmeasured, reason: `cannot measure the lag: ${messageOf(error)}` };
    }
  }

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
      lagEvents = await this.tail.eventsAfter(position, ACCOUNT_STREAM_PREFIX, this.bound, timeoutMs);
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
      lagEvents > this.bound
        ? `more than ${this.bound} account events wait to be projected`
        : !caughtUpOnce
          ? 'the projector has not caught up since it started'
          : undefined;
    return { ...base, ready: reason === undefined, reason, checkpoint: described, lagEvents, caughtUpOnce };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
