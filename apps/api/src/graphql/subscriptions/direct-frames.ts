import { Logger } from '@nestjs/common';
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';

import type { FeedItem } from './alert-feed.js';
import type { DirectDelivery } from './alert-subscription.js';
import type { FrameWriter } from './frame-writer.js';

const logger = new Logger('Subscriptions');

/** Past this many bytes queued for a subscriber that is not reading, its connection is closed. */
export const SLOW_SUBSCRIBER_BYTES = 8 * 1024 * 1024;

/**
 * A subscription's live notifications written straight to its connection as `next` messages,
 * the payload's JSON made once for every subscriber of the same rendering. Notifications whose
 * rendering is asynchronous are chained, so the order holds. A subscriber that stops reading is
 * disconnected (1013, try again later) once SLOW_SUBSCRIBER_BYTES wait for it, rather than
 * kept in memory without end: it resumes from the read model with `since`.
 */
export class DirectFrames implements DirectDelivery {
  private readonly prefix: string;
  private chain: Promise<void> | undefined;

  constructor(
    private readonly socket: WebSocket,
    id: string,
    private readonly payloadOf: (item: FeedItem) => string | Promise<string>,
    private readonly frames: FrameWriter,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  send(item: FeedItem): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > SLOW_SUBSCRIBER_BYTES) {
      this.socket.close(1013, 'Too far behind: resume with since');
      return;
    }
    let payload: string | Promise<string>;
    try {
      payload = this.payloadOf(item);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (typeof payload === 'string' && this.chain === undefined) {
      this.frames.write(this.socket, `${this.prefix}${payload}}`);
      return;
    }
    const previous = this.chain ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(async () => {
        this.frames.write(this.socket, `${this.prefix}${await payload}}`);
      })
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        if (this.chain === next) this.chain = undefined;
      });
    this.chain = next;
  }

  private fail(error: unknown): void {
    logger.error({ msg: 'A notification could not be rendered', err: error });
    this.socket.close(CloseCode.InternalServerError, 'Internal server error');
  }
}
