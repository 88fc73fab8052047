// npm run bench:ingest [-- --runs 3 --seconds 20 --skip-profile]
// Touchpoints per second through POST /v1/touchpoints against the raw client appending the same
// events to the same store, in the same run.
import { EventStoreProcess, freePort } from '#embedded-eventstore';
import { EventStoreDBClient, jsonEvent, type EventData } from '@eventstore/db-client';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfile, type Classifier, type ProfileSummary } from '../support/cpu-profile.js';
import { processCpu, waitQuiet } from '../support/processes.js';
import { fmt, machine, median, writeSection } from '../support/report.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    'skip-profile': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const PROFILE = !args['skip-profile'];

const ACCOUNTS = 1_000;
const BATCH = 1_000;
const CLIENTS = 4;
/** Accounts the API writes at once per request (CONCURRENT_ACCOUNTS in batch-ingestion.ts); the raw writers match it. */
const APPENDS_IN_FLIGHT = 32;
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const SUMMARY =
  'Sent the renewal quote with the revised seat count; they will review it with finance next week.';
const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => `bench-acct-${String(i).padStart(4, '0')}`);

/** One batch: every account once, starting a quarter further on each time so that the 4
 * concurrent clients mostly write different accounts at any moment (as distinct integrations would). */
let sequence = 0;
function batchItems(tag: string) {
  const n = sequence++;
  const offset = (n * (ACCOUNTS / CLIENTS)) % ACCOUNTS;
  const occurredAt = new Date(Date.now() - 60_000).toISOString();
  return Array.from({ length: BATCH }, (_, i) => ({
    touchpointId: `${tag}-${n}-${i}`,
    accountId: accountIds[(offset + i) % ACCOUNTS],
    occurredAt,
    channel: 'EMAIL',
    direction: 'OUTBOUND',
    pillar: 'ENGAGEMENT',
    sentiment: 'POSITIVE',
    summary: SUMMARY,
    source: 'crm',
    externalRef: `crm-${n}-${i}`,
  }));
}

/** The event the API writes for such an item (TouchpointRecorded data and our metadata), for the raw writers. */
function rawEvent(item: ReturnType<typeof batchItems>[number], requestId: string): EventData {
  return jsonEvent({
    type: 'TouchpointRecorded',
    data: {
      accountId: item.accountId,
      touchpointId: item.touchpointId,
      occurredAt: item.occurredAt,
      channel: item.channel,
      direction: item.direction,
      pillar: item.pillar,
      sentiment: item.sentiment,
      momentOfTruth: false,
      summary: item.summary,
      actorId: null,
      participants: [],
      source: item.source,
      externalRef: item.externalRef,
      stage: 'PROSPECT',
      qualifying: true,
    },
    metadata: {
      correlationId: requestId,
      causationId: requestId,
      principal: 'bench',
      schemaVersion: 1,
      $correlationId: requestId,
      $causationId: requestId,
    },
  });
}

/** What one measured phase saw. Rates and CPU are over the window from the first completed
 * request (or raw batch) to the last, counting only the items completed after the first, so the
 * start-up and the requests cut off at the deadline do not bias them. */
interface Phase {
  rate: number;
  created: number;
  rejected: number;
  duplicate: number;
  failedRequests: number;
  requests: number;
  /** CPU per item in the window, µs: load generator (or raw client), API, store. */
  cpuUs: { load: number; api: number; store: number };
  /** Share of one core each process used in the window. */
  cores: { load: number; api: number; store: number };
  latencyP50?: number;
  latencyP99?: number;
  rejectedSample?: string;
}

class Window {
  private firstAt = 0;
  private lastAt = 0;
  private items = 0;
  private cpuFirst: number[] = [];
  private cpuLast: number[] = [];
  completions = 0;

  constructor(private readonly pids: ReadonlyArray<number | undefined>) {}

  completed(items: number): void {
    const now = performance.now();
    const cpu = this.pids.map((pid) => processCpu(pid) ?? 0);
    if (this.completions++ === 0) {
      this.firstAt = now;
      this.cpuFirst = cpu;
    } else {
      this.items += items;
      this.lastAt = now;
      this.cpuLast = cpu;
    }
  }

  result(): Pick<Phase, 'rate' | 'cpuUs' | 'cores'> {
    const seconds = (this.lastAt - this.firstAt) / 1000;
    const used = this.cpuLast.map((c, i) => c - this.cpuFirst[i]);
    const per = (i: number) => (used[i] * 1e6) / this.items;
    const core = (i: number) => used[i] / seconds;
    return {
      rate: this.items / seconds,
      cpuUs: { load: per(0), api: per(1), store: per(2) },
      cores: { load: core(0), api: core(1), store: core(2) },
    };
  }
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

const headers = { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` };

/** 4 autocannon connections posting batches; every request gets a body of fresh touchpoint ids. */
async function restPhase(
  url: string,
  seconds: number,
  pids: ReadonlyArray<number | undefined>,
): Promise<Phase> {
  const tag = `rest-${randomUUID().slice(0, 8)}`;
  const window = new Window(pids);
  const counts = { created: 0, rejected: 0, duplicate: 0, failedRequests: 0 };
  let rejectedSample: string | undefined;
  const result = await autocannon({
    url: `${url}/v1/touchpoints`,
    connections: CLIENTS,
    pipelining: 1,
    duration: seconds,
    // A batch of 1,000 appends can take seconds on a busy machine; autocannon's 10 s default
    // would cut it off and count a timeout for work the server still does.
    timeout: 60,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ touchpoints: batchItems(tag) }) }),
        onResponse: (status, body) => {
          if (status !== 200) {
            counts.failedRequests++;
            rejectedSample ??= `HTTP ${status}: ${body.slice(0, 300)}`;
            return;
          }
          // Counting the statuses in the text is enough (the server writes them as "status":"…")
          // and keeps the load generator's CPU down compared with parsing 70 kB per response.
          const created = occurrences(body, '"status":"created"');
          const rejected = occurrences(body, '"status":"rejected"');
          counts.created += created;
          counts.rejected += rejected;
          counts.duplicate += occurrences(body, '"status":"duplicate"');
          if (rejected && rejectedSample === undefined) {
            const at = body.indexOf('"status":"rejected"');
            rejectedSample = body.slice(Math.max(0, at - 100), at + 300);
          }
          window.completed(created);
        },
      },
    ],
  });
  counts.failedRequests += result.errors;
  return {
    ...window.result(),
    ...counts,
    requests: window.completions,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    rejectedSample,
  };
}

/** 4 raw writers: the same batches, one append per account (expected revision ANY), 32 in flight each. */
async function rawPhase(
  client: EventStoreDBClient,
  seconds: number,
  pids: ReadonlyArray<number | undefined>,
): Promise<Phase> {
  const tag = `raw-${randomUUID().slice(0, 8)}`;
  const window = new Window(pids);
  const deadline = performance.now() + seconds * 1000;
  let created = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const requestId = randomUUID();
        const events = batchItems(tag).map((item) => [item.accountId, rawEvent(item, requestId)] as const);
        let next = 0;
        await Promise.all(
          Array.from({ length: APPENDS_IN_FLIGHT }, async () => {
            while (next < events.length) {
              const [accountId, event] = events[next++];
              await client.appendToStream(`account-${accountId}`, [event]);
            }
          }),
        );
        created += events.length;
        window.completed(events.length);
      }
    }),
  );
  return {
    ...window.result(),
    created,
    rejected: 0,
    duplicate: 0,
    failedRequests: 0,
    requests: window.completions,
  };
}

// --- processes ---------------------------------------------------------------------------

async function startApi(
  dataDir: string,
  connectionString: string,
  nodeOptions: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, 'dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      EVENTSTORE_CONNECTION_STRING: connectionString,
      AUTH_API_KEYS: `integration:crm:${SECRET}`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // The api role alone, as deployed: the projector's PGlite would share the API's event loop.
      ROLES: 'api',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      // Live, not ready: with no projector running anywhere in this benchmark, readiness
      // rightly fails once the read model lags behind.
      if ((await fetch(`${url}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the API did not become ready within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      // Do not wait forever on a shutdown (a past client bug made it hang; fixed since).
      const timer = setTimeout(() => {
        console.warn('the API did not exit within 10 s of SIGTERM; killing it');
        child.kill('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function openAccounts(url: string): Promise<void> {
  const accounts = accountIds.map((id) => ({
    id,
    name: `Account ${id}`,
    tier: 'MIDMARKET',
    ownerId: 'owner-1',
    openedAt: '2025-01-01T00:00:00Z',
  }));
  const response = await fetch(`${url}/v1/accounts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ accounts }),
  });
  const { results } = (await response.json()) as { results: Array<{ status: string }> };
  const bad = results.filter((r) => r.status === 'rejected');
  if (!response.ok || bad.length)
    throw new Error(`opening accounts failed: ${JSON.stringify(bad[0] ?? response.status)}`);
}

// --- profile classification -----------------------------------------------------------------

const common: Classifier = ({ functionName, url }) => {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native, unattributed';
  if (!url && (functionName === 'parse' || functionName === 'stringify')) return 'JSON parse and stringify';
  if (/secure-json-parse|fast-json-stringify/.test(url)) return 'JSON parse and stringify';
  return undefined;
};

const apiArea: Classifier = (frame, caller) => {
  const { url } = frame;
  const known = common(frame, caller);
  if (known) return known;
  if (!url) return undefined;
  if (/class-validator|class-transformer|\/validator\/lib\//.test(url)) return 'validation (class-validator)';
  if (/libs\/(lifecycle|command-handling|account-commands)\//.test(url))
    return 'domain: decide, evolve, handler';
  if (/apps\/api\/src\/(ingestion|http)\//.test(url)) return 'ingestion controller';
  if (
    /@eventstore\/db-client|@grpc\/|google-protobuf|protobufjs|internal\/http2|libs\/eventstore\//.test(url)
  )
    return 'gRPC client and protobuf';
  if (/fastify|@nestjs|find-my-way|avvio|pino|libs\/auth\/|node:_http|internal\/http\b|llhttp/.test(url))
    return 'HTTP server, Nest, auth, logging';
  return undefined;
};

const storeArea: Classifier = (frame, caller) => {
  const { url } = frame;
  const known = common(frame, caller);
  if (known) return known;
  // better-sqlite3's statements are native (no URL): called from its wrapper or from the event
  // log, their self time is SQLite itself, the commit and its fsync included.
  if (!url && caller && /better-sqlite3|storage\//.test(caller.url)) return 'SQLite (insert, commit, fsync)';
  if (!url) return undefined;
  if (/better-sqlite3/.test(url)) return 'SQLite (insert, commit, fsync)';
  if (/@grpc\/|google-protobuf|protobufjs|internal\/http2|grpc\/wire|grpc\/messages|grpc\/protocol/.test(url))
    return 'gRPC server and protobuf';
  if (/embedded-eventstore/.test(url)) return 'store logic (appends, checksums, group commit)';
  return undefined;
};

function busyShares(summary: ProfileSummary): string {
  const busy = summary.totalMs - (summary.areas.find(([a]) => a === 'idle')?.[1] ?? 0);
  return summary.areas
    .filter(([a]) => a !== 'idle')
    .map(([a, ms]) => `| ${a} | ${fmt((100 * ms) / busy)}% |`)
    .join('\n');
}

// --- the run ---------------------------------------------------------------------------------

const root = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
let store = await EventStoreProcess.start(join(root, 'eventstore'), await freePort());
let api = await startApi(join(root, 'api'), store.connectionString);
const client = EventStoreDBClient.connectionString(store.connectionString);
const pids = () => [process.pid, api.child.pid, store.child.pid];

const rest: Phase[] = [];
const raw: Phase[] = [];
let profile: { api: ProfileSummary; store: ProfileSummary; rest: Phase; storeCpuMs: number } | undefined;
const failures: string[] = [];
try {
  console.log('opening 1,000 accounts, then warming up');
  await openAccounts(api.url);
  // Warm-up: JIT, every account's state in the API's cache, the client's channel.
  await restPhase(api.url, 10, pids());
  await waitQuiet(pids());
  await rawPhase(client, 5, pids());
  await waitQuiet(pids());

  for (let run = 0; run < RUNS; run++) {
    // Alternate which side goes first, so the store's growth during a run favours neither. Each
    // side gets a short unmeasured warm-up: the raw writers' events make the API's cached states
    // stale, and its first write to each account then catches up (a read) before it succeeds.
    const sides = [
      async () => {
        await restPhase(api.url, 3, pids());
        await waitQuiet(pids());
        rest.push(await restPhase(api.url, SECONDS, pids()));
        await waitQuiet(pids());
      },
      async () => {
        await rawPhase(client, 2, pids());
        await waitQuiet(pids());
        raw.push(await rawPhase(client, SECONDS, pids()));
        await waitQuiet(pids());
      },
    ];
    if (run % 2) sides.reverse();
    for (const side of sides) await side();
    const r = rest.at(-1)!;
    const w = raw.at(-1)!;
    console.log(
      `run ${run + 1}/${RUNS}: REST ${fmt(r.rate)} touchpoints/s (created ${r.created}, rejected ${r.rejected}, ` +
        `duplicate ${r.duplicate}, failed requests ${r.failedRequests}), raw ${fmt(w.rate)} events/s, ` +
        `ratio ${fmt((100 * r.rate) / w.rate)}%`,
    );
    if (r.rejectedSample) console.log(`  sample: ${r.rejectedSample}`);
  }

  if (PROFILE) {
    console.log('profiled round');
    // A separate round with both servers restarted with the profiling preload (on the same
    // data), profiling exactly one 15 s REST phase, so the profiler does not touch the measured runs.
    await client.dispose();
    await api.stop();
    await store.stop();
    const preload = ['--import', new URL('../support/profile-preload.js', import.meta.url).href];
    const apiProfile = join(root, 'api.cpuprofile');
    const storeProfile = join(root, 'store.cpuprofile');
    process.env.BENCH_CPU_PROFILE = storeProfile; // EventStoreProcess passes our environment on
    store = await EventStoreProcess.start(join(root, 'eventstore'), await freePort(), preload);
    delete process.env.BENCH_CPU_PROFILE;
    api = await startApi(join(root, 'api'), store.connectionString, preload, {
      BENCH_CPU_PROFILE: apiProfile,
    });
    await restPhase(api.url, 5, pids());
    await waitQuiet(pids());
    const toggle = () => [api.child, store.child].forEach((c) => c.kill('SIGUSR2'));
    toggle();
    const storeBefore = processCpu(store.child.pid) ?? 0;
    const profiled = await restPhase(api.url, 15, pids());
    const storeCpuMs = ((processCpu(store.child.pid) ?? 0) - storeBefore) * 1000;
    toggle();
    for (let i = 0; i < 100 && !(existsSync(apiProfile) && existsSync(storeProfile)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500)); // let writeFileSync finish
    await api.stop();
    await store.stop();
    profile = {
      api: summarizeProfile(apiProfile, apiArea),
      store: summarizeProfile(storeProfile, storeArea),
      rest: profiled,
      storeCpuMs,
    };
  } else {
    await client.dispose();
    await api.stop();
    await store.stop();
  }
} catch (error) {
  failures.push(String(error));
  throw error;
} finally {
  if (api.child.exitCode === null) api.child.kill('SIGTERM');
  if (store.child.exitCode === null) await store.stop();
  if (!failures.length) rmSync(root, { recursive: true, force: true });
}

// --- the report --------------------------------------------------------------------------------

const totalRejected = rest.reduce((s, p) => s + p.rejected + p.failedRequests, 0);
const totalCreated = rest.reduce((s, p) => s + p.created, 0);
const totalDuplicate = rest.reduce((s, p) => s + p.duplicate, 0);
if (totalRejected || totalDuplicate) {
  throw new Error(
    `REST responses had ${totalRejected} rejected items or failed requests and ${totalDuplicate} duplicates: ` +
      `the figures would measure refusals, not ingestion (${rest.find((p) => p.rejectedSample)?.rejectedSample})`,
  );
}
const restRate = median(rest.map((p) => p.rate));
const rawRate = median(raw.map((p) => p.rate));
const ratio = (100 * restRate) / rawRate;
const m = (phases: Phase[], pick: (p: Phase) => number, digits = 0) => fmt(median(phases.map(pick)), digits);
const runsTable = rest
  .map(
    (r, i) =>
      `| ${i + 1} | ${fmt(r.rate)} | ${fmt(raw[i].rate)} | ${fmt((100 * r.rate) / raw[i].rate)}% | ${fmt(r.created)} | ${r.rejected} |`,
  )
  .join('\n');

const profileText = profile
  ? `### Where the time goes

A separate profiled round (both servers restarted with the V8 profiler, which records exactly one 15 s REST phase${
      Number.isFinite(profile.rest.rate)
        ? `; it ran at ${fmt(profile.rest.rate)} touchpoints/s, the profiler costing a little`
        : ''
    }). Shares of each process's busy (non-idle) sampled time:

| API process | share |
|---|---:|
${busyShares(profile.api)}

| event-store process | share |
|---|---:|
${busyShares(profile.store)}

Top self-time functions in the API process:

| function | area | ms |
|---|---|---:|
${profile.api.top.map((f) => `| \`${f.name}\` | ${f.area} | ${fmt(f.ms)} |`).join('\n')}

The store's sampled busy time during the profiled round includes time blocked in fsync, its CPU time does not: the store was busy
${fmt(profile.store.totalMs - (profile.store.areas.find(([a]) => a === 'idle')?.[1] ?? 0))} ms of the phase and used ${fmt(profile.storeCpuMs)} ms of CPU; the difference is time blocked,
mostly in fsync.`
  : '';

const body = `## REST ingestion (\`npm run bench:ingest\`)

Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench:ingest -- --runs ${RUNS} --seconds ${SECONDS}\`.

Three processes share the machine's 2 cores: the embedded event store (\`EventStoreProcess\`, SQLite WAL with
synchronous=FULL), the API (\`node dist/apps/api/src/main.js\`, pointed at the store with \`EVENTSTORE_CONNECTION_STRING\`,
\`LOG_LEVEL=warn\`, \`ROLES=api\`: the api role alone, as a split deployment runs it; the embedded all-in-one default also
runs the projector, whose PGlite shares the API's event loop) and this benchmark, which is both autocannon (4 connections, one request in flight each) and, in its
own phase, the raw writer. 1,000 accounts are opened first (\`POST /v1/accounts\`). Every request carries 1,000
touchpoints with fresh ids, one for each of the 1,000 accounts (each client starts a quarter further on), so the API
makes 1,000 one-event appends per request, 32 accounts at a time. The raw phase appends the same events (the
\`TouchpointRecorded\` data and metadata the API writes) with \`@eventstore/db-client\` to the same 1,000 account streams:
4 writers, each a batch of 1,000 one-event appends with expected revision ANY, 32 in flight, so the store sees the same
write pattern and the difference is HTTP, validation and the domain. Each run measures both sides for ${SECONDS} s, after a
10 s warm-up before the first run and a short one before each phase; medians of ${RUNS} runs. Rates count the items
completed between the first and the last completed request of a phase. Every REST response was checked: ${fmt(totalCreated)}
items \`created\`, ${totalRejected} rejected or in failed requests, ${totalDuplicate} duplicates.

| | REST \`POST /v1/touchpoints\` | raw client appends |
|---|---:|---:|
| touchpoints (events) per second | **${fmt(restRate)}** | **${fmt(rawRate)}** |
| REST as a share of raw (goal ≥ 60%) | **${fmt(ratio)}%** | |
| load generator / raw client CPU, µs per item | ${m(rest, (p) => p.cpuUs.load, 1)} | ${m(raw, (p) => p.cpuUs.load, 1)} |
| API CPU, µs per item | ${m(rest, (p) => p.cpuUs.api, 1)} | ${m(raw, (p) => p.cpuUs.api, 1)} |
| store CPU, µs per item | ${m(rest, (p) => p.cpuUs.store, 1)} | ${m(raw, (p) => p.cpuUs.store, 1)} |
| cores used: load generator / API / store | ${m(rest, (p) => p.cores.load, 2)} / ${m(rest, (p) => p.cores.api, 2)} / ${m(rest, (p) => p.cores.store, 2)} | ${m(raw, (p) => p.cores.load, 2)} / ${m(raw, (p) => p.cores.api, 2)} / ${m(raw, (p) => p.cores.store, 2)} |
| request latency p50 / p99, ms | ${m(rest, (p) => p.latencyP50 ?? 0)} / ${m(rest, (p) => p.latencyP99 ?? 0)} | |

| run | REST touchpoints/s | raw events/s | share | items created | rejected |
|---:|---:|---:|---:|---:|---:|
${runsTable}

${profileText}
`;

if (process.env.BENCH_NO_WRITE) console.log('(BENCH_NO_WRITE set: docs/benchmarks.md left as it is)');
else writeSection('ingest', body);
console.log(body);
