import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import WebSocket, { WebSocketServer } from 'ws';

import { BACKPRESSURE_BYTES, FrameWriter } from './frame-writer.js';

/** A loopback WebSocket pair: the server side with its network socket, and a client collecting frames. */
async function connectedPair() {
  const http: Server = createServer();
  const server = new WebSocketServer({ noServer: true });
  const writer = new FrameWriter();
  const accepted = new Promise<{ webSocket: WebSocket; socket: Socket }>((resolve) =>
    http.on('upgrade', (request, socket, head) =>
      server.handleUpgrade(request, socket, head, (webSocket) => {
        writer.attach(webSocket, socket);
        resolve({ webSocket, socket: socket as Socket });
      }),
    ),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString()));
  await new Promise((resolve) => client.once('open', resolve));
  const { webSocket, socket } = await accepted;
  return {
    writer,
    webSocket,
    socket,
    client,
    received,
    async close() {
      client.terminate();
      webSocket.terminate();
      server.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

const waitUntil = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('FrameWriter', () => {
  let pair: Awaited<ReturnType<typeof connectedPair>>;

  beforeEach(async () => {
    pair = await connectedPair();
  });
  afterEach(async () => {
    await pair.close();
  });

  it('sends the frames of one turn in one socket write, in order', async () => {
    const writes: number[] = [];
    const { socket } = pair;
    const writev = socket._writev!.bind(socket);
    socket._writev = (chunks, callback) => {
      writes.push(chunks.length);
      writev(chunks, callback);
    };
    const write = socket._write.bind(socket);
    socket._write = (chunk, encoding, callback) => {
      writes.push(1);
      write(chunk, encoding, callback);
    };
    await Promise.all(['one', 'two', 'three'].map((frame) => pair.writer.send(pair.webSocket, frame)));
    await waitUntil(() => pair.received.length === 3, 'three frames');
    expect(pair.received).toEqual(['one', 'two', 'three']);
    expect(writes).toHaveLength(1);

    // A later turn gets a write of its own.
    await pair.writer.send(pair.webSocket, 'four');
    await waitUntil(() => pair.received.length === 4, 'the fourth frame');
    expect(writes).toHaveLength(2);
  });

  it('holds a sender back once the client falls behind, until its frame is written', async () => {
    // The client stops reading: the kernel's buffers fill, then the socket's own.
    (pair.client as unknown as { _socket: Socket })._socket.pause();
    const big = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 64 && pair.webSocket.bufferedAmount < BACKPRESSURE_BYTES; i++) {
      await pair.writer.send(pair.webSocket, big);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pair.webSocket.bufferedAmount).toBeGreaterThanOrEqual(BACKPRESSURE_BYTES);

    let sent = false;
    const waiting = pair.writer.send(pair.webSocket, 'after the backlog').then(() => (sent = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toBe(false);

    (pair.client as unknown as { _socket: Socket })._socket.resume();
    await waiting;
    await waitUntil(() => pair.received.at(-1) === 'after the backlog', 'the last frame');
  });

  it('sends nothing, and does not wait, once the connection is closed', async () => {
    pair.webSocket.close();
    await waitUntil(() => pair.webSocket.readyState === WebSocket.CLOSED, 'the close');
    await expect(pair.writer.send(pair.webSocket, 'late')).resolves.toBeUndefined();
    expect(pair.received).toEqual([]);
  });
});
