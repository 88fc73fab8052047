import {
  ConcurrencyConflictError,
  createEvent,
  type EventContext,
  type EventStore,
  type JsonObject,
  type LoadedStream,
  type Position,
} from '#eventstore';
import { CommandConflictError } from './command-conflict.error.js';
import type { Decider } from './decider.js';
import { KeyedLock } from './keyed-lock.js';
import { SnapshotStore, type SnapshotOptions } from './snapshots.js';
import { StreamStateCache } from './state-cache.js';

export type CommandResult<Event, Outcome extends string> =
  | { readonly ok: true; readonly outcome: Outcome; readonly events: readonly Event[] }
  | { readonly ok: false; readonly error: unknown };

export interface HandledCommands<State, Event, Outcome extends string> {
  /** One result per command, in order. */
  readonly results: ReadonlyArray<CommandResult<Event, Outcome>>;
  /** The stream's state and revision after the commands. */
  readonly state: State;
  readonly revision: bigint;
  /** Position of the last appended event; undefined when nothing was appended. */
  readonly position?: Position;
}

/** What became of the commands of one call: for metrics, never for decisions. */
export interface HandledReport<Command, Event, Outcome extends string> {
  readonly commands: readonly Command[];
  /** One per command; undefined when the call failed as a whole (conflicts to the last attempt, store errors). */
  readonly results: ReadonlyArray<CommandResult<Event, Outcome>> | undefined;
  /** The events the call appended (none when it failed or had nothing to write). */
  readonly appended: readonly Event[];
}

export interface StreamCommandHandlerOptions<
  State,
  Command = unknown,
  Event = unknown,
  Outcome extends string = string,
> {
  /** Loads and decides again this many times when other writers move the stream, then gives up. */
  readonly maxAttempts?: number;
  /** How many streams' states to keep in memory. */
  readonly cacheSize?: number;
  /**
   * How many events the cached states may stand for together (a state's revision plus one each):
   * the bound that holds memory when streams are long. An account's touchpoint takes about 200
   * bytes of its state, so the default keeps the cache to about 50 MB.
   */
  readonly cacheEvents?: number;
  readonly snapshots?: SnapshotOptions<State>;
  /** Told about failures that do not fail the command (a snapshot that could not be written). */
  readonly onBackgroundError?: (error: unknown) => void;
  /** Told after every call, however it ended; what it throws is passed to `onBackgroundError`. */
  readonly onHandled?: (report: HandledReport<Command, Event, Outcome>) => void;
}

type CachedState<State> = LoadedStream<State> & { readonly snapshotRevision: bigint };

/**
 * Runs commands against one stream: load its state (cache, else snapshot plus the events after
 * it), decide, append with the expected revision, and on a concurrent write catch up and decide
 * again. The cost of a command does not grow with the stream's length: a warm state needs no
 * read at all, a cold one reads the snapshot and what came after it.
 */
export class StreamCommandHandler<
  State,
  Command,
  Event extends { readonly type: string; readonly data: JsonObject },
  Outcome extends string = string,
> {
  private readonly cache: StreamStateCache<State, CachedState<State>>;
  private readonly snapshots?: SnapshotStore<State>;
  private readonly maxAttempts: number;
  private readonly snapshotting = new Set<string>();
  private readonly lock = new KeyedLock();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Command, Event, Outcome>,
    private readonly options: StreamCommandHandlerOptions<State, Command, Event, Outcome> = {},
  ) {
    this.cache = new StreamStateCache(options.cacheSize ?? 10_000, options.cacheEvents ?? 250_000);
    this.maxAttempts = options.maxAttempts ?? 8;
    if (options.snapshots) this.snapshots = new SnapshotStore(store, options.snapshots);
  }

  /**
   * Decides `commands` in order, each on the state the previous ones left, and appends all their
   * events in one write. A rejected command (the decider's own errors) fails alone.
   */
  handle(
    stream: string,
    commands: readonly Command[],
    context: EventContext,
  ): Promise<HandledCommands<State, Event, Outcome>> {
    return this.lock.run(stream, async () => {
      let handled: HandledCommands<State, Event, Outcome>;
      try {
        handled = await this.handleNow(stream, commands, context);
      } catch (error) {
        this.report({ commands, results: undefined, appended: [] });
        throw error;
      }
      const appended =
        handled.position === undefined ? [] : handled.results.flatMap((r) => (r.ok ? r.events : []));
      this.report({ commands, results: handled.results, appended });
      return handled;
    });
  }

  private report(report: HandledReport<Command, Event, Outcome>): void {
    try {
      this.options.onHandled?.(report);
    } catch (error) {
      this.options.onBackgroundError?.(error);
    }
  }

  private async handleNow(
    stream: string,
    commands: readonly Command[],
    context: EventContext,
  ): Promise<HandledCommands<State, Event, Outcome>> {
    let { entry, fresh } = await this.current(stream);
    for (let attempt = 1; ; attempt++) {
      const { results, events, state } = this.decideAll(commands, entry.state);
      if (!events.length) {
        // Nothing to write, so no expected revision checks the state: make sure it is current.
        if (!fresh) {
          const caughtUp = await this.catchUp(stream, entry);
          if (caughtUp.revision !== entry.revision) {
            entry = caughtUp;
            fresh = true;
            continue;
          }
        }
        return { results, state: entry.state, revision: entry.revision };
      }
      try {
        const appended = await this.store.append(
          stream,
          events.map((e) => createEvent(e.type, e.data, context)),
          entry.revision,
        );
        const next: CachedState<State> = {
          state,
          revision: appended.revision,
          snapshotRevision: entry.snapshotRevision,
        };
        this.cache.set(stream, next);
        this.maybeSnapshot(stream, next);
        return { results, state, revision: appended.revision, position: appended.position };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        if (attempt >= this.maxAttempts) throw new CommandConflictError(stream, attempt);
        // Writers in other processes that keep colliding would collide again in lockstep:
        // a short random pause, growing with each attempt, lets one of them through.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
        entry = await this.catchUp(stream, entry);
        fresh = true;
      }
    }
  }

  /** The state as this process last knew it, without reading the store when it is cached. */
  load(stream: string): Promise<LoadedStream<State>> {
    return this.lock.run(stream, async () => {
      const { entry, fresh } = await this.current(stream);
      return fresh ? entry : this.catchUp(stream, entry);
    });
  }

  private decideAll(commands: readonly Command[], initial: State) {
    let state = initial;
    const events: Event[] = [];
    const results: Array<CommandResult<Event, Outcome>> = [];
    for (const command of commands) {
      try {
        const decision = this.decider.decide(command, state);
        for (const event of decision.events) state = this.decider.evolve(state, event);
        events.push(...decision.events);
        results.push({ ok: true, outcome: decision.outcome, events: decision.events });
      } catch (error) {
        if (!this.decider.isRejection(error)) throw error;
        results.push({ ok: false, error });
      }
    }
    return { results, events, state };
  }

  private async current(stream: string): Promise<{ entry: CachedState<State>; fresh: boolean }> {
    const cached = this.cache.get(stream);
    if (cached) return { entry: cached, fresh: false };
    let snapshot: LoadedStream<State> | undefined;
    try {
      snapshot = await this.snapshots?.load(stream);
    } catch (error) {
      this.options.onBackgroundError?.(error);
    }
    const loaded = await this.fold(stream, snapshot);
    const entry = { ...loaded, snapshotRevision: snapshot?.revision ?? -1n };
    this.cache.set(stream, entry);
    return { entry, fresh: true };
  }

  /** Folds the stream's events after `from` (all of them without it) into its state. */
  private fold(stream: string, from: LoadedStream<State> | undefined): Promise<LoadedStream<State>> {
    // Recorded events carry metadata besides type and data; evolve reads only those two.
    return this.store.load(
      stream,
      (s: State, e) => this.decider.evolve(s, e as unknown as Event),
      this.decider.initialState,
      from,
    );
  }

  private async catchUp(stream: string, entry: CachedState<State>): Promise<CachedState<State>> {
    const loaded = await this.fold(stream, entry);
    const next = { ...loaded, snapshotRevision: entry.snapshotRevision };
    this.cache.set(stream, next);
    return next;
  }

  private maybeSnapshot(stream: string, entry: CachedState<State>): void {
    const snapshots = this.snapshots;
    if (
      !snapshots ||
      !snapshots.shouldTake(entry.snapshotRevision, entry.revision) ||
      this.snapshotting.has(stream)
    )
      return;
    this.snapshotting.add(stream);
    snapshots
      .save(stream, entry)
      .then(() => {
        const cached = this.cache.get(stream);
        if (cached && cached.revision >= entry.revision)
          this.cache.set(stream, { ...cached, snapshotRevision: entry.revision });
      })
      .catch((error) => this.options.onBackgroundError?.(error))
      .finally(() => this.snapshotting.delete(stream));
  }
}
