// Fault proof (`npm run test:faults`, also part of `npm test`): 100,000 touchpoints ingested over
// REST by clients that retry on any error, while the service process (first) or the embedded
// event store (second) is killed with SIGKILL and restarted at random moments. Afterwards every
// touchpoint is in the event store exactly once and the read model equals a clean rebuild.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import type { TestingModule } from '@nestjs/testing';

import { EventStoreProcess, freePort } from '#embedded-eventstore';
import {
  ACCOUNT_PROJECTION_NAME,
  ACCOUNT_STREAM_PREFIX,
  AccountProjector,
  ReadModelDatabase,
  liveTables,
} from '#read-model';

import { bootReadModel } from '../read-model/boot.js';
import { DATABASE_TARGETS, type DatabaseTarget, type FreshDatabase } from '../read-model/databases.js';
import { snapshot } from '../read-model/snapshot.js';
import { delay, tempDir } from '../support/helpers.js';

const MAIN = resolve('dist/apps/api/src/main.js');
const ACCOUNTS = 200;
const TOUCHPOINTS = Number(process.env.FAULTS_TOUCHPOINTS ?? 100_000);
const BATCH = 500;
const CLIENTS = 4;
const KILLS = 6;
const KEY = 'f'.repeat(40);
const HOUR = 60 * 60 * 1000;

/** A small seeded generator: the kill moments differ between the runs of one suite, not between runs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batches of touchpoints over all accounts, each identical every time it is sent again. */
function touchpointBatches(prefix: string): Array<Array<Record<string, unknown>>> {
  const start = Date.now() - 5 * 24 * HOUR;
  const channels = ['CALL', 'EMAIL', 'MEETING', 'CHAT', 'SUPPORT_TICKET'];
  const pillars = ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'];
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let first = 0; first < TOUCHPOINTS; first += BATCH) {
    const batch = [];
    for (let i = first; i < first + BATCH; i += 1) {
      batch.push({
        touchpointId: `${prefix}-tp-${i}`,
        // Runs of 100 per account, as an integration syncing an account's history sends them.
        accountId: `${prefix}-acct-${Math.floor(i / 100) % ACCOUNTS}`,
        occurredAt: new Date(start + i * 3000).toISOString(),
        channel: channels[i % channels.length],
        direction: i % 2 === 0 ? 'OUTBOUND' : 'INBOUND',
        pillar: pillars[i % pillars.length],
        sentiment: i % 3 === 0 ? 'NEUTRAL' : 'POSITIVE',
        summary: `Touch ${i}`,
        participants: ['alice@example.com'],
        source: 'faults',
      });
    }
    batches.push(batch);
  }
  return batches;
}

/** The service as a real process on a fixed port, killable and restartable. */
class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<unknown> = Promise.resolve();
  private stopping = false;
  output = '';
  /** Set when the process ended without being killed or stopped: the run fails at once with its output. */
  crash: Error | undefined;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        AUTH_API_KEYS: `integration:faults:${KEY}`,
        // Nothing here is due: the monitor stays out of the way of the comparison.
        RISK_SCAN_INTERVAL_MS: '60000',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Logs (stdout) and crashes (stderr), the last of them, for a failure's message.
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.stopping = false;
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        if (!this.stopping)
          this.crash ??= new Error(
            `the service exited by itself (${signal ?? code}); last output:\n${this.output}`,
          );
        done(code);
      }),
    );
    this.child = child;
  }

  async kill(): Promise<void> {
    this.stopping = true;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.child?.kill('SIGTERM');
    await this.exited;
  }

  /** Until the readiness check says the account projection has nothing left to apply. */
  async caughtUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.crash) throw this.crash;
      try {
        const response = await fetch(`${this.base}/health/ready`, { signal: AbortSignal.timeout(5000) });
        const body = (await response.json()) as { details?: { readmodel?: { lagEvents?: number } } };
        if (response.status === 200 && body.details?.readmodel?.lagEvents === 0) return;
      } catch {
        // Still starting.
      }
      if (Date.now() > deadline)
        throw new Error(`the read model did not catch up; last output:\n${this.output}`);
      // Each check counts the events behind at the event store: asked too often, it slows the catch-up.
      await delay(1000);
    }
  }
}

type Status = 'created' | 'duplicate' | string;
type ItemResult = { status: Status; error?: { code: string } };

/** Refusals a retry cannot change: sending the identical item again must never meet one. */
const FINAL_REFUSALS = new Set(['IDEMPOTENCY_CONFLICT', 'BAD_USER_INPUT', 'NOT_FOUND', 'ACCOUNT_NOT_FOUND']);

/**
 * Posts every batch until it is acknowledged, from several clients at once; any error (refused
 * connection, timeout, 5xx, an item that failed) makes the client wait a little and send the
 * identical batch again. Calls `onAcknowledged` with the count so far.
 */
async function ingestWithRetries(
  service: () => ServiceProcess,
  path: string,
  bodies: unknown[],
  onAcknowledged: (count: number) => void,
): Promise<{ retries: number; statuses: Map<Status, number> }> {
  let next = 0;
  let acknowledged = 0;
  let retries = 0;
  const statuses = new Map<Status, number>();
  const client = async () => {
    for (let index = next++; index < bodies.length; index = next++) {
      for (;;) {
        const { crash, base } = service();
        if (crash) throw crash;
        try {
          const response = await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
            body: JSON.stringify(bodies[index]),
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await response.json()) as { results?: ItemResult[] };
          const results = body.results ?? [];
          if (
            response.status === 200 &&
            results.every((r) => r.status === 'created' || r.status === 'duplicate')
          ) {
            for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
            break;
          }
          if (results.some((r) => r.status === 'rejected' && FINAL_REFUSALS.has(r.error?.code ?? ''))) {
            throw new Error(`a retried item was rejected: ${JSON.stringify(body).slice(0, 500)}`);
          }
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('a retried item')) throw error;
          if (service().crash) throw service().crash;
        }
        retries += 1;
        await delay(100 + Math.random() * 200);
      }
      acknowledged += 1;
      onAcknowledged(acknowledged);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { retries, statuses };
}

/** Every touchpoint id recorded in the event store, with how many times. */
async function recordedTouchpoints(
  connectionString: string,
): Promise<{ counts: Map<string, number>; accountEvents: number }> {
  const client = EventStoreDBClient.connectionString(connectionString);
  const counts = new Map<string, number>();
  let accountEvents = 0;
  try {
    for await (const resolved of client.readAll({
      direction: FORWARDS,
      fromPosition: START,
      maxCount: 10_000_000,
    })) {
      const event = resolved.event;
      if (event === undefined || !event.streamId.startsWith(ACCOUNT_STREAM_PREFIX)) continue;
      accountEvents += 1;
      if (event.type !== 'TouchpointRecorded') continue;
      const id = (event.data as { touchpointId: string }).touchpointId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  } finally {
    await client.dispose();
  }
  return { counts, accountEvents };
}

/** The read model's tables as the test compares them: the account projection's checkpoint only. */
async function accountReadModel(db: ReadModelDatabase) {
  const tables = await snapshot(db.db, liveTables);
  tables.projectionCheckpoints = tables.projectionCheckpoints.filter(
    (row) => row.name === ACCOUNT_PROJECTION_NAME,
  );
  return tables;
}

/** The first row that differs between two tables' rows, or undefined (cheaper than a deep diff of 100,000 rows). */
function firstDifference(left: unknown[], right: unknown[]) {
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    if (JSON.stringify(left[index]) !== JSON.stringify(right[index]))
      return { index, afterFaults: left[index], rebuilt: right[index] };
  }
  return undefined;
}

const pglite = DATABASE_TARGETS[0];
const server = DATABASE_TARGETS[DATABASE_TARGETS.length - 1];

describe.each([
  { victim: 'the service', target: pglite },
  { victim: 'the embedded event store', target: server },
] as Array<{ victim: 'the service' | 'the embedded event store'; target: DatabaseTarget }>)(
  'ingestion while $victim is killed ($target.name)',
  ({ victim, target }) => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let store: EventStoreProcess | undefined;
    let service: ServiceProcess | undefined;
    const databases: FreshDatabase[] = [];
    const modules: TestingModule[] = [];

    beforeAll(() => {
      if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
    });
    afterAll(async () => {
      await service?.kill();
      for (const moduleRef of modules) await moduleRef.close();
      await store?.kill();
      for (const database of databases) await database.drop();
      await dir?.remove();
    });

    it('keeps every acknowledged touchpoint exactly once, and the read model equals a clean rebuild', async () => {
      dir = await tempDir('faults');
      const storePort = await freePort();
      const storeDir = `${dir.path}/eventstore`;
      store = await EventStoreProcess.start(storeDir, storePort);
      const live = await target.fresh();
      databases.push(live);
      service = new ServiceProcess(await freePort(), {
        EVENTSTORE_CONNECTION_STRING: store.connectionString,
        ...live.env,
      });
      service.start();

      const prefix = victim === 'the service' ? 'svc' : 'es';
      const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
        id: `${prefix}-acct-${i}`,
        name: `Account ${i}`,
        tier: ['STRATEGIC', 'ENTERPRISE', 'MIDMARKET', 'SMB'][i % 4],
        ownerId: `am-${i % 7}`,
        openedAt: new Date(Date.now() - 6 * 24 * HOUR).toISOString(),
      }));
      const current = () => service!;
      await ingestWithRetries(
        current,
        '/v1/accounts',
        [{ accounts: accounts.slice(0, 100) }, { accounts: accounts.slice(100) }],
        () => undefined,
      );

      // Kill at progress thresholds (so every kill lands while clients are sending), a random moment after each.
      const rand = random(victim === 'the service' ? 7 : 11);
      const batches = touchpointBatches(prefix).map((touchpoints) => ({ touchpoints }));
      const thresholds = Array.from({ length: KILLS }, (_, i) =>
        Math.floor(((i + 0.5 + rand() * 0.5) / (KILLS + 1)) * batches.length),
      );
      let kills = 0;
      let killing: Promise<void> = Promise.resolve();
      const killOnce = async () => {
        await delay(rand() * 300);
        if (victim === 'the service') {
          await service!.kill();
          await delay(rand() * 500);
          service!.start();
        } else {
          await store!.kill();
          await delay(rand() * 500);
          store = await EventStoreProcess.start(storeDir, storePort);
        }
        kills += 1;
      };
      const outcome = await ingestWithRetries(current, '/v1/touchpoints', batches, (acknowledged) => {
        while (thresholds.length > 0 && acknowledged >= thresholds[0]) {
          thresholds.shift();
          killing = killing.then(killOnce);
        }
      });
      await killing;
      expect(kills).toBe(KILLS);
      expect(outcome.retries).toBeGreaterThan(0);

      // Exactly once in the event store, every one of them.
      const { counts, accountEvents } = await recordedTouchpoints(store.connectionString);
      expect(counts.size).toBe(TOUCHPOINTS);
      expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
      expect(accountEvents).toBe(ACCOUNTS + TOUCHPOINTS);
      await service.caughtUp(600_000);
      await service.stop();
      const liveDb = await ReadModelDatabase.open(live.config);
      const afterFaults = await accountReadModel(liveDb);
      await liveDb.close();

      const clean = await bootReadModel(
        await target.fresh().then((db) => (databases.push(db), db)),
        store.connectionString,
      );
      modules.push(clean);
      expect(afterFaults.projectionCheckpoints).toHaveLength(1);
      const reached = BigInt(afterFaults.projectionCheckpoints[0].commitPosition as string);
      expect(await clean.get(AccountProjector).waitFor(reached, 600_000)).toBe(true);
      const rebuilt = await accountReadModel(clean.get(ReadModelDatabase));
      expect(rebuilt.touchpoints).toHaveLength(TOUCHPOINTS);
      for (const table of Object.keys(rebuilt))
        expect({ table, difference: firstDifference(afterFaults[table], rebuilt[table]) }).toEqual({
          table,
          difference: undefined,
        });
    }, 1_500_000);
  },
);
