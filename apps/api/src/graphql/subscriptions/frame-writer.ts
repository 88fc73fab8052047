import type { Duplex } from 'node:stream';

import type { WebSocket } from 'ws';

/** Past this many bytes waiting for a connection, sending waits until the client has taken them. */
export const BACKPRESSURE_BYTES = 64 * 1024;

/**
 * Sends WebSocket frames so that those sent to one connection in one turn of the event loop leave
 * in one socket write. An alert notification is a few hundred bytes; written one frame at a time,
 * each was a system call of its own, the largest single cost of delivering alerts to many
 * subscribers. The connection's socket is corked at the first frame of a turn and uncorked once
 * the turn's promise jobs have run (a `process.nextTick` queued from them runs after them).
 *
 * A send resolves at once while the connection keeps up, so the next notification of the same
 * subscription joins the same write; behind by more than {@link BACKPRESSURE_BYTES}, it resolves
 * only once the frame is written, which holds that subscriber back and no other.
 */
export class FrameWriter {
  private readonly sockets = new WeakMap<WebSocket, Duplex>();
  private readonly corked = new Set<Duplex>();

  /** Remembers the network socket under a WebSocket (the one its upgrade came on). */
  attach(webSocket: WebSocket, socket: Duplex): void {
    this.sockets.set(webSocket, socket);
  }

  send(webSocket: WebSocket, data: string): Promise<void> {
    if (webSocket.readyState !== webSocket.OPEN || webSocket.bufferedAmount < BACKPRESSURE_BYTES) {
      this.write(webSocket, data);
      return Promise.resolve();
    }
    this.corkForThisTurn(webSocket);
    return new Promise<void>((resolve, reject) =>
      webSocket.send(data, (error) => (error ? reject(error) : resolve())),
    );
  }

  /**
   * Queues a frame without waiting, whatever the client's backlog: for callers that watch
   * `bufferedAmount` themselves. A failed write closes the connection, and the protocol's close
   * handling ends its subscriptions.
   */
  write(webSocket: WebSocket, data: string): void {
    if (webSocket.readyState !== webSocket.OPEN) return;
    this.corkForThisTurn(webSocket);
    webSocket.send(data, ignoreWriteError);
  }

  private corkForThisTurn(webSocket: WebSocket): void {
    const socket = this.sockets.get(webSocket);
    if (socket === undefined || this.corked.has(socket)) return;
    socket.cork();
    this.corked.add(socket);
    process.nextTick(() => {
      this.corked.delete(socket);
      socket.uncork();
    });
  }
}

function ignoreWriteError(): void {}
