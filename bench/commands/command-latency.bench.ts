// npm run bench:commands [-- --commands 1000 --cold 5]
// Latency of one recordTouchpoint command through the CommandBus on a short and a long account,
// warm (state cached) and cold (a new application context, the long account loaded from its snapshot).
import 'reflect-metadata';

import { EventStoreProcess, freePort } from '#embedded-eventstore';
import {
  OpenAccountCommand,
  RecordTouchpointsCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { SNAPSHOT_EVENT_TYPE } from '#command-handling';
import { EventStore } from '#eventstore';
import type { RecordTouchpoint } from '#lifecycle';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../../apps/api/src/app.factory.js';
import { fmt, machine, median, writeSection } from '../support/report.js';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '1000' },
    cold: { type: 'string', default: '5' },
  },
});
const COMMANDS = Number(args.commands);
const COLD_CONTEXTS = Number(args.cold);
const LONG_EVENTS = 10_000;
const SHORT_EVENTS = 10;
/**
 * The short side is spread over this many accounts of 10 events, so that the measured commands
 * themselves (1,000 of them) leave each short account at most ~30 events, still short.
 */
const SHORT_ACCOUNTS = 50;
const WARM_UP = 200;

const context = (): CommandContext => {
  const id = randomUUID();
  return { principal: SYSTEM_PRINCIPAL, correlationId: id, causationId: id };
};

let touchSeq = 0;
function touchpoint(accountId: string): RecordTouchpoint['data'] {
  return {
    touchpointId: `tp-${touchSeq++}`,
    accountId,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    channel: 'CALL',
    direction: 'OUTBOUND',
    pillar: 'ENGAGEMENT',
    sentiment: 'NEUTRAL',
    summary: 'Checked in on the rollout; no blockers.',
    source: 'crm',
  };
}

async function run(bus: CommandBus, command: RecordTouchpointsCommand | OpenAccountCommand) {
  const result = (await bus.execute(command)) as AccountCommandsResult;
  const bad = result.results.find((r) => r.status === 'rejected');
  if (bad) throw new Error(`command rejected: ${JSON.stringify(bad)}`);
  return result;
}

async function recordOne(bus: CommandBus, accountId: string): Promise<number> {
  const started = performance.now();
  await run(bus, new RecordTouchpointsCommand(accountId, [touchpoint(accountId)], context()));
  return performance.now() - started;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The API's application module, booted without listening: the same providers the API runs. */
async function boot(connectionString: string, dataDir: string): Promise<NestFastifyApplication> {
  const app = await createApp({
    env: { EVENTSTORE_CONNECTION_STRING: connectionString, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  await app.init();
  return app;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-commands-'));
// The store in its own process, as in production, so its work does not run on the benchmark's
// event loop and inflate the latencies measured there.
const store = await EventStoreProcess.start(join(dir, 'eventstore'), await freePort());
const longId = `long-${randomUUID().slice(0, 8)}`;
const shortIds = Array.from({ length: SHORT_ACCOUNTS }, (_, i) => `short-${i}-${randomUUID().slice(0, 8)}`);
const primerId = `primer-${randomUUID().slice(0, 8)}`;
const warm = { short: [] as number[], long: [] as number[] };
const cold = { short: [] as number[], long: [] as number[] };
let eventsAfterSnapshot: bigint[] = [];
let buildMs = 0;
try {
  let app = await boot(store.connectionString, dir);
  let bus = app.get(CommandBus);
  const open = (id: string) =>
    run(
      bus,
      new OpenAccountCommand(
        { id, name: id, tier: 'SMB', ownerId: 'owner-1', openedAt: '2025-01-01T00:00:00Z' },
        context(),
      ),
    );

  // The long account: opened, then 9,999 touchpoints in commands of 1,000 (one append each).
  const buildStarted = performance.now();
  await open(longId);
  for (let written = 1; written < LONG_EVENTS; written += 1000) {
    const items = Array.from({ length: Math.min(1000, LONG_EVENTS - written) }, () => touchpoint(longId));
    await run(bus, new RecordTouchpointsCommand(longId, items, context()));
  }
  buildMs = performance.now() - buildStarted;
  for (const id of [...shortIds, primerId]) {
    await open(id);
    const items = Array.from({ length: SHORT_EVENTS - 1 }, () => touchpoint(id));
    await run(bus, new RecordTouchpointsCommand(id, items, context()));
  }

  // Warm: every state is in the executor's cache. Short and long commands alternate, so both
  // sides see the same machine (and the same background snapshot writes) over the same time.
  for (let i = 0; i < WARM_UP; i++) {
    await recordOne(bus, shortIds[i % SHORT_ACCOUNTS]);
    await recordOne(bus, longId);
  }
  for (let i = 0; i < COMMANDS; i++) {
    warm.short.push(await recordOne(bus, shortIds[i % SHORT_ACCOUNTS]));
    warm.long.push(await recordOne(bus, longId));
  }
  await app.close();

  // Cold: a new context has an empty cache, so its first command on an account loads it: the
  // long one from its latest snapshot plus the events after it, the short one from its 10-30
  // events. A primer account is written first so that connecting to the store is not counted.
  const storeReader = async () => {
    const es = app.get(EventStore);
    const snap = await es.readLast(`snapshot-account-${longId}`);
    const last = await es.readLast(`account-${longId}`);
    if (!snap || snap.type !== SNAPSHOT_EVENT_TYPE || !last)
      throw new Error('the long account has no snapshot');
    return last.revision - BigInt((snap.data as { revision: string }).revision);
  };
  for (let c = 0; c < COLD_CONTEXTS; c++) {
    app = await boot(store.connectionString, dir);
    bus = app.get(CommandBus);
    await recordOne(bus, primerId);
    eventsAfterSnapshot = [...eventsAfterSnapshot, await storeReader()];
    // Alternate which account goes first, so neither always profits from the other's warm-up.
    const order = c % 2 ? (['short', 'long'] as const) : (['long', 'short'] as const);
    for (const side of order) {
      const id = side === 'long' ? longId : shortIds[c % SHORT_ACCOUNTS];
      cold[side].push(await recordOne(bus, id));
    }
    await app.close();
  }
} finally {
  await store.stop();
  rmSync(dir, { recursive: true, force: true });
}

const p50 = { short: median(warm.short), long: median(warm.long) };
const p99 = { short: percentile(warm.short, 99), long: percentile(warm.long, 99) };
const ms = (n: number) => fmt(n, 2);
const ratio = (a: number, b: number) => fmt(a / b, 2);
const body = `## Command latency (\`npm run bench:commands\`)

Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench:commands -- --commands ${COMMANDS} --cold ${COLD_CONTEXTS}\`.

One \`RecordTouchpointsCommand\` with one touchpoint, sent through Nest's \`CommandBus\` in the API's application module
booted without listening (\`createApp\`, then \`init\`), against the embedded event store in its own process (so two
processes share the 2 cores). Time from \`execute\` to its result: decide, one append to the account's stream, durable
(fsync) before it returns. The long account got its ${fmt(LONG_EVENTS)} events in commands of 1,000 touchpoints
(${fmt(buildMs / 1000, 1)} s); snapshots are taken every 500 events. The short side is ${SHORT_ACCOUNTS} accounts of ${SHORT_EVENTS} events
used in turn, so they stay short (at most ~${SHORT_EVENTS + Math.ceil((WARM_UP + COMMANDS) / SHORT_ACCOUNTS)} events) while measured.

**Warm** (state cached): ${fmt(WARM_UP)} unmeasured commands per side, then ${fmt(COMMANDS)} measured, short and long alternating.

| account | p50, ms | p99, ms |
|---|---:|---:|
| ${SHORT_EVENTS} events | ${ms(p50.short)} | ${ms(p99.short)} |
| ${fmt(LONG_EVENTS)} events | ${ms(p50.long)} | ${ms(p99.long)} |
| long / short (goal ≤ 1.5) | **${ratio(p50.long, p50.short)}×** | **${ratio(p99.long, p99.short)}×** |

**Cold** (a new application context, empty cache; a command on another account first, so connecting is not
counted): the first command on each account, median of ${COLD_CONTEXTS} contexts. The long account loads its latest snapshot
and the ${fmt(Number(median(eventsAfterSnapshot.map(Number))))} events after it (median); the short one reads its whole stream.

| account | first command, ms (median) | min – max, ms |
|---|---:|---:|
| ~${SHORT_EVENTS + 20} events | ${ms(median(cold.short))} | ${ms(Math.min(...cold.short))} – ${ms(Math.max(...cold.short))} |
| ${fmt(LONG_EVENTS)}+ events, from snapshot | ${ms(median(cold.long))} | ${ms(Math.min(...cold.long))} – ${ms(Math.max(...cold.long))} |
`;

if (process.env.BENCH_NO_WRITE) console.log('(BENCH_NO_WRITE set: docs/benchmarks.md left as it is)');
else writeSection('commands', body);
console.log(body);
