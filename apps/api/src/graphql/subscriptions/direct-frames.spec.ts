import { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';

import type { FeedItem } from './alert-feed.js';
import { DirectFrames, SLOW_SUBSCRIBER_BYTES } from './direct-frames.js';
import { FrameWriter } from './frame-writer.js';

/** The part of a ws WebSocket that direct delivery uses, recording frames and closes. */
function fakeSocket() {
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    frames: [] as string[],
    closes: [] as Array<[number, string]>,
    send(data: string, callback: (error?: Error) => void) {
      socket.frames.push(data);
      callback();
    },
    close(code: number, reason: string) {
      socket.closes.push([code, reason]);
      socket.readyState = 2;
    },
  };
  return socket;
}

const item = (seq: number) => ({ seq }) as unknown as FeedItem;

describe('DirectFrames', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('writes each notification as a `next` message under the subscription id, with the shared payload text', () => {
    const socket = fakeSocket();
    const direct = new DirectFrames(
      socket as unknown as WebSocket,
      'sub "1"',
      (notification) => `{"data":{"seq":${notification.seq}}}`,
      new FrameWriter(),
    );
    direct.send(item(1));
    direct.send(item(2));
    expect(socket.frames.map((frame) => JSON.parse(frame))).toEqual([
      { id: 'sub "1"', type: 'next', payload: { data: { seq: 1 } } },
      { id: 'sub "1"', type: 'next', payload: { data: { seq: 2 } } },
    ]);
  });

  it('keeps the order when a rendering is asynchronous and later ones are not', async () => {
    const socket = fakeSocket();
    let release: (text: string) => void = () => undefined;
    const slow = new Promise<string>((resolve) => (release = resolve));
    const direct = new DirectFrames(
      socket as unknown as WebSocket,
      '1',
      (notification) => (notification.seq === 1 ? slow : `{"seq":${notification.seq}}`),
      new FrameWriter(),
    );
    direct.send(item(1));
    direct.send(item(2));
    expect(socket.frames).toEqual([]);
    release('{"seq":1}');
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.frames.map((frame) => JSON.parse(frame).payload.seq)).toEqual([1, 2]);
    direct.send(item(3));
    expect(socket.frames).toHaveLength(3);
  });

  it('disconnects a subscriber that stopped reading (1013), and writes nothing more to it', () => {
    const socket = fakeSocket();
    const direct = new DirectFrames(socket as unknown as WebSocket, '1', () => '{}', new FrameWriter());
    socket.bufferedAmount = SLOW_SUBSCRIBER_BYTES + 1;
    direct.send(item(1));
    direct.send(item(2));
    expect(socket.closes).toEqual([[1013, 'Too far behind: resume with since']]);
    expect(socket.frames).toEqual([]);
  });

  it('closes the connection (4500, the protocol’s internal error) when a notification cannot be rendered, without throwing', () => {
    const socket = fakeSocket();
    const direct = new DirectFrames(
      socket as unknown as WebSocket,
      '1',
      () => {
        throw new Error('cannot render');
      },
      new FrameWriter(),
    );
    expect(() => direct.send(item(1))).not.toThrow();
    expect(socket.closes).toEqual([[4500, 'Internal server error']]);
  });
});
