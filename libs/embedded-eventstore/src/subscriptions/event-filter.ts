import type { StoredEvent } from '../storage/event-log.js';

/** A server-side filter on `$all`: stream names or event types, by prefixes or a regular expression. */
export class EventFilter {
  private readonly regex?: RegExp;

  constructor(
    private readonly on: 'stream' | 'type',
    private readonly prefixes: string[],
    regex: string | undefined,
    /** Events considered between two checkpoints. */
    readonly checkpointInterval: number,
  ) {
    if (regex) this.regex = new RegExp(regex);
  }

  matches(e: StoredEvent): boolean {
    const subject = this.on === 'stream' ? e.streamName : e.type;
    if (this.prefixes.length) return this.prefixes.some((p) => subject.startsWith(p));
    if (this.regex) return this.regex.test(subject);
    return true;
  }
}
