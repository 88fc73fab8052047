import {
  createEvent,
  type EventStore,
  type JsonObject,
  type JsonValue,
  type LoadedStream,
} from '#eventstore';

export const SNAPSHOT_EVENT_TYPE = 'StreamSnapshotTaken';

export interface SnapshotOptions<State> {
  /** Write a snapshot once a stream has grown by this many events since the last one. */
  readonly every: number;
  /**
   * Version of the state's shape. A snapshot of another version is ignored (the stream is folded
   * from the start instead), so changing `evolve` or the state only needs this number raised.
   */
  readonly stateVersion: number;
  readonly toJson: (state: State) => JsonValue;
  readonly fromJson: (json: JsonValue) => State;
}

type SnapshotData = JsonObject & { stateVersion: number; revision: string; state: JsonValue };

/**
 * Snapshots live in their own stream, `snapshot-<stream>`, outside the prefixes that projections
 * read. They only shorten loading: a missing, old or unreadable snapshot costs a longer fold.
 */
export class SnapshotStore<State> {
  constructor(
    private readonly store: EventStore,
    private readonly options: SnapshotOptions<State>,
  ) {}

  streamOf(stream: string): string {
    return `snapshot-${stream}`;
  }

  async load(stream: string): Promise<LoadedStream<State> | undefined> {
    const last = await this.store.readLast(this.streamOf(stream));
    if (!last || last.type !== SNAPSHOT_EVENT_TYPE) return undefined;
    const data = last.data as SnapshotData;
    if (data.stateVersion !== this.options.stateVersion) return undefined;
    return { state: this.options.fromJson(data.state), revision: BigInt(data.revision) };
  }

  shouldTake(lastSnapshotRevision: bigint, revision: bigint): boolean {
    return revision - lastSnapshotRevision >= BigInt(this.options.every);
  }

  async save(stream: string, snapshot: LoadedStream<State>): Promise<void> {
    const data: SnapshotData = {
      stateVersion: this.options.stateVersion,
      revision: snapshot.revision.toString(),
      state: this.options.toJson(snapshot.state),
    };
    const context = {
      correlationId: `snapshot-${stream}`,
      causationId: `snapshot-${stream}`,
      principal: 'system',
    };
    await this.store.append(this.streamOf(stream), [createEvent(SNAPSHOT_EVENT_TYPE, data, context)], 'any');
  }
}
