// npm run bench:pglite [-- --batches 20 --batch-size 500 --accounts 100]
// What embedded PGlite costs the event loop of the process that uses it, in-thread (PGlite
// called directly: its WASM runs on the event loop) against ReadModelDatabase (PGlite in a
// worker thread, reached through node-postgres). Per side, in one process:
//   1. quiet throughput: projection batches (AccountProjection.applyBatch, one transaction
//      each, as the projector stores them) applied back to back with nothing else running;
//   2. under projection: the same batches again while this process also serves a trivial HTTP
//      request (one in flight, 2 ms apart), runs a small read-model query (one in flight,
//      20 ms apart) and records its event-loop delay (perf_hooks.monitorEventLoopDelay).
// Prints its figures; it writes no file.
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';

import type { AllStreamDomainEvent } from '#eventstore';
import { isQualifyingTouch, type AccountEvent, type LifecycleStage } from '#lifecycle';
import {
  AccountProjection,
  ReadModelDatabase,
  accounts,
  migrationsFolder,
  type ReadModelDb,
} from '#read-model';

import { fmt, machine, median } from '../support/report.js';

const { values: args } = parseArgs({
  options: {
    batches: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '500' },
    accounts: { type: 'string', default: '100' },
  },
});
const BATCHES = Number(args.batches);
const BATCH_SIZE = Number(args['batch-size']);
const ACCOUNTS = Number(args.accounts);
const WARM_UP_BATCHES = 2;
// ReadModelDatabase logs where it opened; nothing but the figures goes to stdout.
Logger.overrideLogger(false);
const HTTP_GAP_MS = 2;
const READ_GAP_MS = 20;
const QUIET_READS = 500;

interface Opened {
  readonly db: ReadModelDb;
  close(): Promise<void>;
}

const sides: { readonly name: string; open(dir: string): Promise<Opened> }[] = [
  {
    name: 'in-thread PGlite (before)',
    async open(dir) {
      const pglite = await PGlite.create(join(dir, 'readmodel'));
      const db = drizzlePglite({ client: pglite });
      await migratePglite(db, { migrationsFolder: migrationsFolder() });
      return { db: db as unknown as ReadModelDb, close: () => pglite.close() };
    },
  },
  {
    name: 'PGlite in a worker thread (after)',
    async open(dir) {
      const database = await ReadModelDatabase.open({ dataDir: dir, databaseUrl: undefined });
      await database.migrate();
      return { db: database.db, close: () => database.close() };
    },
  },
];

// ---------------------------------------------------------------------------- the events

const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
const STAGES: LifecycleStage[] = ['PROSPECT', 'DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE', 'RENEWAL'];

/** Event `i` (0 = opened) of account `id`: mostly touchpoints, some commitments and stage moves. */
function accountEvent(id: string, i: number): AccountEvent {
  const at = day(i);
  const stage = STAGES[Math.min(STAGES.length - 1, Math.floor(i / 7))];
  if (i === 0) {
    return {
      type: 'AccountOpened',
      data: {
        accountId: id,
        name: `Account ${id}`,
        tier: 'ENTERPRISE',
        ownerId: 'owner-1',
        stage: 'PROSPECT',
        openedAt: at,
        cadenceDays: null,
        occurredAt: at,
      },
    };
  }
  if (i % 7 === 0 && stage !== STAGES[Math.floor((i - 1) / 7)]) {
    const from = STAGES[Math.min(STAGES.length - 1, Math.floor((i - 1) / 7))];
    return {
      type: 'LifecycleStageChanged',
      data: { accountId: id, from, to: stage, reason: null, lessons: null, occurredAt: at },
    };
  }
  if (i % 14 === 3) {
    return {
      type: 'CommitmentMade',
      data: {
        accountId: id,
        commitmentId: `${id}-c${i}`,
        title: `Promise ${i}`,
        description: null,
        ownerId: 'owner-1',
        madeAt: at,
        dueAt: day(i + 5),
        touchpointId: null,
        occurredAt: at,
      },
    };
  }
  if (i % 14 === 10) {
    return {
      type: 'CommitmentFulfilled',
      data: {
        accountId: id,
        commitmentId: `${id}-c${i - 7}`,
        fulfilledAt: at,
        dueAt: day(i - 2),
        onTime: false,
        lateAfterMissed: false,
        occurredAt: at,
      },
    };
  }
  const channel = i % 5 === 0 ? 'INTERNAL_NOTE' : 'EMAIL';
  return {
    type: 'TouchpointRecorded',
    data: {
      accountId: id,
      touchpointId: `${id}-t${i}`,
      occurredAt: at,
      channel,
      direction: 'OUTBOUND',
      pillar: (['DISCOVERY', 'SERVICE', 'ENGAGEMENT'] as const)[i % 3],
      sentiment: (['POSITIVE', 'NEUTRAL', null, 'NEGATIVE'] as const)[i % 4],
      momentOfTruth: false,
      summary: `touch ${i}`,
      actorId: 'am-1',
      participants: ['alice@example.com'],
      source: 'manual',
      externalRef: null,
      stage,
      qualifying: isQualifyingTouch({ channel, direction: 'OUTBOUND' }),
    },
  } as AccountEvent;
}

/** `count` batches of the accounts' events interleaved as live traffic is, as recorded events. */
function batches(prefix: string, count: number): { events: AllStreamDomainEvent[]; checkpoint: bigint }[] {
  const result: { events: AllStreamDomainEvent[]; checkpoint: bigint }[] = [];
  let sequence = 0;
  for (let b = 0; b < count; b++) {
    const events: AllStreamDomainEvent[] = [];
    for (let k = 0; k < BATCH_SIZE; k++, sequence++) {
      const account = sequence % ACCOUNTS;
      const index = Math.floor(sequence / ACCOUNTS);
      const event = accountEvent(`${prefix}-${account}`, index);
      const commit = BigInt(sequence + 1) * 100n;
      events.push({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { correlationId: 'c', causationId: 'c', principal: 'system:bench', schemaVersion: 1 },
        streamName: `account-${event.data.accountId}`,
        revision: BigInt(index),
        position: { commit, prepare: commit },
        created: new Date(Date.UTC(2026, 5, 1) + sequence * 1000),
      } as unknown as AllStreamDomainEvent);
    }
    result.push({ events, checkpoint: BigInt(sequence) * 100n });
  }
  return result;
}

// ---------------------------------------------------------------------------- the probes

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What GET /account reads: one account by id, as a GraphQL `account` query does. */
let readTarget: { db: ReadModelDb; accountId: string } | undefined;

const readAccount = (target: NonNullable<typeof readTarget>) =>
  target.db.select().from(accounts).where(eq(accounts.id, target.accountId)).limit(1);

/** GET / answers at once; GET /account reads the read model first. */
async function startHttp(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const answer = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/account' && readTarget) {
      readAccount(readTarget).then(answer, (error: Error) => {
        res.writeHead(500).end(error.message);
      });
    } else answer({ ok: true, at: Date.now() });
  });
  // A probe's kept-alive socket must outlive the longest stall measured.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** One kept-alive connection per probe, so that neither waits for the other's socket. */
const agents = {
  trivial: new Agent({ keepAlive: true, maxSockets: 1 }),
  read: new Agent({ keepAlive: true, maxSockets: 1 }),
};

function get(port: number, path: '/' | '/account'): Promise<void> {
  return new Promise((resolve, reject) => {
    const agent = path === '/' ? agents.trivial : agents.read;
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `once` over and over, `gapMs` apart, until `stop()`; returns the latencies (ms). */
function probe(once: () => Promise<unknown>, gapMs: number): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await once();
      latencies.push(performance.now() - started);
      await sleep(gapMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/**
 * An enabled event-loop delay histogram that has taken its first sample: the first one only
 * starts the clock, so a stall before it would go unrecorded.
 */
async function loopDelayHistogram(): Promise<IntervalHistogram> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(20);
  return histogram;
}

interface Figures {
  quietBatchMs: number[];
  quietReadMs: number[];
  loadedBatchMs: number[];
  loopDelayMs: { p50: number; p99: number; max: number };
  httpMs: number[];
  httpReadMs: number[];
  seconds: number;
}

async function measure(side: (typeof sides)[number], port: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
  const opened = await side.open(dir);
  try {
    const projection = new AccountProjection();
    const work = batches(`acc-${randomUUID().slice(0, 6)}`, WARM_UP_BATCHES + 2 * BATCHES);
    const apply = async (batch: (typeof work)[number]) => {
      // The projector reads each batch from the event store (network I/O) before applying it,
      // so the event loop turns between batches: so it does here.
      await new Promise((resolve) => setImmediate(resolve));
      const started = performance.now();
      const last = batch.events[batch.events.length - 1].position;
      await projection.applyBatch(opened.db, batch.events, {
        commit: batch.checkpoint,
        prepare: last.prepare,
      });
      return performance.now() - started;
    };
    for (const batch of work.slice(0, WARM_UP_BATCHES)) await apply(batch);

    // 1. Quiet: batches back to back, then point reads one after the other.
    const quietBatchMs: number[] = [];
    for (const batch of work.slice(WARM_UP_BATCHES, WARM_UP_BATCHES + BATCHES))
      quietBatchMs.push(await apply(batch));
    readTarget = { db: opened.db, accountId: work[0].events[0].data.accountId as string };
    const quietReadMs: number[] = [];
    for (let i = 0; i < QUIET_READS; i++) {
      const started = performance.now();
      await readAccount(readTarget);
      quietReadMs.push(performance.now() - started);
    }

    // 2. The same number of batches while the process serves HTTP.
    const histogram = await loopDelayHistogram();
    const trivial = probe(() => get(port, '/'), HTTP_GAP_MS);
    const reads = probe(() => get(port, '/account'), READ_GAP_MS);
    const started = performance.now();
    const loadedBatchMs: number[] = [];
    for (const batch of work.slice(WARM_UP_BATCHES + BATCHES)) loadedBatchMs.push(await apply(batch));
    const seconds = (performance.now() - started) / 1000;
    const [httpMs, httpReadMs] = [await trivial.stop(), await reads.stop()];
    histogram.disable();
    const ms = (ns: number) => ns / 1e6;
    return {
      quietBatchMs,
      quietReadMs,
      loadedBatchMs,
      loopDelayMs: {
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      },
      httpMs,
      httpReadMs,
      seconds,
    };
  } finally {
    readTarget = undefined;
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function idleBaseline(port: number): Promise<{ loopDelayMs: number; httpMs: number[] }> {
  const histogram = await loopDelayHistogram();
  const trivial = probe(() => get(port, '/'), HTTP_GAP_MS);
  await sleep(2000);
  const httpMs = await trivial.stop();
  histogram.disable();
  return { loopDelayMs: histogram.percentile(99) / 1e6, httpMs };
}

const { server, port } = await startHttp();
const results: Figures[] = [];
let idle: Awaited<ReturnType<typeof idleBaseline>>;
try {
  idle = await idleBaseline(port);
  for (const side of sides) results.push(await measure(side, port));
} finally {
  agents.trivial.destroy();
  agents.read.destroy();
  server.close();
}

const ms = (n: number) => fmt(n, n < 10 ? 2 : n < 100 ? 1 : 0);
const spread = (values: number[]) =>
  `${ms(median(values))} / ${ms(percentile(values, 99))} / ${ms(Math.max(...values))}`;
const eventsPerSecond = (batchMs: number[]) =>
  fmt((BATCH_SIZE * batchMs.length * 1000) / batchMs.reduce((a, b) => a + b, 0));
const row = (label: string, figure: (f: Figures) => string) =>
  `| ${label} | ${results.map(figure).join(' | ')} |`;
const lines = [
  `PGlite and the event loop: ${machine()}`,
  `${BATCHES} batches of ${BATCH_SIZE} events over ${ACCOUNTS} accounts per phase, after ${WARM_UP_BATCHES} warm-up batches.`,
  `Idle (no database work): event-loop delay p99 ${ms(idle.loopDelayMs)} ms, GET / p50 ${ms(median(idle.httpMs))} / p99 ${ms(percentile(idle.httpMs, 99))} ms.`,
  '',
  `| | ${sides.map((side) => side.name).join(' | ')} |`,
  `|---|${sides.map(() => '---:').join('|')}|`,
  row('quiet: ms per batch (median)', (f) => ms(median(f.quietBatchMs))),
  row('quiet: events/s', (f) => eventsPerSecond(f.quietBatchMs)),
  row(`quiet: one-account read, p50 / p99 / max ms (${QUIET_READS} in a row)`, (f) => spread(f.quietReadMs)),
  row('under HTTP probes: events/s', (f) => eventsPerSecond(f.loadedBatchMs)),
  row('under projection: event-loop delay p50 / p99 / max ms', (f) =>
    [f.loopDelayMs.p50, f.loopDelayMs.p99, f.loopDelayMs.max].map(ms).join(' / '),
  ),
  row(`under projection: GET / (no database), p50 / p99 / max ms`, (f) => spread(f.httpMs)),
  row('under projection: GET / requests served', (f) => `${fmt(f.httpMs.length)} in ${fmt(f.seconds, 1)} s`),
  row('under projection: GET /account (one read), p50 / p99 / max ms', (f) => spread(f.httpReadMs)),
  row('under projection: GET /account requests served', (f) => fmt(f.httpReadMs.length)),
];
process.stdout.write(`${lines.join('\n')}\n`);
