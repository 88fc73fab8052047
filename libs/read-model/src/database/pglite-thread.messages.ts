import type { MessagePort } from 'node:worker_threads';

/** What the worker thread is started with. */
export interface PgliteWorkerData {
  readonly dataDir: string;
}

/** From the owning thread to the worker. */
export type PgliteThreadCommand =
  /** A new client connection: PostgreSQL wire-protocol bytes flow over `port` both ways. */
  | { readonly type: 'connect'; readonly port: MessagePort }
  /** Answered with a pong between two statements, even in the middle of a transaction. */
  | { readonly type: 'ping'; readonly id: number }
  /** Roll back what is open, close PGlite (which writes everything out), then exit. */
  | { readonly type: 'close' };

/** From the worker to the owning thread. */
export type PgliteThreadEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'pong'; readonly id: number }
  | { readonly type: 'closed' }
  /** PGlite could not open, or failed in a way that leaves it unusable; the worker exits. */
  | { readonly type: 'failed'; readonly message: string };

/**
 * On a connection's port: protocol bytes (a `Uint8Array`), or {@link END_OF_CONNECTION} once the
 * client is done with it, like a socket closing.
 */
export const END_OF_CONNECTION = 'end';
