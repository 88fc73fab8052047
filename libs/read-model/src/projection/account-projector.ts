import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { sql } from 'drizzle-orm';

import {
  EventStore,
  comparePositions,
  type AllStreamDomainEvent,
  type CatchUpSubscription,
  type Position,
} from '#eventstore';

import { ReadModelDatabase } from '../database/read-model-database.js';
import { ACCOUNT_STREAM_PREFIX, AccountProjection } from './account-projection.js';
import { EventStoreTail } from './event-store-tail.js';

export interface AccountProjectorOptions {
  /** Start the subscription when the application starts; default true. */
  readonly autoStart?: boolean;
  /**
   * Most events per batch (one transaction), whether catching up or not; by default
   * {@link CATCH_UP_BATCH_SIZE} until it has caught up once, then {@link LIVE_BATCH_SIZE}.
   */
  readonly batchSize?: number;
  /** Longest an event waits for its batch to fill; default 20 ms. */
  readonly maxWaitMs?: number;
}

export const ACCOUNT_PROJECTOR_OPTIONS = Symbol('ACCOUNT_PROJECTOR_OPTIONS');

interface Waiter {
  readonly commit: bigint;
  resolve(reached: boolean): void;
}

const POLL_MS = 50;
/**
 * The most events a batch takes once the projector has caught up. A batch is what arrived while
 * the last one was stored, so live batches are small anyway; after a burst, this keeps each
 * transaction short (about 0.1 s on PGlite, whose one session GraphQL's reads wait for).
 */
export const LIVE_BATCH_SIZE = 500;
/**
 * The most events a batch takes until the projector has caught up once (what was appended while
 * it was down, or all of `$all` into a new read model), while the process is not ready anyway. Each statement of a batch
 * costs the same however many rows it carries, so larger batches store faster: a 200,000-event
 * catch-up into PGlite went from about 3,400 events/s at 500 to 4,100 at 2,000 and 5,000 at 5,000
 * (batches then average about 2,400 events, up to a second's transaction).
 */
export const CATCH_UP_BATCH_SIZE = 5_000;
/**
 * PGlite runs no autovacuum, so nothing would ever ANALYZE its tables and the planner would go on
 * guessing (a join of a batch's accounts with a million touchpoints then scans them all). The
 * projector analyzes its tables itself: after this many events, then each time it has applied as
 * many again as it had at the last analysis (a read model that doubled).
 */
const ANALYZE_AFTER_EVENTS = 20_000;
/** The statistics target the largest tables are analyzed with (see `analyze`). */
const LARGE_TABLE_STATISTICS_TARGET = 10;

/**
 * Keeps the read model current: a checkpointed catch-up subscription to the account streams
 * in `$all`, each batch applied with its checkpoint in one transaction. Knows how far it has
 * applied, for readiness and for "read your own writes" ({@link waitFor}).
 */
@Injectable()
export class AccountProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AccountProjector');
  private subscription: CatchUpSubscription | undefined;
  private applied: Position | undefined;
  private eventsAppliedCount = 0;
  private analyzedAtCount = 0;
  private target: Position | undefined | null = null;
  private caughtUp = false;
  private waiters: Waiter[] = [];
  private readonly batchListeners = new Set<(applied: number, position: Position) => void>();

  constructor(
    private readonly database: ReadModelDatabase,
    private readonly eventStore: EventStore,
    private readonly projection: AccountProjection,
    private readonly tail: EventStoreTail,
    @Inject(ACCOUNT_PROJECTOR_OPTIONS) private readonly options: AccountProjectorOptions,
  ) {}

  /** The position of the last event whose effects are stored (this process's view). */
  get position(): Position | undefined {
    return this.applied;
  }

  /** Events applied by this process since it started. */
  get eventsApplied(): number {
    return this.eventsAppliedCount;
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  /** Whether it has reached, at least once, the end of `$all` as it was when it started. */
  get caughtUpOnce(): boolean {
    return this.caughtUp;
  }

  /** Called by a health check that found nothing left to apply. */
  markCaughtUp(): void {
    this.caughtUp = true;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.autoStart ?? true) await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (this.subscription !== undefined) return;
    const stored = await this.projection.loadCheckpoint(this.database.db);
    this.applied = stored?.position;
    // Where "caught up" is: the end of $all now. Unknown (store down) until it answers.
    this.target = await this.tail.lastPosition().catch(() => null);
    this.subscription = this.eventStore.subscribeCatchUp({
      name: this.projection.name,
      filter: { streamNamePrefixes: [ACCOUNT_STREAM_PREFIX] },
      loadCheckpoint: () => this.reloadCheckpoint(),
      handleBatch: (events, checkpoint) => this.handleBatch(events, checkpoint),
      batchSize: () => this.options.batchSize ?? (this.caughtUp ? LIVE_BATCH_SIZE : CATCH_UP_BATCH_SIZE),
      maxWaitMs: this.options.maxWaitMs ?? 20,
    });
    this.logger.log({
      msg: `Projecting account streams into the read model from ${stored ? describe(stored.position) : 'the start'}`,
      checkpoint: stored && describe(stored.position),
    });
    this.checkCaughtUp();
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }

  /**
   * Resolves true once the read model includes every account event at or before
   * `commitPosition` (an append's position), false after `timeoutMs`. Without a projector
   * running here it polls the stored checkpoint (another process projects).
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
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  private async handleBatch(events: readonly AllStreamDomainEvent[], checkpoint: Position): Promise<void> {
    const applied = await this.projection.applyBatch(this.database.db, events, checkpoint);
    this.eventsAppliedCount += applied;
    this.advanceTo(checkpoint);
    for (const listener of this.batchListeners) listener(applied, checkpoint);
    const since = this.eventsAppliedCount - this.analyzedAtCount;
    if (this.database.driver === 'pglite' && since >= Math.max(ANALYZE_AFTER_EVENTS, this.analyzedAtCount)) {
      await this.analyze();
    }
  }

  /**
   * Refreshes the planner's statistics of the projection's tables (see ANALYZE_AFTER_EVENTS).
   * The timeline and the touchpoints, by far the largest, are sampled less (statistics target
   * 10: 3,000 rows, not 30,000): they are read per account through their indexes, for which
   * their size is what the planner needs, and at full sample the analysis of a million events
   * held PGlite's one session (every GraphQL read, the next batch) for about four seconds.
   */
  private async analyze(): Promise<void> {
    this.analyzedAtCount = this.eventsAppliedCount;
    const started = Date.now();
    try {
      const { accounts, accountVersions, stageVisits, touchpoints, commitments, timelineEntries } =
        this.projection.tables;
      // One transaction: the statistics target is set for it alone, and the session is not
      // given to anything else in between.
      await this.database.db.transaction(async (tx) => {
        const target = sql.raw(String(LARGE_TABLE_STATISTICS_TARGET));
        await tx.execute(sql`set local default_statistics_target = ${target}`);
        await tx.execute(sql`analyze ${sql.join([touchpoints, timelineEntries], sql`, `)}`);
        await tx.execute(sql`set local default_statistics_target to default`);
        const tables = [accounts, accountVersions, stageVisits, commitments];
        await tx.execute(sql`analyze ${sql.join(tables, sql`, `)}`);
      });
      this.logger.log({ msg: 'Analyzed the read model', ms: Date.now() - started });
    } catch (error) {
      // Statistics only help plans; a failure here must not stop the projection.
      this.logger.warn({ msg: 'Could not analyze the read model', err: error });
    }
  }

  /**
   * The subscription reloads the stored checkpoint after a failed batch. A rebuild may have
   * replaced the tables meanwhile with ones that hold more than this process applied: what is
   * stored is then what has been applied, and waiters up to it are answered.
   */
  private async reloadCheckpoint(): Promise<Position | undefined> {
    const stored = (await this.projection.loadCheckpoint(this.database.db))?.position;
    if (stored !== undefined) this.advanceTo(stored);
    return stored;
  }

  /**
   * Only forwards: the position comes both from stored batches and from reloaded checkpoints,
   * and whichever is further is what the tables hold.
   */
  private advanceTo(position: Position): void {
    if (this.applied === undefined || comparePositions(position, this.applied) > 0) this.applied = position;
    this.checkCaughtUp();
    for (const waiter of [...this.waiters]) if (this.reached(waiter.commit)) waiter.resolve(true);
  }

  private checkCaughtUp(): void {
    if (this.caughtUp || this.target === null) return;
    if (this.target === undefined || (this.applied && comparePositions(this.applied, this.target) >= 0)) {
      this.caughtUp = true;
      this.logger.log({
        msg: 'The read model has caught up',
        checkpoint: this.applied && describe(this.applied),
      });
    }
  }

  private reached(commit: bigint): boolean {
    return this.applied !== undefined && this.applied.commit >= commit;
  }

  private async pollFor(commit: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await this.projection.loadCheckpoint(this.database.db);
      if (stored !== undefined && stored.position.commit >= commit) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline - Date.now())));
    }
  }
}

function describe(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}
