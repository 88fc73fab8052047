// npm run bench:read [-- --events 500000 --accounts 10000 --seconds 30 --clients 32]
//   [--skip-projection] [--skip-graphql] [--skip-postgres] [--profile] [--reseed]
// The read side, in two parts:
//  1. projection catch-up: account events written straight to the embedded event store, then the
//     projector (apps/projector, a child process) run to the end into PGlite and into PostgreSQL,
//     against the raw readAll of the same events in the same run;
//  2. GraphQL under concurrent clients on the demo portfolio (apps/seed-demo through the REST API,
//     cached under data/bench-read/), against `{ __typename }` on the same server.
// PostgreSQL runs where BENCH_DATABASE_URL or TEST_DATABASE_URL names a server: a fresh database
// per run, dropped afterwards.
import { DEFAULT_ACCOUNT_VIEW_CACHE_MB } from '#config';
import { EventStoreProcess, freePort } from '#embedded-eventstore';
import { BACKWARDS, END, EventStoreDBClient, START } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { outlinePortfolio } from '../../apps/seed-demo/src/demo-portfolio.js';
import { seedDemo } from '../../apps/seed-demo/src/seed-demo.js';
import { summarizeProfile, type Classifier, type ProfileSummary } from '../support/cpu-profile.js';
import { processCpu, waitQuiet } from '../support/processes.js';
import { fmt, machine, writeSection } from '../support/report.js';
import { accountHistory, storedEvent } from './account-events.js';
import {
  ADMIN_KEY,
  INTEGRATION_KEY,
  freshPostgres,
  pgliteTarget,
  postgresBackendPids,
  startApi,
  startProjector,
  type ReadModelTarget,
} from './children.js';
import {
  everyAccountOnce,
  runLoad,
  scenarios,
  viewCacheMbFor,
  type LoadResult,
  type Scenario,
} from './graphql-load.js';
import { report } from './read-report.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '500000' },
    'events-per-account': { type: 'string', default: '100' },
    accounts: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    clients: { type: 'string', default: '32' },
    'skip-projection': { type: 'boolean', default: false },
    'skip-graphql': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
  },
});
const positive = (name: keyof typeof args): number => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name}: must be a whole number, at least 1 (got "${String(args[name])}")`);
    process.exit(2);
  }
  return value;
};
const EVENTS = positive('events');
const PER_ACCOUNT = positive('events-per-account');
const DEMO_ACCOUNTS = positive('accounts');
const SECONDS = positive('seconds');
const CLIENTS = positive('clients');
if (DEMO_ACCOUNTS < 12) {
  console.error('--accounts: the demo portfolio needs at least 12 accounts');
  process.exit(2);
}
/** The projector's --batch-size; its own default when not given. */
const BATCH_SIZE = args['batch-size'] === undefined ? [] : ['--batch-size', String(positive('batch-size'))];
const POSTGRES_URL = args['skip-postgres']
  ? undefined
  : (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)?.trim() || undefined;
/** Events of one account per append: $all interleaves the accounts in runs of this many. */
const RUN_LENGTH = 10;
const APPENDS_IN_FLIGHT = 32;
const CACHE = join(process.cwd(), 'data', 'bench-read');
/** No deadline scan during the benchmark: it would append events to the cached store. */
const NO_SCANS = { RISK_SCAN_INTERVAL_MS: String(24 * 60 * 60 * 1000) };

const benchStarted = performance.now();
const elapsed = () => `${fmt((performance.now() - benchStarted) / 1000)} s`;

interface Catchup {
  readonly events: number;
  readonly seconds: number;
  readonly rate: number;
  readonly bootSeconds: number;
  /** CPU seconds over the catch-up, per process. */
  readonly cpu: { projector: number; store: number; database?: number };
}

interface RawRead {
  readonly events: number;
  readonly seconds: number;
  readonly rate: number;
  readonly cpu: { client: number; store: number };
}

// --- projection --------------------------------------------------------------------------------

/** Writes `EVENTS` account events, interleaved across accounts, straight to the store. */
async function writeHistories(client: EventStoreDBClient): Promise<number> {
  const accounts = Math.ceil(EVENTS / PER_ACCOUNT);
  const asOf = Date.UTC(2026, 10, 1);
  const histories = Array.from({ length: accounts }, (_, i) => {
    const id = `bench-${String(i).padStart(6, '0')}`;
    const count = Math.min(PER_ACCOUNT, EVENTS - i * PER_ACCOUNT);
    return { stream: `account-${id}`, events: accountHistory(id, i, count, asOf) };
  });
  const appends: { stream: string; from: number; to: number; history: number }[] = [];
  for (let from = 0; from < PER_ACCOUNT; from += RUN_LENGTH) {
    histories.forEach((h, history) => {
      if (from < h.events.length)
        appends.push({ stream: h.stream, from, to: Math.min(from + RUN_LENGTH, h.events.length), history });
    });
  }
  let next = 0;
  let written = 0;
  await Promise.all(
    Array.from({ length: APPENDS_IN_FLIGHT }, async () => {
      while (next < appends.length) {
        const { stream, from, to, history } = appends[next++];
        const requestId = randomUUID();
        const events = histories[history].events.slice(from, to).map((e) => storedEvent(e, requestId));
        await client.appendToStream(stream, events);
        written += events.length;
      }
    }),
  );
  return written;
}

/** Every event of `$all` read with the client, counting the account events. */
async function rawReadAll(client: EventStoreDBClient, storePid: number | undefined): Promise<RawRead> {
  const before = [processCpu(process.pid) ?? 0, processCpu(storePid) ?? 0];
  const started = performance.now();
  let events = 0;
  for await (const resolved of client.readAll({ fromPosition: START, maxCount: Number.MAX_SAFE_INTEGER })) {
    if (resolved.event?.streamId.startsWith('account-')) events++;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    events,
    seconds,
    rate: events / seconds,
    cpu: {
      client: (processCpu(process.pid) ?? 0) - before[0],
      store: (processCpu(storePid) ?? 0) - before[1],
    },
  };
}

/** The commit position of the last account event: where a caught-up projector stands. */
async function lastAccountCommit(client: EventStoreDBClient): Promise<bigint> {
  let last: bigint | undefined;
  // Read the whole (bounded) page: never break out of a read, the client's dispose() would hang.
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 5000 })) {
    if (last === undefined && resolved.event?.streamId.startsWith('account-')) {
      last = resolved.event.position.commit;
    }
  }
  if (last === undefined) throw new Error('no account event among the last 5,000 events of $all');
  return last;
}

/** The projector child from boot to caught up; `until` is how many events or which commit. */
async function catchUp(
  connection: string,
  target: ReadModelTarget,
  until: { events: number } | { commit: bigint },
  storePid: number | undefined,
): Promise<Catchup> {
  const spawned = performance.now();
  const projector = startProjector(connection, target, [], NO_SCANS, BATCH_SIZE);
  try {
    const startedAt = await projector.startedAt;
    const databasePids = target.admin ? await postgresBackendPids(target.admin) : [];
    const cpuOf = () => ({
      projector: processCpu(projector.child.pid) ?? 0,
      store: processCpu(storePid) ?? 0,
      database: databasePids.reduce((sum, pid) => sum + (processCpu(pid) ?? 0), 0),
    });
    const before = cpuOf();
    const ticker = setInterval(() => {
      const seconds = (performance.now() - startedAt) / 1000;
      console.log(
        `  [${elapsed()}] ${fmt(projector.applied())} events applied, ${fmt(projector.applied() / seconds)} events/s`,
      );
    }, 60_000);
    const endedAt = await projector.reached(until, 4 * 3_600_000).finally(() => clearInterval(ticker));
    const after = cpuOf();
    // Connections the projector opened after the first count whole (they began within the window).
    const lateBackends = target.admin
      ? (await postgresBackendPids(target.admin)).filter((pid) => !databasePids.includes(pid))
      : [];
    const late = lateBackends.reduce((sum, pid) => sum + (processCpu(pid) ?? 0), 0);
    const seconds = (endedAt - startedAt) / 1000;
    const events = projector.applied();
    return {
      events,
      seconds,
      rate: events / seconds,
      bootSeconds: (startedAt - spawned) / 1000,
      cpu: {
        projector: after.projector - before.projector,
        store: after.store - before.store,
        ...(target.admin ? { database: after.database - before.database + late } : {}),
      },
    };
  } finally {
    await projector.stop();
  }
}

const projectorArea: Classifier = ({ functionName, url }) => {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native, unattributed';
  if (!url && (functionName === 'parse' || functionName === 'stringify')) return 'JSON parse and stringify';
  if (url.startsWith('wasm://') || /@electric-sql\/pglite/.test(url)) return 'PGlite: PostgreSQL in WASM';
  if (/read-model\/src\/database\//.test(url)) return 'PGlite thread: wire protocol over MessagePorts';
  if (/drizzle-orm/.test(url)) return 'drizzle: building statements, mapping rows';
  if (/\/pg\/|pg-protocol|pg-pool|pg-types|postgres-/.test(url)) return 'node-postgres: protocol, parameters';
  if (
    /@eventstore\/db-client|@grpc\/|google-protobuf|protobufjs|internal\/http2|libs\/eventstore\//.test(url)
  )
    return 'event-store client: gRPC, protobuf, events';
  if (/libs\/lifecycle-views\/|libs\/lifecycle\//.test(url)) return 'health and commitment formulas';
  if (/libs\/read-model\/src\/projection\//.test(url)) return 'projection code';
  if (/^node:|internal\//.test(url)) return 'Node: streams, ports, files, timers';
  return undefined;
};

/** A catch-up under `--cpu-prof`: one profile per thread (the main one, PGlite's). */
async function profiledCatchUp(
  connection: string,
  target: ReadModelTarget,
  events: number,
  dir: string,
): Promise<ProfileSummary[]> {
  const projector = startProjector(
    connection,
    target,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`],
    NO_SCANS,
    BATCH_SIZE,
  );
  try {
    await projector.reached({ events }, 4 * 3_600_000);
  } finally {
    await projector.stop();
  }
  // The profiles are written as the threads exit.
  for (let i = 0; i < 50 && readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summarizeProfile(join(dir, f), projectorArea, 8))
    .sort((a, b) => b.totalMs - a.totalMs);
}

interface ProjectionPart {
  readonly written: number;
  readonly accounts: number;
  readonly writeSeconds: number;
  readonly runs: Array<{ target: string; raw: RawRead; catchUp: Catchup }>;
  readonly profiles: Array<{ target: string; threads: ProfileSummary[] }>;
}

async function projectionPart(root: string): Promise<ProjectionPart> {
  const store = await EventStoreProcess.start(join(root, 'eventstore'), await freePort());
  const client = EventStoreDBClient.connectionString(store.connectionString);
  try {
    const accounts = Math.ceil(EVENTS / PER_ACCOUNT);
    console.log(`[${elapsed()}] writing ${fmt(EVENTS)} account events (${fmt(accounts)} accounts)`);
    const writeStarted = performance.now();
    const written = await writeHistories(client);
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    console.log(`  ${fmt(written)} events in ${fmt(writeSeconds, 1)} s`);
    await waitQuiet([store.child.pid]);

    let pgliteDirs = 0;
    const targets: Array<{ name: string; make: () => Promise<ReadModelTarget> }> = [
      { name: 'PGlite', make: async () => pgliteTarget(join(root, `pglite-${pgliteDirs++}`)) },
    ];
    if (POSTGRES_URL) {
      const url = POSTGRES_URL;
      targets.push({ name: 'PostgreSQL', make: () => freshPostgres(url, join(root, 'pg-data')) });
    }
    const runs: ProjectionPart['runs'] = [];
    const profiles: ProjectionPart['profiles'] = [];
    for (const { name, make } of targets) {
      // The raw read right before each catch-up, so that both see the machine in the same state.
      const raw = await rawReadAll(client, store.child.pid);
      console.log(
        `[${elapsed()}] raw readAll: ${fmt(raw.events)} events in ${fmt(raw.seconds, 1)} s = ${fmt(raw.rate)} events/s`,
      );
      await waitQuiet([store.child.pid]);
      const target = await make();
      try {
        const result = await catchUp(store.connectionString, target, { events: written }, store.child.pid);
        runs.push({ target: name, raw, catchUp: result });
        console.log(
          `[${elapsed()}] ${name}: ${fmt(result.events)} events in ${fmt(result.seconds, 1)} s = ${fmt(result.rate)} events/s ` +
            `(${fmt((100 * result.rate) / raw.rate)}% of raw)`,
        );
      } finally {
        await target.drop();
      }
      if (args.profile) {
        const profiled = await make();
        try {
          const dir = join(root, `profile-${name}`);
          mkdirSync(dir, { recursive: true });
          profiles.push({
            target: name,
            threads: await profiledCatchUp(store.connectionString, profiled, written, dir),
          });
        } finally {
          await profiled.drop();
        }
      }
    }
    return { written, accounts, writeSeconds, runs, profiles };
  } finally {
    await client.dispose();
    await store.stop();
  }
}

// --- GraphQL ------------------------------------------------------------------------------------

interface SeededDemo {
  readonly accounts: number;
  readonly touchpoints: number;
  readonly seed: string;
  readonly asOf: string;
  readonly seededOn: string;
  readonly seedSeconds: number;
  readonly items: Record<string, { created: number; duplicate: number; rejected: number; skipped: number }>;
  /** The PGlite catch-up made when the cache was filled. */
  pglite?: { readonly on: string; readonly raw: RawRead; readonly catchUp: Catchup };
}

interface GraphqlRun {
  readonly target: string;
  readonly projection?: { readonly raw?: RawRead; readonly catchUp: Catchup; readonly cached?: string };
  readonly results: LoadResult[];
  readonly profile?: ProfileSummary;
}

const DEMO = join(CACHE, `demo-${DEMO_ACCOUNTS}`);
const SEEDED = join(DEMO, 'seeded.json');

/** The demo portfolio in the cached event store, seeded through the REST API if not there yet. */
async function seededDemo(): Promise<SeededDemo> {
  if (!args.reseed && existsSync(SEEDED)) return JSON.parse(readFileSync(SEEDED, 'utf8')) as SeededDemo;
  rmSync(DEMO, { recursive: true, force: true });
  mkdirSync(DEMO, { recursive: true });
  const asOf = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const options = {
    seed: 'demo',
    accounts: DEMO_ACCOUNTS,
    touchpoints: DEMO_ACCOUNTS * 100,
    asOf,
    idPrefix: 'demo',
  };
  console.log(
    `[${elapsed()}] seeding the demo portfolio: ${fmt(DEMO_ACCOUNTS)} accounts through the REST API`,
  );
  const store = await EventStoreProcess.start(join(DEMO, 'eventstore'), await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'bench-read-seed-'));
  try {
    // The api role alone: ingestion only, its (empty) read model thrown away afterwards.
    const api = await startApi({
      DATA_DIR: scratch,
      EVENTSTORE_CONNECTION_STRING: store.connectionString,
      ROLES: 'api',
      ...NO_SCANS,
    });
    try {
      const summary = await seedDemo({
        ...options,
        url: api.url,
        token: INTEGRATION_KEY,
        concurrency: 16,
        progressIntervalMs: 30_000,
        onProgress: (p) =>
          console.log(
            `  [${fmt(p.elapsedMs / 1000)} s] touchpoints ${fmt(p.counts.touchpoints.created + p.counts.touchpoints.duplicate)}` +
              `/${fmt(p.planned.touchpoints)}, ${fmt(p.itemsPerSecond)} items/s`,
          ),
      });
      const refused = summary.rejections.length;
      if (refused > 0) {
        throw new Error(
          `seeding refused ${refused} items, e.g. ${JSON.stringify(summary.rejections.slice(0, 3))}`,
        );
      }
      const seeded: SeededDemo = {
        accounts: DEMO_ACCOUNTS,
        touchpoints: summary.counts.touchpoints.created + summary.counts.touchpoints.duplicate,
        seed: options.seed,
        asOf: asOf.toISOString(),
        seededOn: new Date().toISOString().slice(0, 10),
        seedSeconds: summary.elapsedMs / 1000,
        items: summary.counts,
      };
      writeFileSync(SEEDED, JSON.stringify(seeded, null, 2));
      console.log(`[${elapsed()}] seeded in ${fmt(seeded.seedSeconds)} s`);
      return seeded;
    } finally {
      await api.stop();
    }
  } finally {
    await store.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const serverArea: Classifier = (frame, caller) => {
  const { functionName, url } = frame;
  const known = projectorArea(frame, caller);
  if (known && known !== 'projection code' && known !== 'Node: streams, ports, files, timers') return known;
  if (/apps\/api\/src\/graphql\/loaders\//.test(url)) return 'loaders: building rows into views';
  if (/apps\/api\/src\/graphql\//.test(url)) return 'resolvers';
  if (/libs\/auth\//.test(url)) return 'auth';
  if (/graphql-query-complexity/.test(url)) return 'query cost';
  if (/\/graphql\/|mercurius|@nestjs\/graphql|@nestjs\/mercurius|graphql-jit/.test(url))
    return 'GraphQL: parse, validate, execute (graphql-js, mercurius, Nest)';
  if (/dataloader/.test(url)) return 'dataloader';
  if (/fastify|@nestjs|find-my-way|avvio|pino|light-my-request/.test(url))
    return 'HTTP server, Nest, logging';
  if (!url && functionName === 'writev') return 'Node: streams, sockets, timers';
  if (known) return known;
  if (/^node:|internal\//.test(url)) return 'Node: streams, sockets, timers';
  return undefined;
};

/** The account view scenario, named for the server that keeps the default cache. */
function defaultCacheView(view: Scenario): Scenario {
  return { ...view, name: `${view.name}, view cache at its default (${DEFAULT_ACCOUNT_VIEW_CACHE_MB} MiB)` };
}

async function graphqlPart(root: string): Promise<{ demo: SeededDemo; runs: GraphqlRun[] }> {
  const demo = await seededDemo();
  const portfolio = outlinePortfolio({
    seed: demo.seed,
    accounts: demo.accounts,
    touchpoints: demo.touchpoints,
    asOf: new Date(demo.asOf),
    idPrefix: 'demo',
  });
  const accountIds = portfolio.accounts.map((a) => a.open.id);
  const list = scenarios(accountIds, portfolio.owners);

  const store = await EventStoreProcess.start(join(DEMO, 'eventstore'), await freePort());
  const client = EventStoreDBClient.connectionString(store.connectionString);
  const runs: GraphqlRun[] = [];
  try {
    const lastCommit = await lastAccountCommit(client);
    const targets: Array<{ name: string; make: () => Promise<ReadModelTarget>; cached: boolean }> = [
      { name: 'PGlite', make: async () => pgliteTarget(join(DEMO, 'pglite')), cached: true },
    ];
    if (POSTGRES_URL) {
      const url = POSTGRES_URL;
      targets.push({
        name: 'PostgreSQL',
        make: () => freshPostgres(url, join(root, 'pg-graphql')),
        cached: false,
      });
    }
    for (const { name, make, cached } of targets) {
      const target = await make();
      try {
        let projection: GraphqlRun['projection'];
        if (cached && demo.pglite) {
          projection = { raw: demo.pglite.raw, catchUp: demo.pglite.catchUp, cached: demo.pglite.on };
        } else {
          const raw = await rawReadAll(client, store.child.pid);
          console.log(`[${elapsed()}] ${name}: projecting the demo (${fmt(raw.events)} account events)`);
          const result = await catchUp(
            store.connectionString,
            target,
            { commit: lastCommit },
            store.child.pid,
          );
          console.log(
            `[${elapsed()}]   ${fmt(result.events)} events in ${fmt(result.seconds, 1)} s = ${fmt(result.rate)} events/s` +
              ` (raw readAll ${fmt(raw.rate)} events/s)`,
          );
          projection = { raw, catchUp: result };
          if (cached) {
            demo.pglite = { on: new Date().toISOString().slice(0, 10), raw, catchUp: result };
            writeFileSync(SEEDED, JSON.stringify(demo, null, 2));
          }
        }
        runs.push({ target: name, projection, results: [] });
        const run = runs[runs.length - 1];
        const profileFile = join(DEMO, `server-${name}.cpuprofile`);
        // The service as docs/deployment.md sizes it for this portfolio: a view cache with room for
        // every account. Then, on a second server, the view at the default size, for comparison.
        const servers = [
          { cacheMb: viewCacheMbFor(accountIds.length), scenarios: list, profiled: args.profile },
          { cacheMb: DEFAULT_ACCOUNT_VIEW_CACHE_MB, scenarios: [defaultCacheView(list[1])], profiled: false },
        ];
        for (const server of servers) {
          const api = await startApi(
            {
              ...target.env,
              EVENTSTORE_CONNECTION_STRING: store.connectionString,
              // The api role alone: the projector caught up above and nothing is written meanwhile.
              ROLES: 'api',
              ACCOUNT_VIEW_CACHE_MB: String(server.cacheMb),
              ...NO_SCANS,
              ...(server.profiled ? { BENCH_CPU_PROFILE: profileFile } : {}),
            },
            server.profiled
              ? ['--import', new URL('../support/profile-preload.js', import.meta.url).href]
              : [],
          );
          try {
            const pids = [process.pid, api.child.pid, store.child.pid];
            // Every account viewed once, as on a service that has been up a while: the cache then
            // holds all it has room for, the most recently viewed.
            const filled = await runLoad(
              api.url,
              ADMIN_KEY,
              everyAccountOnce(accountIds),
              { requests: accountIds.length },
              CLIENTS,
              api.child.pid,
            );
            console.log(
              `[${elapsed()}]   ${name}, view cache ${server.cacheMb} MiB: every account viewed once in ` +
                `${fmt(filled.seconds, 1)} s, failures ${filled.failures}`,
            );
            for (const scenario of server.scenarios) {
              // Each query's warm-up right before it is measured (JIT, plans, the query's own reads).
              await runLoad(api.url, ADMIN_KEY, scenario, 5, CLIENTS, api.child.pid);
              await waitQuiet(pids);
              const result = await runLoad(api.url, ADMIN_KEY, scenario, SECONDS, CLIENTS, api.child.pid);
              run.results.push(result);
              console.log(
                `[${elapsed()}]   ${scenario.name}: ${fmt(result.rate)} requests/s, p50 ${fmt(result.p50)} ms, ` +
                  `p99 ${fmt(result.p99)} ms, failures ${result.failures}` +
                  (result.viewCacheHits === undefined
                    ? ''
                    : `, facts held ${fmt(100 * result.viewCacheHits)}%`) +
                  (result.failureSample ? ` (${result.failureSample})` : ''),
              );
            }
            if (server.profiled) {
              // One more account-view phase, profiled, apart from the measured ones.
              await waitQuiet(pids);
              api.child.kill('SIGUSR2');
              await runLoad(api.url, ADMIN_KEY, list[1], 15, CLIENTS, api.child.pid);
              api.child.kill('SIGUSR2');
              for (let i = 0; i < 100 && !existsSync(profileFile); i++)
                await new Promise((r) => setTimeout(r, 100));
              await new Promise((r) => setTimeout(r, 500));
              runs[runs.length - 1] = { ...run, profile: summarizeProfile(profileFile, serverArea, 12) };
              rmSync(profileFile, { force: true });
            }
          } finally {
            await api.stop();
          }
        }
      } finally {
        await target.drop();
      }
    }
  } finally {
    await client.dispose();
    await store.stop();
  }
  return { demo, runs };
}

// --- the run and the report -------------------------------------------------------------------------

if (!POSTGRES_URL) {
  console.log(
    args['skip-postgres']
      ? 'PostgreSQL skipped: --skip-postgres'
      : 'PostgreSQL skipped: no BENCH_DATABASE_URL or TEST_DATABASE_URL names a server',
  );
}
const root = mkdtempSync(join(tmpdir(), 'bench-read-'));
let projection: ProjectionPart | undefined;
let graphql: Awaited<ReturnType<typeof graphqlPart>> | undefined;
try {
  if (!args['skip-projection']) projection = await projectionPart(root);
  if (!args['skip-graphql']) graphql = await graphqlPart(root);
} finally {
  rmSync(root, { recursive: true, force: true });
}
const wallSeconds = (performance.now() - benchStarted) / 1000;
console.log(`[${elapsed()}] done`);

const body = report({
  machine: machine(),
  date: new Date().toISOString().slice(0, 10),
  command: `npm run bench:read -- ${process.argv.slice(2).join(' ')}`.trim(),
  postgres: POSTGRES_URL !== undefined,
  wallSeconds,
  seconds: SECONDS,
  clients: CLIENTS,
  runLength: RUN_LENGTH,
  projection,
  graphql,
});
// The report of record has every part on both read models: a run short of one leaves it alone.
if (process.env.BENCH_NO_WRITE || args['skip-projection'] || args['skip-graphql'] || !POSTGRES_URL) {
  console.log('(docs/benchmarks.md left as it is: BENCH_NO_WRITE set, or a part or PostgreSQL skipped)');
} else writeSection('read', body);
console.log(body);

export type { Catchup, GraphqlRun, ProjectionPart, RawRead, SeededDemo };
