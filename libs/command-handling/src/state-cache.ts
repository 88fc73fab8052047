import type { LoadedStream } from '#eventstore';

/** Events a cached state stands for: its stream's revision plus one (none for a stream not written yet). */
function eventsOf(entry: LoadedStream<unknown>): number {
  return Number(entry.revision) + 1;
}

/**
 * The last known state of recently used streams, least recently used evicted first. An entry
 * may be stale when another process wrote to the stream: the expected revision of the next
 * append finds that out, so the cache saves reads without ever deciding on what it cannot check.
 *
 * Bounded by streams and by the events folded into the cached states together: a state grows with
 * its stream (an account's remembers every touchpoint id, for idempotency at any distance), so a
 * bound on streams alone would let a few thousand long-lived accounts take gigabytes.
 */
export class StreamStateCache<State, Entry extends LoadedStream<State> = LoadedStream<State>> {
  private readonly entries = new Map<string, Entry>();
  private events = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxEvents = Number.POSITIVE_INFINITY,
  ) {}

  get(stream: string): Entry | undefined {
    const entry = this.entries.get(stream);
    if (entry) {
      // Re-insert to mark it most recently used (Map keeps insertion order).
      this.entries.delete(stream);
      this.entries.set(stream, entry);
    }
    return entry;
  }

  set(stream: string, entry: Entry): void {
    const known = this.entries.get(stream);
    // Never go back: a slower writer must not replace a newer state with an older one.
    if (known && known.revision > entry.revision) return;
    this.delete(stream);
    // A state larger than the whole cache is loaded again when next needed.
    if (eventsOf(entry) > this.maxEvents) return;
    this.entries.set(stream, entry);
    this.events += eventsOf(entry);
    while (this.entries.size > this.capacity || this.events > this.maxEvents) {
      this.delete(this.entries.keys().next().value as string);
    }
  }

  delete(stream: string): void {
    const known = this.entries.get(stream);
    if (known === undefined) return;
    this.entries.delete(stream);
    this.events -= eventsOf(known);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Events folded into the cached states, all together. */
  get eventCount(): number {
    return this.events;
  }
}
