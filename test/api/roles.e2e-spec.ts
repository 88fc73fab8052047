// ROLES decides what one process does: serving the API, running the worker (projectors and their jobs), or both.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir } from '../support/helpers.js';

const KEY = 'r'.repeat(40);

async function boot(roles: string) {
  const dir = await tempDir('roles');
  const app = await createApp({
    env: {
      NODE_ENV: 'test',
      DATA_DIR: dir.path,
      LOG_LEVEL: 'silent',
      ROLES: roles,
      AUTH_API_KEYS: `admin:root:${KEY}`,
    },
  });
  const url = await startApp(app, { port: 0, host: '127.0.0.1' });
  return { app, url, close: async () => (await app.close(), await dir.remove()) };
}

const readiness = async (url: string) =>
  (await (await fetch(`${url}/health/ready`)).json()) as {
    details: { readmodel: { projectorRunning: boolean }; worker?: { state: string; mode: string } };
  };

describe('process roles', () => {
  let booted: { app: NestFastifyApplication; url: string; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await booted?.close();
    booted = undefined;
  });

  it('api alone serves the API without running the projector', async () => {
    booted = await boot('api');
    const res = await fetch(`${booted.url}/v1/accounts`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ accounts: [{ id: 'r-1', name: 'R', tier: 'SMB', ownerId: 'am-1' }] }),
    });
    expect(res.status).toBe(200);
    const ready = await readiness(booted.url);
    expect(ready.details.readmodel.projectorRunning).toBe(false);
    expect(ready.details.worker).toBeUndefined();
  });

  it('worker alone runs the projector, leading at once on PGlite, and serves health, not the API', async () => {
    booted = await boot('worker');
    const ready = await readiness(booted.url);
    expect(ready.details.readmodel.projectorRunning).toBe(true);
    expect(ready.details.worker).toEqual({ status: 'up', state: 'leader', mode: 'single-process' });
    const res = await fetch(`${booted.url}/v1/accounts`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: '{"accounts":[]}',
    });
    expect(res.status).toBe(404);
    expect((await fetch(`${booted.url}/graphql`, { method: 'POST' })).status).toBe(404);
  });
});
