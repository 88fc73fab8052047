// The service while its dependencies go away and come back (PostgreSQL behind a TCP proxy the test
// cuts, the embedded event store stopped and started on the same port): requests fail fast with
// UNAVAILABLE and a message that says to retry, writes that need only the event store go on, and
// once the dependency is back the projection resumes from its checkpoint, nothing lost or twice.
import { createServer, type Server, type Socket, connect } from 'node:net';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eq } from 'drizzle-orm';

import { EmbeddedEventStore } from '#embedded-eventstore';
import { ReadModelDatabase, touchpoints } from '#read-model';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS } from '../read-model/databases.js';
import { tempDir, waitFor } from '../support/helpers.js';

const KEY = 'r'.repeat(40);
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

/** A TCP proxy to PostgreSQL that the test can take down (refusing and cutting connections) and bring back. */
class Cuttable {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((done) => this.server!.listen(this.port, '127.0.0.1', done));
    this.port = (this.server.address() as { port: number }).port;
  }

  async down(): Promise<void> {
    const closed = new Promise((done) => this.server?.close(done));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

const postgres = DATABASE_TARGETS.filter((target) => target.name === 'postgres');

describe.each(postgres)('the service while its dependencies go away and come back ($name)', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: EmbeddedEventStore;
  let proxy: Cuttable;
  let app: NestFastifyApplication;
  let base: string;
  let database: Awaited<ReturnType<typeof target.fresh>>;

  beforeAll(async () => {
    dir = await tempDir('outage');
    store = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
    database = await target.fresh();
    const url = new URL(database.config.databaseUrl!);
    proxy = new Cuttable(url.hostname, Number(url.port || 5432));
    await proxy.up();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    app = await createApp({
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        DATA_DIR: dir.path,
        DATABASE_URL: url.toString(),
        EVENTSTORE_CONNECTION_STRING: store.connectionString,
        AUTH_API_KEYS: `admin:ops:${KEY}`,
        RISK_SCAN_INTERVAL_MS: '60000',
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await proxy?.down().catch(() => undefined);
    await store?.stop();
    await database?.drop();
    await dir?.remove();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const touchpointCount = async (accountId: string) => {
    const answer = await post('/graphql', { query: `{ account(id: "${accountId}") { touchpointCount } }` });
    return answer.body;
  };
  const touches = (accountId: string, from: number, count: number) => ({
    touchpoints: Array.from({ length: count }, (_, i) => ({
      touchpointId: `${accountId}-tp-${from + i}`,
      accountId,
      occurredAt: new Date(Date.now() - 60_000 * (from + i + 1)).toISOString(),
      channel: 'CALL',
      direction: 'INBOUND',
      pillar: 'SERVICE',
      sentiment: 'POSITIVE',
      summary: 'Weekly call',
      source: 'test',
    })),
  });
  const ready = async () => (await fetch(`${base}/health/ready`)).status;

  it('answers UNAVAILABLE while PostgreSQL is away, keeps taking writes, and catches up once it is back', async () => {
    expect(
      (
        await post('/v1/accounts', {
          accounts: [{ id: 'pg-out', name: 'Outage Inc', tier: 'SMB', ownerId: 'am-1' }],
        })
      ).status,
    ).toBe(200);
    expect((await post('/v1/touchpoints', touches('pg-out', 0, 10))).status).toBe(200);
    await waitFor(
      async () => (await touchpointCount('pg-out')).data?.account?.touchpointCount === 10,
      20_000,
      'ten',
    );

    await proxy.down();
    const refused = await touchpointCount('pg-out');
    expect(refused.errors[0]).toMatchObject({
      message: expect.stringMatching(/unavailable; retry later/),
      extensions: { code: 'UNAVAILABLE' },
    });
    expect(JSON.stringify(refused)).not.toMatch(/ECONNREFUSED|stack|pg-pool|at .*\.js/);
    await waitFor(async () => (await ready()) === 503, 20_000, 'not ready');
    // Ingestion needs only the event store: it goes on and is acknowledged.
    const written = await post('/v1/touchpoints', touches('pg-out', 10, 15));
    expect(written.status).toBe(200);
    expect(written.body.results.every((r: { status: string }) => r.status === 'created')).toBe(true);

    await proxy.up();
    await waitFor(
      async () => (await touchpointCount('pg-out')).data?.account?.touchpointCount === 25,
      30_000,
      'all 25',
    );
    await waitFor(async () => (await ready()) === 200, 30_000, 'ready again');
    const db = await ReadModelDatabase.open(database.config);
    try {
      const rows = await db.db.select().from(touchpoints).where(eq(touchpoints.accountId, 'pg-out'));
      expect(rows).toHaveLength(25);
      expect(new Set(rows.map((row) => row.id)).size).toBe(25);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('refuses writes with UNAVAILABLE while the event store is away, and takes them again once it is back', async () => {
    const port = Number(new URL(store.connectionString.replace('esdb://', 'http://')).port);
    await store.stop();
    const refused = await post('/v1/touchpoints', touches('pg-out', 25, 5));
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.results.map((r: { error?: { code: string } }) => r.error?.code)).toEqual(
      Array(5).fill('UNAVAILABLE'),
    );
    // Reads are served from the read model meanwhile.
    expect((await touchpointCount('pg-out')).data.account.touchpointCount).toBe(25);

    store = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore`, port });
    await waitFor(
      async () => {
        const again = await post('/v1/touchpoints', touches('pg-out', 25, 5));
        return (
          again.status === 200 && again.body.results.every((r: { status: string }) => r.status !== 'rejected')
        );
      },
      30_000,
      'writes taken again',
    );
    await waitFor(
      async () => (await touchpointCount('pg-out')).data?.account?.touchpointCount === 30,
      30_000,
      'all 30',
    );
  }, 120_000);
});
