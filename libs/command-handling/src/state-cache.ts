import type { LoadedStream } from '#eventstore';

/**
 * The last known state of recently used streams, least recently used evicted first. An entry
 * may be stale when another process wrote to the stream: the expected revision of the next
 * append finds that out, so the cache saves reads without ever deciding on what it cannot check.
 */
export class StreamStateCache<State, Entry extends LoadedStream<State> = LoadedStream<State>> {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

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
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(stream: string): void {
    this.entries.delete(stream);
  }

  get size(): number {
    return this.entries.size;
  }
}
