// The service under soak as deployed (`node dist/apps/api/src/main.js`, every role in one process),
// its memory read from outside (/proc) and from its own /metrics, and the machine's other work.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { EventStoreProcess, freePort } from '#embedded-eventstore';
import { waitUntilLive } from '../support/processes.js';

export const INTEGRATION_KEY = 'soak-integration-0123456789abcdef0123456789abcdef';
export const LEADER_KEY = 'soak-leader-0123456789abcdef0123456789abcdef012345';
const KEYS = `integration:soak-crm:${INTEGRATION_KEY},leader:soak-leader:${LEADER_KEY}`;

/** Warnings and errors the service logged (pino levels 40 and 50+), by when they were logged. */
export interface ServiceLog {
  readonly at: number;
  readonly level: number;
  readonly line: string;
}

export interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  /** The event store's own process when it runs apart (`--separate-eventstore`). */
  readonly eventStore?: EventStoreProcess;
  readonly logs: ServiceLog[];
  /** Set once the service exited on its own (not by `stop()`). */
  exitedEarly(): string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the service on a free port and resolves once it is live. `readModelEnv` holds DATA_DIR
 * (PGlite and the embedded event store keep their files there) and DATABASE_URL for PostgreSQL.
 */
export async function startService(
  readModelEnv: Record<string, string>,
  options: {
    readonly separateEventStore: boolean;
    readonly dataDir: string;
    readonly nodeFlags?: readonly string[];
  },
): Promise<Service> {
  const eventStore = options.separateEventStore
    ? await EventStoreProcess.start(`${options.dataDir}/eventstore`, await freePort())
    : undefined;
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), 'dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      ...readModelEnv,
      ...(eventStore ? { EVENTSTORE_CONNECTION_STRING: eventStore.connectionString } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      AUTH_API_KEYS: KEYS,
      // One key drives the whole load: the per-credential rate limit would answer 429.
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  let early: string | undefined;
  const exited = new Promise<void>((ok) =>
    child.once('exit', (code, signal) => {
      if (!stopping) early = `the service exited with ${code ?? signal} during the run`;
      ok();
    }),
  );
  const logs: ServiceLog[] = [];
  const keep = (line: string, level: number) => {
    logs.push({ at: Date.now(), level, line: line.slice(0, 500) });
    process.stdout.write(`  service: ${line.slice(0, 300)}\n`);
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.trim()) return;
    try {
      keep(line, (JSON.parse(line) as { level?: number }).level ?? 30);
    } catch {
      keep(line, 30);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => line.trim() && keep(line, 50));

  const url = `http://127.0.0.1:${port}`;
  await waitUntilLive(child, url, 'the service');
  return {
    child,
    url,
    ...(eventStore ? { eventStore } : {}),
    logs,
    exitedEarly: () => early,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (eventStore) await eventStore.stop();
    },
  };
}

/** VmRSS of a process in bytes; undefined once it is gone or without /proc. */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every process started by `pid`, at any depth (the service starts none in its default form). */
export function descendantsOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const found: number[] = [];
  const visit = (parent: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children: string;
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** CPU seconds the whole machine has spent busy (all cores), from /proc/stat; undefined without it. */
export function machineBusy(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Test runs and other benchmarks on the machine (jest, `.ci/run`, `dist/bench/`), other than
 * this process and the service: their names, to say in the report that the run shared the machine.
 */
export function otherHeavyProcesses(own: ReadonlySet<number>): string[] {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (own.has(pid)) continue;
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (/jest|\.ci\/run|dist\/bench\/|dist\/apps\//.test(command) && !/^(ba)?sh |grep /.test(command)) {
      found.push(command.slice(0, 160));
    }
  }
  return found;
}

/** The figures of the service's /metrics the soak follows; absent ones stay undefined. */
export interface MetricsSample {
  readonly at: number;
  readonly rss?: number;
  readonly heapUsed?: number;
  readonly heapTotal?: number;
  /** The live set: the heap in use after the last full garbage collection. */
  readonly heapLive?: number;
  readonly external?: number;
  readonly eventLoopLagP99?: number;
  /** The largest `projection_lag_events` over the projections. */
  readonly projectionLag?: number;
  readonly subscribers?: number;
  /** Scrapes whose collectors failed (a timed-out lag measurement leaves the previous value). */
  readonly collectorFailures?: number;
}

export async function scrapeMetrics(url: string): Promise<MetricsSample> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const values = (name: string): number[] =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)))
      .filter((value) => Number.isFinite(value));
  const one = (name: string) => values(name)[0];
  const lags = values('projection_lag_events');
  return {
    at: Date.now(),
    rss: one('process_resident_memory_bytes'),
    heapUsed: one('nodejs_heap_size_used_bytes'),
    heapTotal: one('nodejs_heap_size_total_bytes'),
    // 0 until the first full collection.
    heapLive: one('nodejs_heap_live_bytes') || undefined,
    external: one('nodejs_external_memory_bytes'),
    eventLoopLagP99: one('nodejs_eventloop_lag_p99_seconds'),
    projectionLag: lags.length ? Math.max(...lags) : undefined,
    subscribers: one('risk_alert_subscribers'),
    collectorFailures: values('metrics_scrape_collector_failures_total').reduce(
      (sum, value) => sum + value,
      0,
    ),
  };
}
