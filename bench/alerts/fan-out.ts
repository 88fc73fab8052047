// From a commitment's due instant to its COMMITMENT_MISSED notification at every riskAlerts
// subscriber. The API runs as deployed (`node dist/apps/api/src/main.js`, all roles: embedded event
// store, projectors, alert policy, deadline monitor, GraphQL over WebSocket) in a child process; the
// subscribers (graphql-ws clients) live in this process, so the server's event loop carries only the
// server's work and each arrival is stamped where a subscriber would see it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

import { freePort } from '#embedded-eventstore';

import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { summarizeProfile, type Classifier, type ProfileSummary } from '../support/cpu-profile.js';
import { processCpu, waitUntilLive } from '../support/processes.js';
import { fmt } from '../support/report.js';
import { ADMIN_KEY, INTEGRATION_KEY, type ReadModelTarget } from '../read/children.js';

export interface FanOutOptions {
  readonly subscribers: number;
  readonly commitments: number;
  readonly spanSeconds: number;
  readonly scanIntervalMs: number;
  /** Between the last setup step and the first due instant. */
  readonly leadSeconds: number;
  /** Profile the server's main thread over the measured window (`--profile`). */
  readonly profile: boolean;
  /** A run with few subscribers, to tell the fan-out's cost from the rest of the path. */
  readonly control?: boolean;
}

export interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface FanOutRun {
  readonly target: string;
  readonly options: FanOutOptions;
  readonly connectSeconds: number;
  readonly setupSeconds: number;
  /** The setup (commitments stored, projected, their consequences settled) ended this many ms before the first due instant. */
  readonly setupMarginMs: number;
  /** Medians over the probes (one commitment at a time, quiet server), and each. */
  readonly probe: {
    readonly firstMs: number;
    readonly lastMs: number;
    readonly all: ReadonlyArray<{ readonly firstMs: number; readonly lastMs: number }>;
  };
  /** The commitments were stored and projected this many ms before the first was due. */
  readonly storedMarginMs: number;
  /** The server's CPU (cores) over its last 2 s before the first due instant. */
  readonly quietCores: number;
  /** Commitments whose notification reached every subscriber, and arrivals missing overall. */
  readonly complete: number;
  readonly missingArrivals: number;
  /** Notifications delivered to subscribers over the window (commitments × subscribers when complete). */
  readonly deliveries: number;
  readonly subscriberErrors: number;
  /** Due instant to the first / last subscriber's arrival; last minus first; over all commitments, ms. */
  readonly firstArrival: Spread;
  readonly lastArrival: Spread;
  readonly fanOut: Spread;
  /** Due → first subscriber, p50, of the first and of the last tenth of the commitments by due time, ms. */
  readonly tenths: { readonly first: number; readonly last: number };
  /** Due → recorded missed (scan wait, scan, command) → alert raised (policy) → first arrival, ms. */
  readonly stages?: { readonly missed: Spread; readonly raised: Spread; readonly delivered: Spread };
  readonly windowSeconds: number;
  /** Cores used over the window (CPU seconds / wall seconds). */
  readonly cores: { readonly server: number; readonly subscribers: number };
  /** The server's main thread per second over the window: utilisation and timer delay. */
  readonly serverLoop?: { readonly eluMean: number; readonly eluMax: number; readonly delayP99Max: number };
  /** This (subscriber) process's timer delay over the window, ms. */
  readonly subscriberLoop: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly load: readonly number[];
  /** Cores the rest of the machine kept busy over the window (all CPU time less these two processes). */
  readonly otherCores?: number;
  /** The monitor's scans over the window that recorded something (from its `Deadlines recorded` log). */
  readonly scans?: { readonly count: number; readonly durationMs: Spread; readonly periodMs: Spread };
  readonly profile?: ProfileSummary;
}

const SUBSCRIBE = `subscription($filter: AlertFilter) {
  riskAlerts(filter: $filter) { type alert { kind accountId } }
}`;
/** How long after the last due instant arrivals are waited for. */
export const WAIT_AFTER_LAST_DUE_MS = 90_000;
const CONNECT_WAVE = 50;
const PROBES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = () => performance.timeOrigin + performance.now();

/**
 * Percentiles; Infinity stands for "had not happened when the window closed" and sorts last (it
 * becomes null in the saved JSON). NaN (nothing to measure) is left out.
 */
export function spread(values: number[]): Spread {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { p50: NaN, p99: NaN, max: NaN };
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] };
}

async function post(url: string, path: string, body: unknown, key: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { results?: Array<{ status: string }> };
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
  const refused = answer.results?.filter((r) => r.status === 'rejected') ?? [];
  if (refused.length)
    throw new Error(`${path}: ${refused.length} refused, e.g. ${JSON.stringify(refused[0])}`);
  return answer;
}

/** `POST /v1/<field>` with the items in batches the API accepts (at most 1,000 per request). */
async function ingest(url: string, field: 'accounts' | 'commitments', items: unknown[]): Promise<void> {
  for (let from = 0; from < items.length; from += 500) {
    await post(url, `/v1/${field}`, { [field]: items.slice(from, from + 500) }, INTEGRATION_KEY);
  }
}

async function graphql(url: string, query: string): Promise<Record<string, any>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query }),
  });
  const answer = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (answer.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return answer.data ?? {};
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Arrivals per account: first and last instant, and how many subscribers. */
class Arrivals {
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly count: Uint32Array;
  errors = 0;

  constructor(
    private readonly index: ReadonlyMap<string, number>,
    size: number,
  ) {
    this.first = new Float64Array(size).fill(Infinity);
    this.last = new Float64Array(size).fill(-Infinity);
    this.count = new Uint32Array(size);
  }

  record(notification: { type: string; alert: { kind: string; accountId: string } }): void {
    const at = clock();
    if (notification.type !== 'RAISED' || notification.alert.kind !== 'COMMITMENT_MISSED') return;
    const i = this.index.get(notification.alert.accountId);
    if (i === undefined) return;
    if (at < this.first[i]) this.first[i] = at;
    if (at > this.last[i]) this.last[i] = at;
    this.count[i] += 1;
  }
}

/** `count` graphql-ws clients, each subscribed to COMMITMENT_MISSED alerts, connected in waves. */
async function connectSubscribers(url: string, count: number, arrivals: Arrivals): Promise<Client[]> {
  const clients: Client[] = [];
  for (let from = 0; from < count; from += CONNECT_WAVE) {
    const wave = Array.from({ length: Math.min(CONNECT_WAVE, count - from) }, () => {
      let connected: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => (connected = resolve));
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${ADMIN_KEY}` },
        lazy: false,
        retryAttempts: 0,
        on: { connected: () => connected() },
      });
      client.subscribe<{ riskAlerts: Parameters<Arrivals['record']>[0] }>(
        { query: SUBSCRIBE, variables: { filter: { kinds: ['COMMITMENT_MISSED'] } } },
        {
          next: (value) => {
            if (value.data) arrivals.record(value.data.riskAlerts);
            if (value.errors) arrivals.errors += 1;
          },
          error: () => (arrivals.errors += 1),
          complete: () => undefined,
        },
      );
      clients.push(client);
      return ready;
    });
    await Promise.all(wave);
  }
  return clients;
}

/**
 * Waits until the server has used under 0.2 cores over each of two consecutive seconds, or until
 * `until`; returns its cores over the last two seconds.
 */
async function quietServer(pid: number | undefined, until: number): Promise<{ cores: number }> {
  const samples: number[] = [];
  let before = processCpu(pid) ?? 0;
  while (Date.now() + 1000 <= until) {
    await sleep(1000);
    const now = processCpu(pid) ?? 0;
    samples.push(now - before);
    before = now;
    if (samples.length >= 2 && samples.slice(-2).every((cores) => cores < 0.2)) break;
  }
  const last = samples.slice(-2);
  return { cores: last.length ? last.reduce((a, b) => a + b, 0) / last.length : NaN };
}

/** CPU seconds the whole machine has spent busy (all cores), from /proc/stat; undefined without it. */
function machineBusy(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}

interface ScanLog {
  /** The scan's instant (its start) and when it logged (its end), epoch ms. */
  readonly at: number;
  readonly loggedAt: number;
}

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly scans: ScanLog[];
  stop(): Promise<void>;
}

/**
 * `node dist/apps/api/src/main.js` on a free port, its JSON log read for the monitor's
 * `Deadlines recorded` lines (LOG_LEVEL=info: they are the only info lines while nothing is
 * requested over HTTP). Warnings and errors are passed on.
 */
async function startServer(env: Record<string, string>, nodeOptions: string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, 'dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      AUTH_API_KEYS: `integration:bench-crm:${INTEGRATION_KEY},admin:bench-admin:${ADMIN_KEY}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const scans: ScanLog[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: { level?: number; msg?: string; at?: string; time?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      process.stdout.write(`  api: ${line.slice(0, 300)}\n`);
      return;
    }
    if (entry.msg === 'Deadlines recorded' && entry.at && entry.time) {
      scans.push({ at: Date.parse(entry.at), loggedAt: entry.time });
    } else if ((entry.level ?? 0) >= 40) process.stdout.write(`  api: ${line.slice(0, 300)}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilLive(child, url, 'the API');
  return {
    child,
    url,
    scans,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const serverArea: Classifier = ({ functionName, url }) => {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native, unattributed';
  if (/graphql\/subscriptions\//.test(url)) return 'alert feed: listeners, filters';
  if (/node_modules\/ws\//.test(url)) return 'WebSocket frames (ws)';
  if (/node_modules\/graphql-ws\//.test(url)) return 'graphql-ws: protocol, serialising each message';
  if (/node_modules\/graphql\/|@nestjs\/graphql|graphql-query-complexity/.test(url))
    return 'graphql-js: executing each payload';
  if (/libs\/embedded-eventstore\//.test(url) || /better-sqlite3/.test(url)) return 'event store (embedded)';
  if (
    /@eventstore\/db-client|@grpc\/|google-protobuf|protobufjs|internal\/http2|libs\/eventstore\//.test(url)
  )
    return 'gRPC, protobuf (event store client and server)';
  if (/read-model\/src\/database\//.test(url)) return 'PGlite thread: wire protocol over MessagePorts';
  if (/drizzle-orm/.test(url)) return 'drizzle: building statements, mapping rows';
  if (/\/pg\/|pg-protocol|pg-pool|pg-types|postgres-/.test(url)) return 'node-postgres: protocol, parameters';
  if (/libs\/read-model\//.test(url)) return 'projectors';
  if (/libs\/alert-policy\/|libs\/alerts\//.test(url)) return 'alert policy';
  if (/libs\/risk-monitor\//.test(url)) return 'deadline monitor';
  if (/libs\/account-commands\/|libs\/command-handling\/|libs\/lifecycle/.test(url)) return 'commands';
  if (/fastify|@nestjs|find-my-way|avvio|pino|light-my-request|rxjs/.test(url))
    return 'HTTP server, Nest, logging';
  if (!url && (functionName === 'parse' || functionName === 'stringify')) return 'JSON parse and stringify';
  if (/^node:|internal\//.test(url)) return 'Node: streams, sockets, timers';
  return undefined;
};

export async function fanOutRun(
  target: ReadModelTarget,
  root: string,
  options: FanOutOptions,
  log: (line: string) => void,
): Promise<FanOutRun> {
  const loopFile = join(root, `loop-${target.name}.jsonl`);
  const profileFile = join(root, `server-${target.name}.cpuprofile`);
  rmSync(loopFile, { force: true });
  const preload = (file: string) => ['--import', new URL(file, import.meta.url).href];
  const api = await startServer(
    {
      ...target.env,
      RISK_SCAN_INTERVAL_MS: String(options.scanIntervalMs),
      BENCH_LOOP_FILE: loopFile,
      ...(options.profile ? { BENCH_CPU_PROFILE: profileFile } : {}),
    },
    [...preload('./loop-preload.js'), ...(options.profile ? preload('../support/profile-preload.js') : [])],
  );
  const clients: Client[] = [];
  try {
    const ids = Array.from({ length: options.commitments }, (_, i) => `fo-${String(i).padStart(5, '0')}`);
    const probeIds = Array.from({ length: PROBES }, (_, k) => `fo-probe-${k}`);
    const index = new Map([...ids, ...probeIds].map((id, i) => [id, i] as const));
    const arrivals = new Arrivals(index, options.commitments + PROBES);
    const account = (id: string) => ({ id, name: `Fan-out ${id}`, tier: 'ENTERPRISE', ownerId: 'am-fanout' });
    const setupStarted = performance.now();
    await ingest(api.url, 'accounts', [...ids, ...probeIds].map(account));

    const connectStarted = performance.now();
    clients.push(...(await connectSubscribers(api.url, options.subscribers, arrivals)));
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    log(`    ${fmt(options.subscribers)} subscribers connected in ${fmt(connectSeconds, 1)} s`);

    // Probes, one at a time on a quiet server: every subscriber hears each (so every subscription
    // is live), and they show the path's latency without load.
    await quietServer(api.child.pid, Date.now() + 60_000);
    const probes: Array<{ firstMs: number; lastMs: number }> = [];
    for (const [k, accountId] of probeIds.entries()) {
      const due = Date.now() + 1500;
      await ingest(api.url, 'commitments', [
        {
          commitmentId: `${accountId}-c`,
          accountId,
          title: 'Probe',
          ownerId: 'am-fanout',
          dueAt: new Date(due).toISOString(),
        },
      ]);
      const i = options.commitments + k;
      await waitUntil(
        () => arrivals.count[i] >= options.subscribers,
        120_000,
        `probe ${k} at every subscriber`,
      );
      probes.push({ firstMs: arrivals.first[i] - due, lastMs: arrivals.last[i] - due });
      await quietServer(api.child.pid, Date.now() + 10_000);
    }
    const probe = {
      firstMs: spread(probes.map((p) => p.firstMs)).p50,
      lastMs: spread(probes.map((p) => p.lastMs)).p50,
      all: probes,
    };
    log(`    probes: ${probes.map((p) => `${fmt(p.firstMs)}-${fmt(p.lastMs)}`).join(', ')} ms after due`);

    const firstDue = Date.now() + options.leadSeconds * 1000;
    const stepMs = (options.spanSeconds * 1000) / options.commitments;
    const dueAt = ids.map((_, i) => Math.round(firstDue + i * stepMs));
    await ingest(
      api.url,
      'commitments',
      ids.map((accountId, i) => ({
        commitmentId: `${accountId}-c`,
        accountId,
        title: `Send the plan to ${accountId}`,
        ownerId: 'am-fanout',
        dueAt: new Date(dueAt[i]).toISOString(),
      })),
    );
    // Written after every commitment: once the read model has it, it has them all.
    await ingest(api.url, 'accounts', [account('fo-marker')]);
    await waitUntil(
      async () => (await graphql(api.url, '{ account(id: "fo-marker") { id } }')).account !== null,
      60_000,
      'the commitments in the read model',
    );
    const storedMarginMs = firstDue - Date.now();
    // Every commitment is due within 48 h: the monitor raises their COMMITMENT_DUE_SOON alerts now,
    // and what follows (policy, projections, health reviews) should be over before the first is due.
    const settled = await quietServer(api.child.pid, firstDue - 1000);
    const setupMarginMs = firstDue - Date.now();
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(
      `    ${fmt(options.commitments)} commitments stored and projected ${fmt(storedMarginMs)} ms before the first is due; ` +
        `server at ${fmt(settled.cores, 2)} cores ${fmt(setupMarginMs)} ms before it`,
    );

    await sleep(Math.max(0, firstDue - Date.now()));
    const load = loadavg();
    const subscriberDelay = monitorEventLoopDelay({ resolution: 1 });
    subscriberDelay.enable();
    const cpuBefore = {
      server: processCpu(api.child.pid) ?? 0,
      subscribers: processCpu(process.pid) ?? 0,
      machine: machineBusy(),
    };
    const windowStarted = Date.now();
    if (options.profile) api.child.kill('SIGUSR2');
    const lastDue = dueAt[dueAt.length - 1];
    const complete = () => {
      for (let i = 0; i < options.commitments; i++) if (arrivals.count[i] < options.subscribers) return false;
      return true;
    };
    const timeoutAt = lastDue + WAIT_AFTER_LAST_DUE_MS;
    while (!complete() && Date.now() < timeoutAt) await sleep(50);
    const windowEnded = Date.now();
    if (options.profile) api.child.kill('SIGUSR2');
    subscriberDelay.disable();
    const windowSeconds = (windowEnded - windowStarted) / 1000;
    const cores = {
      server: ((processCpu(api.child.pid) ?? 0) - cpuBefore.server) / windowSeconds,
      subscribers: ((processCpu(process.pid) ?? 0) - cpuBefore.subscribers) / windowSeconds,
    };
    const machineAfter = machineBusy();
    const otherCores =
      cpuBefore.machine === undefined || machineAfter === undefined
        ? undefined
        : Math.max(0, (machineAfter - cpuBefore.machine) / windowSeconds - cores.server - cores.subscribers);
    const windowScans = api.scans.filter((scan) => scan.at >= windowStarted && scan.at <= windowEnded);
    const scans = windowScans.length
      ? {
          count: windowScans.length,
          durationMs: spread(windowScans.map((scan) => scan.loggedAt - scan.at)),
          periodMs: spread(windowScans.slice(1).map((scan, i) => scan.at - windowScans[i].at)),
        }
      : undefined;

    const measured = ids.map((_, i) => i);
    // A commitment some subscriber had not heard of by the end has no last arrival yet (Infinity).
    const heardByAll = (i: number) => arrivals.count[i] >= options.subscribers;
    const toFirst = (i: number) => arrivals.first[i] - dueAt[i];
    const firstArrival = spread(measured.map(toFirst));
    const lastArrival = spread(measured.map((i) => (heardByAll(i) ? arrivals.last[i] - dueAt[i] : Infinity)));
    // The spread of those that reached some subscriber (the others had not started fanning out).
    const fanOut = spread(
      measured.map((i) =>
        heardByAll(i) ? arrivals.last[i] - arrivals.first[i] : arrivals.count[i] > 0 ? Infinity : NaN,
      ),
    );
    const tenth = Math.max(1, Math.floor(measured.length / 10));
    const tenths = {
      first: spread(measured.slice(0, tenth).map(toFirst)).p50,
      last: spread(measured.slice(-tenth).map(toFirst)).p50,
    };
    const completeCount = measured.filter((i) => arrivals.count[i] >= options.subscribers).length;
    const missingArrivals = measured.reduce(
      (sum, i) => sum + Math.max(0, options.subscribers - arrivals.count[i]),
      0,
    );
    const deliveries = measured.reduce((sum, i) => sum + arrivals.count[i], 0);
    log(
      `    first arrival p50 ${fmt(firstArrival.p50)} / p99 ${fmt(firstArrival.p99)} ms, last arrival p50 ${fmt(lastArrival.p50)} / ` +
        `p99 ${fmt(lastArrival.p99)} ms, fan-out p50 ${fmt(fanOut.p50)} / p99 ${fmt(fanOut.p99)} / max ${fmt(fanOut.max)} ms; ` +
        `${completeCount}/${options.commitments} complete; server ${fmt(cores.server, 2)} cores, subscribers ${fmt(cores.subscribers, 2)}`,
    );

    // Each stage over the commitments that had reached its start when these were read (after the
    // window); those still in it count as not done (Infinity).
    let stages: FanOutRun['stages'];
    const stagesStarted = performance.now();
    try {
      const missedAt = new Float64Array(options.commitments).fill(NaN);
      const raisedAt = new Float64Array(options.commitments).fill(NaN);
      const chunks = Array.from({ length: Math.ceil(ids.length / 20) }, (_, c) => c * 20);
      let nextChunk = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (nextChunk < chunks.length) {
            const from = chunks[nextChunk++];
            const chunk = ids.slice(from, from + 20);
            const data = await graphql(
              api.url,
              `{ ${chunk.map((id, k) => `a${k}: account(id: "${id}") { commitments { missedAt } }`).join(' ')} }`,
            );
            chunk.forEach((_, k) => {
              const at = (data[`a${k}`] as { commitments: Array<{ missedAt: string | null }> } | null)
                ?.commitments[0]?.missedAt;
              if (at) missedAt[from + k] = Date.parse(at);
            });
          }
        }),
      );
      for (let after: string | null = null, more = true; more;) {
        const page = (
          await graphql(
            api.url,
            `{ alerts(filter: { kinds: [COMMITMENT_MISSED] }, first: 200${after ? `, after: "${after}"` : ''}) {
              edges { node { accountId raisedAt } } pageInfo { hasNextPage endCursor } } }`,
          )
        ).alerts as {
          edges: Array<{ node: { accountId: string; raisedAt: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
        for (const { node } of page.edges) {
          const i = index.get(node.accountId);
          if (i !== undefined && i < options.commitments) raisedAt[i] = Date.parse(node.raisedAt);
        }
        more = page.pageInfo.hasNextPage;
        after = page.pageInfo.endCursor;
      }
      const done = (from: number, to: number) =>
        Number.isNaN(from) ? NaN : Number.isNaN(to) ? Infinity : to - from;
      stages = {
        missed: spread(measured.map((i) => done(dueAt[i], missedAt[i]))),
        raised: spread(measured.map((i) => done(missedAt[i], raisedAt[i]))),
        delivered: spread(
          measured.map((i) =>
            done(raisedAt[i], Number.isFinite(arrivals.first[i]) ? arrivals.first[i] : NaN),
          ),
        ),
      };
      log(`    stages read in ${fmt((performance.now() - stagesStarted) / 1000, 1)} s`);
    } catch (error) {
      log(`    (no stage breakdown: ${String(error).slice(0, 200)})`);
    }

    let serverLoop: FanOutRun['serverLoop'];
    if (existsSync(loopFile)) {
      const seconds = readFileSync(loopFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { t: number; elu: number; p99: number })
        .filter((s) => s.t > windowStarted + 1000 && s.t <= windowEnded);
      if (seconds.length) {
        serverLoop = {
          eluMean: seconds.reduce((sum, s) => sum + s.elu, 0) / seconds.length,
          eluMax: Math.max(...seconds.map((s) => s.elu)),
          delayP99Max: Math.max(...seconds.map((s) => s.p99)),
        };
      }
    }

    let profile: ProfileSummary | undefined;
    if (options.profile) {
      for (let i = 0; i < 100 && !existsSync(profileFile); i++) await sleep(100);
      await sleep(500);
      if (existsSync(profileFile)) profile = summarizeProfile(profileFile, serverArea, 12);
    }

    return {
      target: target.name,
      options,
      connectSeconds,
      setupSeconds,
      setupMarginMs,
      probe,
      storedMarginMs,
      quietCores: settled.cores,
      complete: completeCount,
      missingArrivals,
      deliveries,
      subscriberErrors: arrivals.errors,
      firstArrival,
      lastArrival,
      fanOut,
      tenths,
      ...(stages ? { stages } : {}),
      windowSeconds,
      cores,
      ...(serverLoop ? { serverLoop } : {}),
      // How much later than its 1 ms period the sampling timer ran.
      subscriberLoop: {
        p50: Math.max(0, subscriberDelay.percentile(50) / 1e6 - 1),
        p99: Math.max(0, subscriberDelay.percentile(99) / 1e6 - 1),
        max: Math.max(0, subscriberDelay.max / 1e6 - 1),
      },
      load,
      ...(otherCores === undefined ? {} : { otherCores }),
      ...(scans ? { scans } : {}),
      ...(profile ? { profile } : {}),
    };
  } finally {
    const stopping = performance.now();
    await Promise.all(clients.map((client) => client.dispose()));
    await api.stop();
    log(`    subscribers closed and server stopped in ${fmt((performance.now() - stopping) / 1000, 1)} s`);
  }
}
