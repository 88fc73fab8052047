import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  isCommandError,
  type AppendExpectedRevision,
  type Position,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Injectable } from '@nestjs/common';

import {
  CatchUpSubscriptionRunner,
  type CatchUpSubscription,
  type CatchUpSubscriptionOptions,
} from './catch-up-subscription.js';
import type { DomainEvent, RecordedDomainEvent } from './domain-event.js';
import { EventStoreConnection } from './event-store.connection.js';
import { ConcurrencyConflictError } from './event-store.errors.js';
import { toEventData, toRecordedDomainEvent } from './event-serialization.js';
import { EventUpcasterRegistry } from './upcasting.js';

/** The revision of a stream that does not exist yet. */
export const NO_STREAM_REVISION = -1n;

/**
 * What an append expects of the stream: its revision as last loaded (`-1n` when it did not
 * exist), or one of the looser checks.
 */
export type ExpectedRevision = bigint | 'no_stream' | 'stream_exists' | 'any';

export interface LoadedStream<State> {
  readonly state: State;
  /** Revision of the last event folded in; `-1n` when the stream does not exist. */
  readonly revision: bigint;
}

export interface AppendResult {
  /** The stream's revision after the append: the `expectedRevision` for the next one. */
  readonly revision: bigint;
  /** Position of the last appended event in `$all`. */
  readonly position: Position | undefined;
}

@Injectable()
export class EventStore {
  constructor(
    private readonly connection: EventStoreConnection,
    private readonly upcasters: EventUpcasterRegistry,
  ) {}

  /**
   * Folds a stream into a state with a pure `evolve`. Events come upcast to their current
   * shape; `evolve` should ignore types it does not know.
   */
  async load<State, E extends DomainEvent = DomainEvent>(
    streamName: string,
    evolve: (state: State, event: RecordedDomainEvent<E>) => State,
    initialState: State,
    /** Continue a state already folded up to `from.revision` (a cache or a snapshot). */
    from?: LoadedStream<State>,
  ): Promise<LoadedStream<State>> {
    let state = from ? from.state : initialState;
    let revision = from ? from.revision : NO_STREAM_REVISION;
    for await (const event of this.readStream<E>(streamName, { fromRevision: revision + 1n })) {
      state = evolve(state, event);
      revision = event.revision;
    }
    return { state, revision };
  }

  /**
   * The events of a stream, oldest first (or newest first with `backwards`), upcast; nothing
   * when the stream does not exist. `fromRevision` includes that revision. Read it to the end:
   * the client's dispose() waits forever for a read that was abandoned half way.
   */
  async *readStream<E extends DomainEvent = DomainEvent>(
    streamName: string,
    options: { fromRevision?: bigint; backwards?: boolean; maxCount?: number } = {},
  ): AsyncGenerator<RecordedDomainEvent<E>> {
    const reading = this.connection.client.readStream(streamName, {
      direction: options.backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (options.backwards ? END : START),
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    try {
      for await (const resolved of reading) {
        if (resolved.event === undefined) continue;
        const event = toRecordedDomainEvent(resolved.event);
        if (event !== undefined) yield this.upcasters.upcast(event) as RecordedDomainEvent<E>;
      }
    } catch (error) {
      if (
        isCommandError(error as Error) &&
        (error as { type: ErrorType }).type === ErrorType.STREAM_NOT_FOUND
      ) {
        return;
      }
      throw error;
    }
  }

  /** The newest event of a stream, or undefined when it has none. */
  async readLast<E extends DomainEvent = DomainEvent>(
    streamName: string,
  ): Promise<RecordedDomainEvent<E> | undefined> {
    // Read to the end (one event) rather than returning from the loop: the client keeps a read
    // that was left early among the streams its dispose() waits for, and waits forever.
    let last: RecordedDomainEvent<E> | undefined;
    for await (const event of this.readStream<E>(streamName, { backwards: true, maxCount: 1 })) last = event;
    return last;
  }

  /**
   * Appends events if the stream is where the caller expects it. Throws
   * {@link ConcurrencyConflictError} when it has moved on.
   */
  async append(
    streamName: string,
    events: readonly DomainEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`Nothing to append to ${streamName}`);
    try {
      const result = await this.connection.client.appendToStream(streamName, events.map(toEventData), {
        expectedRevision: toClientExpectedRevision(expectedRevision),
      });
      return { revision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (
        isCommandError(error as Error) &&
        (error as { type: ErrorType }).type === ErrorType.WRONG_EXPECTED_VERSION
      ) {
        const wrong = error as WrongExpectedVersionError;
        const actual = wrong.actualVersion === NO_STREAM ? NO_STREAM_REVISION : wrong.actualVersion;
        throw new ConcurrencyConflictError(streamName, expectedRevision, actual, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Starts a catch-up subscription to `$all` (see {@link CatchUpSubscriptionRunner}). It
   * stops by itself when the module is destroyed, before the client goes away.
   */
  subscribeCatchUp<E extends DomainEvent = DomainEvent>(
    options: CatchUpSubscriptionOptions<E>,
  ): CatchUpSubscription {
    const runner = new CatchUpSubscriptionRunner<E>(this.connection.client, options, (event) =>
      this.upcasters.upcast(event),
    );
    const untrack = this.connection.track(runner);
    runner.start();
    return {
      get name() {
        return runner.name;
      },
      get checkpoint() {
        return runner.checkpoint;
      },
      get reconnections() {
        return runner.reconnections;
      },
      async stop() {
        untrack();
        await runner.stop();
      },
    };
  }

  /** Resolves when the event store answers a read within `timeoutMs`; rejects otherwise. */
  async ping(timeoutMs = 2000): Promise<void> {
    const reading = this.connection.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      deadline: timeoutMs,
    });
    // Read to the end (one event), never break out: the client's dispose() waits forever for a
    // read left half way, which would hang shutdown after the first readiness probe.
    for await (const _event of reading) void _event;
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected === NO_STREAM_REVISION ? NO_STREAM : expected;
  }
}
