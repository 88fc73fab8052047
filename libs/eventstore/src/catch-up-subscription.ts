import {
  START,
  eventTypeFilter,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
  type Position,
} from '@eventstore/db-client';
import { Logger } from '@nestjs/common';

import type { AllStreamDomainEvent, DomainEvent } from './domain-event.js';
import { toRecordedDomainEvent } from './event-serialization.js';
import { comparePositions } from './positions.js';

/** Server-side `$all` filter: by stream-name prefixes or by exact event types. */
export type SubscriptionFilter =
  | { readonly streamNamePrefixes: readonly string[]; readonly eventTypes?: undefined }
  | { readonly eventTypes: readonly string[]; readonly streamNamePrefixes?: undefined };

export interface CatchUpSubscriptionOptions<E extends DomainEvent = DomainEvent> {
  /** Names the subscription in logs. */
  readonly name: string;
  /** Without a filter every non-system event is delivered. */
  readonly filter?: SubscriptionFilter;
  /** The position of the last event whose effects were stored; `undefined` starts from the beginning. */
  loadCheckpoint(): Promise<Position | undefined>;
  /**
   * Applies the events and stores `checkpoint` (the last event's position) in the same
   * transaction. Resolving accepts the batch; throwing makes the subscription reload the
   * stored checkpoint and reconnect from it, handing again whatever is not stored.
   */
  handleBatch(events: readonly AllStreamDomainEvent<E>[], checkpoint: Position): Promise<void>;
  /**
   * Most events per batch; default 100. A function is asked as each batch fills, so that the
   * subscriber can change it with its state (larger batches while it catches up, say).
   */
  readonly batchSize?: number | (() => number);
  /** Longest an event waits for its batch to fill; default 50 ms. */
  readonly maxWaitMs?: number;
  /** Reconnection delay: doubles from `initialMs` up to `maxMs`; defaults 100 ms and 5 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** A running subscription. */
export interface CatchUpSubscription {
  readonly name: string;
  /** The last checkpoint the handler accepted (or the last loaded one). */
  readonly checkpoint: Position | undefined;
  /** How many times it has reconnected after a failure. */
  readonly reconnections: number;
  /** Stops after the batch in hand, if any, has been handled. */
  stop(): Promise<void>;
}

type Upcast = <E extends AllStreamDomainEvent>(event: E) => E;

const TIMED_OUT = Symbol('timed out');
const HANDLED = Symbol('handled');

/**
 * A catch-up subscription to `$all` that hands events to a handler in batches, resumes from
 * the handler's stored checkpoint, and on any failure (server gone, subscription error,
 * handler error) reconnects with backoff. After a server or subscription failure it resumes
 * from the last checkpoint the handler accepted; after a handler failure it reloads the stored
 * checkpoint first, because the store may have moved on without it (a rebuild that replaced
 * the tables, another process). Events at or before the position it resumes from are never
 * handed again, whatever the server replays.
 */
export class CatchUpSubscriptionRunner<E extends DomainEvent = DomainEvent> implements CatchUpSubscription {
  private readonly logger: Logger;
  private readonly batchSize: () => number;
  private readonly maxWaitMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly eventTypes: ReadonlySet<string> | undefined;
  private readonly abort = new AbortController();
  private current: AllStreamSubscription | undefined;
  private accepted: Position | undefined;
  /** Unset at start and after a handler failure: the next connection starts from the stored checkpoint. */
  private checkpointLoaded = false;
  private failures = 0;
  private reconnectCount = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: CatchUpSubscriptionOptions<E>,
    private readonly upcast: Upcast = (event) => event,
  ) {
    this.logger = new Logger(`CatchUpSubscription:${options.name}`);
    const batchSize = options.batchSize ?? 100;
    this.batchSize =
      typeof batchSize === 'number' ? () => Math.max(1, batchSize) : () => Math.max(1, batchSize());
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? 50);
    this.initialBackoffMs = options.backoff?.initialMs ?? 100;
    this.maxBackoffMs = options.backoff?.maxMs ?? 5000;
    this.eventTypes = options.filter?.eventTypes ? new Set(options.filter.eventTypes) : undefined;
  }

  get name(): string {
    return this.options.name;
  }

  get checkpoint(): Position | undefined {
    return this.accepted;
  }

  get reconnections(): number {
    return this.reconnectCount;
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  start(): this {
    this.running ??= this.run();
    return this;
  }

  async stop(): Promise<void> {
    if (!this.stopping) {
      this.abort.abort();
      await this.current?.unsubscribe().catch(() => undefined);
    }
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.checkpointLoaded) {
          this.accepted = await this.options.loadCheckpoint();
          this.checkpointLoaded = true;
        }
        await this.consume();
      } catch (error) {
        if (this.stopping) break;
        this.failures += 1;
        const delayMs = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (this.failures - 1));
        const from = this.checkpointLoaded ? 'the last checkpoint' : 'the stored checkpoint';
        this.logger.warn({
          msg: `Subscription interrupted; reconnecting in ${delayMs} ms from ${from}`,
          reason: error instanceof Error ? error.message : String(error),
          attempt: this.failures,
          checkpoint: this.accepted && describe(this.accepted),
        });
        await sleep(delayMs, this.abort.signal);
        this.reconnectCount += 1;
      }
    }
  }

  /**
   * One connection: returns when stopping, throws on anything else. Reads one batch ahead: while
   * the handler stores a batch, the next one is received and decoded (the handler's database work
   * and this decoding then overlap). At most one batch is with the handler at a time, in order; a
   * batch read ahead is dropped, never handed, when the one before it fails or when stopping.
   */
  private async consume(): Promise<void> {
    const subscription = this.client.subscribeToAll({
      fromPosition: this.accepted ?? START,
      filter: this.serverFilter(),
    });
    this.current = subscription;
    subscription.on('caughtUp', () => (this.failures = 0));
    // Errors reach the loop through the iterator; this keeps one arriving after the loop has
    // let go of the subscription from becoming an uncaught exception.
    subscription.on('error', () => undefined);
    const iterator = subscription[Symbol.asyncIterator]();
    let lastBuffered = this.accepted;
    let batch: AllStreamDomainEvent<E>[] = [];
    let flushAt = 0;
    let next = iterator.next();
    next.catch(() => undefined);
    /** The batch with the handler; settles as `HANDLED` or rejects with the handler's error. */
    let handling: Promise<typeof HANDLED> | undefined;
    const hand = async (events: AllStreamDomainEvent<E>[]): Promise<void> => {
      // The one before first (its failure throws here, and this batch is dropped).
      if (handling !== undefined) await handling;
      handling = this.deliver(events).then(() => HANDLED);
      handling.catch(() => undefined);
    };
    try {
      if (this.stopping) return;
      for (;;) {
        // While a batch is with the handler the next one fills (it could not be handed anyway),
        // and the handler's end, or failure, is news even when no event comes.
        const result =
          handling !== undefined
            ? await Promise.race([next, handling])
            : batch.length === 0
              ? await next
              : await raceTimeout(next, flushAt - Date.now());
        if (result === HANDLED) {
          handling = undefined;
          if (batch.length > 0 && Date.now() >= flushAt) {
            await hand(batch);
            batch = [];
          }
          continue;
        }
        if (result === TIMED_OUT) {
          await hand(batch);
          batch = [];
          continue;
        }
        if (result.done) {
          if (this.stopping) return;
          throw new Error('The subscription ended without being stopped');
        }
        next = iterator.next();
        next.catch(() => undefined);
        const event = this.accept(result.value, lastBuffered);
        if (event === undefined) continue;
        lastBuffered = event.position;
        this.failures = 0;
        batch.push(event);
        if (batch.length === 1) flushAt = Date.now() + this.maxWaitMs;
        if (batch.length >= this.batchSize()) {
          await hand(batch);
          batch = [];
        }
      }
    } finally {
      this.current = undefined;
      // The batch with the handler is finished before this connection is let go (and, on a
      // reconnection, before the next one starts from what it stored).
      await handling?.catch(() => undefined);
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }

  private accept(
    resolved: AllStreamResolvedEvent,
    lastBuffered: Position | undefined,
  ): AllStreamDomainEvent<E> | undefined {
    const recorded = resolved.event;
    if (recorded === undefined) return undefined;
    if (lastBuffered !== undefined && comparePositions(recorded.position, lastBuffered) <= 0)
      return undefined;
    const event = toRecordedDomainEvent(recorded);
    if (event === undefined) return undefined;
    if (this.eventTypes !== undefined && !this.eventTypes.has(event.type)) return undefined;
    return this.upcast({ ...event, position: recorded.position }) as AllStreamDomainEvent<E>;
  }

  private async deliver(batch: readonly AllStreamDomainEvent<E>[]): Promise<void> {
    if (this.stopping) throw new Error('stopping');
    const checkpoint = batch[batch.length - 1].position;
    try {
      await this.options.handleBatch(batch, checkpoint);
    } catch (error) {
      // What is stored is the truth now, not what this subscription last saw accepted.
      this.checkpointLoaded = false;
      throw error;
    }
    this.accepted = checkpoint;
  }

  private serverFilter(): Filter | undefined {
    const filter = this.options.filter;
    if (filter?.streamNamePrefixes !== undefined) {
      return streamNameFilter({ prefixes: [...filter.streamNamePrefixes] });
    }
    // The server matches type prefixes; exact types are enforced on this side.
    if (filter?.eventTypes !== undefined) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
    return undefined;
  }
}

function describe(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
