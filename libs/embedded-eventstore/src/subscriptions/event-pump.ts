import type { ServerWritableStream } from '@grpc/grpc-js';
import type { StoredEvent } from '../storage/event-log.js';
import { ReadResp, type ReadReqT } from '../grpc/protocol.js';
import type { ReadResponse } from '../grpc/wire.js';

/** Reads the next page after the pump's cursor; an empty page means "caught up for now". */
export type PageReader = (limit: number) => StoredEvent[];

const PAGE = 512;

/**
 * Writes events to one gRPC read call, page by page, waiting for the transport to drain between
 * pages: a slow reader is paced, never buffered without bound. Used for plain reads (which end when
 * the reader runs dry) and subscriptions (which announce CaughtUp, then wait for the next commit).
 */
export class EventPump {
  private closed = false;
  private wake?: () => void;
  private notified = false;
  private considered = 0;

  constructor(
    private readonly call: ServerWritableStream<ReadReqT, ReadResponse>,
    private readonly encode: (e: StoredEvent) => ReadResponse,
    private readonly options: {
      /** Subscriptions keep going after catching up; plain reads end. */
      live: boolean;
      maxCount?: number;
      matches?: (e: StoredEvent) => boolean;
      /** Filtered $all subscriptions send a checkpoint every this many events considered. */
      checkpointInterval?: number;
    },
  ) {
    call.on('cancelled', () => this.close());
    call.on('close', () => this.close());
    call.on('error', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called after every commit: a waiting subscription reads what was just made durable. */
  notify(): void {
    this.notified = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.notify();
  }

  /** Ends the call with an error the client sees (UNAVAILABLE on shutdown makes it reconnect). */
  abort(error: Error): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', error);
  }

  async run(read: PageReader): Promise<void> {
    let remaining = this.options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let caughtUpSent = false;
    while (!this.closed && remaining > 0) {
      this.notified = false;
      // The read and the decision to wait happen in one synchronous step: no commit can slip
      // between them, so the switch from catch-up to live loses and repeats nothing.
      const page = read(Math.min(PAGE, remaining));
      if (!page.length) {
        if (!this.options.live) break;
        if (!caughtUpSent) {
          caughtUpSent = true;
          const resp = new ReadResp();
          resp.setCaughtUp(new ReadResp.CaughtUp());
          if (!this.call.write(resp)) await this.drained();
        }
        if (!this.notified) await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      for (const e of page) {
        if (this.closed) return;
        let ok = true;
        if (!this.options.matches || this.options.matches(e)) {
          ok = this.call.write(this.encode(e));
          remaining--;
        }
        const interval = this.options.checkpointInterval;
        if (interval && ++this.considered % interval === 0) ok = this.writeCheckpoint(e.position) && ok;
        if (!ok) await this.drained();
        if (remaining <= 0) break;
      }
    }
    if (!this.closed) {
      this.closed = true;
      this.call.end();
    }
  }

  private writeCheckpoint(position: bigint): boolean {
    const checkpoint = new ReadResp.Checkpoint();
    checkpoint.setCommitPosition(position.toString());
    checkpoint.setPreparePosition(position.toString());
    const resp = new ReadResp();
    resp.setCheckpoint(checkpoint);
    return this.call.write(resp);
  }

  private drained(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.call.off('drain', done);
        this.call.off('close', done);
        this.call.off('cancelled', done);
        resolve();
      };
      this.call.on('drain', done);
      this.call.on('close', done);
      this.call.on('cancelled', done);
    });
  }
}
