// SIGTERM while a request is in flight: the service stops taking new connections, answers the
// request it has, closes its subscriptions as going away, stores the projection's checkpoint with
// what it applied, and exits 0; after a restart nothing acknowledged is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import WebSocket from 'ws';

import { EmbeddedEventStore, freePort } from '#embedded-eventstore';
import {
  ACCOUNT_PROJECTION_NAME,
  liveTables,
  loadProjectionCheckpoint,
  ReadModelDatabase,
} from '#read-model';

import { delay, tempDir, waitFor } from '../support/helpers.js';

const MAIN = resolve('dist/apps/api/src/main.js');
const KEY = 'g'.repeat(40);
const ADMIN = 'h'.repeat(40);
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

describe('graceful shutdown', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: EmbeddedEventStore;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
    dir = await tempDir('shutdown');
    store = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await store?.stop();
    await dir?.remove();
  });

  const start = async (port: number) => {
    const started = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dir.path,
        EVENTSTORE_CONNECTION_STRING: store.connectionString,
        AUTH_API_KEYS: `integration:crm:${KEY},admin:ops:${ADMIN}`,
        RISK_SCAN_INTERVAL_MS: '60000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => started.once('exit', (code) => done(code)));
    await waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.status === 200,
      30_000,
      'the service to listen',
    );
    child = started;
    return { process: started, exited };
  };
  const batch = (from: number, count: number) => ({
    touchpoints: Array.from({ length: count }, (_, i) => ({
      touchpointId: `drain-${from + i}`,
      accountId: `drain-${(from + i) % 20}`,
      occurredAt: new Date(Date.now() - 60_000 * (from + i + 1)).toISOString(),
      channel: 'EMAIL',
      direction: 'OUTBOUND',
      pillar: 'ENGAGEMENT',
      summary: `Newsletter ${from + i}`,
      source: 'crm',
    })),
  });

  /** A riskAlerts subscriber over graphql-transport-ws, acknowledged and subscribed. */
  const subscribe = async (port: number) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ADMIN}` } }));
    const [ack] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(ack.toString())).toEqual({ type: 'connection_ack' });
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { riskAlerts { cursor } }' },
      }),
    );
    return { closed: new Promise<number>((done) => socket.once('close', (code) => done(code))) };
  };

  it('answers the requests in flight, closes subscriptions, stores its checkpoint and exits 0; a restart finds everything', async () => {
    const port = await freePort();
    const first = await start(port);
    const base = `http://127.0.0.1:${port}`;
    const subscriber = await subscribe(port);
    const opened = await fetch(`${base}/v1/accounts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        accounts: Array.from({ length: 20 }, (_, i) => ({
          id: `drain-${i}`,
          name: `Drain ${i}`,
          tier: 'SMB',
          ownerId: 'am-1',
        })),
      }),
    });
    expect(opened.status).toBe(200);

    // Three large batches in flight, then SIGTERM.
    const inFlight = [0, 1000, 2000].map((from) =>
      fetch(`${base}/v1/touchpoints`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(batch(from, 1000)),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { results: Array<{ status: string }> },
      })),
    );
    await delay(50);
    first.process.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.results.every((r) => r.status === 'created')).toBe(true);
    }
    expect(await first.exited).toBe(0);
    // The subscriber was told the server is going away (1001), so it reconnects elsewhere.
    expect(await subscriber.closed).toBe(1001);
    // No longer listening.
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();

    // The checkpoint stored says exactly what the tables hold.
    const db = await ReadModelDatabase.open({ databaseUrl: undefined, dataDir: dir.path });
    try {
      const checkpoint = await loadProjectionCheckpoint(db.db, ACCOUNT_PROJECTION_NAME);
      expect(checkpoint).toBeDefined();
      const rows = await db.db.select().from(liveTables.timelineEntries);
      // Every account event has its timeline entry: the checkpoint covers exactly the rows stored.
      expect(checkpoint!.eventsApplied).toBe(rows.length);
    } finally {
      await db.close();
    }

    const second = await start(port);
    await waitFor(
      async () => {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { ...auth, authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify({
            query: '{ accounts(first: 1) { totalCount } account(id: "drain-0") { touchpointCount } }',
          }),
        });
        const body = (await response.json()) as { data?: { account?: { touchpointCount: number } } };
        return body.data?.account?.touchpointCount === 150;
      },
      60_000,
      'every acknowledged touchpoint in the read model',
    );
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    child = undefined;
  }, 180_000);
});
