import { Logger } from '@nestjs/common';

import {
  comparePositions,
  type AllStreamDomainEvent,
  type CatchUpSubscription,
  type EventStore,
  type Position,
} from '#eventstore';

import type { ReadModelDatabase, ReadModelDb } from '../database/read-model-database.js';

/** A projection that stores its effects with its checkpoint, one transaction per batch. */
export interface CheckpointedHandler {
  readonly name: string;
  /** The streams it reads (server-side `$all` filter). */
  readonly streamNamePrefixes: readonly string[];
  loadCheckpoint(db: ReadModelDb): Promise<Position | undefined>;
  /** Applies the batch and stores `checkpoint` in one transaction; how many events took effect. */
  applyBatch(db: ReadModelDb, events: readonly AllStreamDomainEvent[], checkpoint: Position): Promise<number>;
}

export interface CheckpointedSubscriberOptions {
  /** Most events per batch; default 500. */
  readonly batchSize?: number;
  /** Longest an event waits for its batch to fill; default 20 ms. */
  readonly maxWaitMs?: number;
}

interface Waiter {
  readonly commit: bigint;
  resolve(reached: boolean): void;
}

const POLL_MS = 50;

/**
 * Feeds a {@link CheckpointedHandler} from a catch-up subscription to `$all` and knows how far it
 * has applied: for "read your own writes" ({@link waitFor}) and for listeners of each batch.
 */
export class CheckpointedSubscriber {
  private readonly logger: Logger;
  private subscription: CatchUpSubscription | undefined;
  private applied: Position | undefined;
  private appliedCount = 0;
  private waiters: Waiter[] = [];
  private readonly listeners = new Set<(applied: number, position: Position) => void>();

  constructor(
    private readonly database: ReadModelDatabase,
    private readonly eventStore: EventStore,
    private readonly handler: CheckpointedHandler,
    private readonly options: CheckpointedSubscriberOptions = {},
  ) {
    this.logger = new Logger(handler.name);
  }

  /** The position of the last event whose effects are stored (this process's view). */
  get position(): Position | undefined {
    return this.applied;
  }

  /** Events that took effect through this process since it started. */
  get eventsApplied(): number {
    return this.appliedCount;
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    if (this.subscription !== undefined) return;
    const stored = await this.handler.loadCheckpoint(this.database.db);
    this.applied = stored;
    this.subscription = this.eventStore.subscribeCatchUp({
      name: this.handler.name,
      filter: { streamNamePrefixes: this.handler.streamNamePrefixes },
      loadCheckpoint: () => this.reloadCheckpoint(),
      handleBatch: (events, checkpoint) => this.handleBatch(events, checkpoint),
      batchSize: this.options.batchSize ?? 500,
      maxWaitMs: this.options.maxWaitMs ?? 20,
    });
    this.logger.log({
      msg: `Subscribed to ${this.handler.streamNamePrefixes.join(', ')} from ${stored ? `${stored.commit}/${stored.prepare}` : 'the start'}`,
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }

  /**
   * Resolves true once every event at or before `commitPosition` is applied, false after
   * `timeoutMs`. Without a subscription here it polls the stored checkpoint (another process applies).
   */
  async waitFor(commitPosition: Position | bigint, timeoutMs: number): Promise<boolean> {
    const commit = typeof commitPosition === 'bigint' ? commitPosition : commitPosition.commit;
    if (this.reached(commit)) return true;
    if (!this.running) return this.pollFor(commit, timeoutMs);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      const waiter: Waiter = { commit, resolve: (reached) => settle(reached) };
      const settle = (reached: boolean) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(reached);
      };
      this.waiters.push(waiter);
    });
  }

  /** Calls `listener` after each stored batch; returns the function that removes it. */
  onBatchApplied(listener: (applied: number, position: Position) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async handleBatch(events: readonly AllStreamDomainEvent[], checkpoint: Position): Promise<void> {
    const applied = await this.handler.applyBatch(this.database.db, events, checkpoint);
    this.appliedCount += applied;
    this.advanceTo(checkpoint);
    for (const listener of this.listeners) listener(applied, checkpoint);
  }

  /** After a failed batch: what is stored (maybe by another instance) is what has been applied. */
  private async reloadCheckpoint(): Promise<Position | undefined> {
    const stored = await this.handler.loadCheckpoint(this.database.db);
    if (stored !== undefined) this.advanceTo(stored);
    return stored;
  }

  private advanceTo(position: Position): void {
    if (this.applied === undefined || comparePositions(position, this.applied) > 0) this.applied = position;
    for (const waiter of [...this.waiters]) if (this.reached(waiter.commit)) waiter.resolve(true);
  }

  private reached(commit: bigint): boolean {
    return this.applied !== undefined && this.applied.commit >= commit;
  }

  private async pollFor(commit: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await this.handler.loadCheckpoint(this.database.db);
      if (stored !== undefined && stored.commit >= commit) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline - Date.now())));
    }
  }
}
