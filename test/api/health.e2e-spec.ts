import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { EmbeddedEventStore } from '#embedded-eventstore';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { delay, tempDir } from '../support/helpers.js';

async function get(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

async function waitForStatus(
  url: string,
  status: number,
  timeoutMs = 10_000,
): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await get(url);
    if (result.status === status || Date.now() > deadline) return result;
    await delay(100);
  }
}

describe('health over HTTP with the embedded event store', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    dir = await tempDir('api-e2e');
    app = await createApp({ env: { NODE_ENV: 'test', DATA_DIR: dir.path, LOG_LEVEL: 'silent' } });
    url = await startApp(app, { port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it('listens on loopback on the given port', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /health/live answers 200', async () => {
    const { status, body } = await get(`${url}/health/live`);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
  });

  it('GET /health/ready answers 200 when the event store answers', async () => {
    const { status, body } = await get(`${url}/health/ready`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { eventstore: { status: 'up', mode: 'embedded' } } });
  });

  it('answers 404 for unknown routes', async () => {
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});

describe('readiness follows an external event store', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore | undefined;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    dir = await tempDir('api-e2e-external');
    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/external` });
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        EVENTSTORE_CONNECTION_STRING: server.connectionString,
      },
    });
    url = await startApp(app, { port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('is ready while the store runs, 503 while it is down, and ready again once it is back', async () => {
    const ready = await get(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info.eventstore).toMatchObject({ status: 'up', mode: 'external' });

    const port = server!.port;
    await server!.stop();
    server = undefined;
    const down = await waitForStatus(`${url}/health/ready`, 503);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', error: { eventstore: { status: 'down' } } });
    expect((await get(`${url}/health/live`)).status).toBe(200);

    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/external`, port });
    expect((await waitForStatus(`${url}/health/ready`, 200)).status).toBe(200);
  });
});
