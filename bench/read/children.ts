// The processes the read benchmark runs besides itself: the projector and the API (each a child
// process, as deployed), and the throwaway PostgreSQL databases they project into.
import { freePort } from '#embedded-eventstore';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { waitUntilLive } from '../support/processes.js';

export const INTEGRATION_KEY = 'bench-integration-0123456789abcdef0123456789abcdef';
export const ADMIN_KEY = 'bench-admin-0123456789abcdef0123456789abcdef01234';
const BENCH_KEYS = `integration:bench-crm:${INTEGRATION_KEY},admin:bench-admin:${ADMIN_KEY}`;

/** Where a projector or an API keeps its read model: PGlite under DATA_DIR, or a PostgreSQL database. */
export interface ReadModelTarget {
  readonly name: 'PGlite' | 'PostgreSQL';
  readonly env: Record<string, string>;
  /** For PostgreSQL: the server and the database's name, to find the backends serving it. */
  readonly admin?: { readonly url: string; readonly database: string };
  drop(): Promise<void>;
}

export function pgliteTarget(dataDir: string): ReadModelTarget {
  return { name: 'PGlite', env: { DATA_DIR: dataDir }, drop: async () => undefined };
}

/** A new database on the server at `url`, dropped by `drop()` (as test/read-model/databases.ts does). */
export async function freshPostgres(url: string, dataDir: string): Promise<ReadModelTarget> {
  const name = `bench_read_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return {
    name: 'PostgreSQL',
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl.toString() },
    admin: { url, database: name },
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The server processes serving connections to the database (their CPU is the database's work). */
export async function postgresBackendPids(admin: { url: string; database: string }): Promise<number[]> {
  const client = new pg.Client({ connectionString: admin.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [admin.database],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, what: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.warn(`${what} did not exit within 15 s of SIGTERM; killing it`);
    child.kill('SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

export interface ProjectorChild {
  readonly child: ChildProcess;
  /** performance.now() when it printed `started` (booted, migrated, subscribed). */
  readonly startedAt: Promise<number>;
  /** Events applied so far, from its progress lines. */
  readonly applied: () => number;
  /**
   * Resolves with performance.now() at the progress line that reached `until`: so many events
   * applied by this process, or a checkpoint at or past a commit position.
   */
  reached(until: { events: number } | { commit: bigint }, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** `node dist/apps/projector/src/main.js --progress`, as the worker role runs it. */
export function startProjector(
  storeConnection: string,
  target: ReadModelTarget,
  nodeOptions: string[] = [],
  extraEnv: Record<string, string> = {},
  projectorArgs: string[] = [],
): ProjectorChild {
  const child = spawn(
    process.execPath,
    [...nodeOptions, 'dist/apps/projector/src/main.js', '--progress', ...projectorArgs],
    {
      env: {
        ...process.env,
        ...target.env,
        EVENTSTORE_CONNECTION_STRING: storeConnection,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        AUTH_API_KEYS: BENCH_KEYS,
        // One key drives the whole load: the per-credential rate limit would answer 429.
        RATE_LIMIT_PER_MINUTE: '0',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  let applied = 0;
  let commit = -1n;
  let goal: { until: { events: number } | { commit: bigint }; resolve(at: number): void } | undefined;
  const isReached = (until: { events: number } | { commit: bigint }) =>
    'events' in until ? applied >= until.events : commit >= until.commit;
  let markStarted: (at: number) => void = () => undefined;
  let failStart: (error: Error) => void = () => undefined;
  const startedAt = new Promise<number>((ok, fail) => {
    markStarted = ok;
    failStart = fail;
  });
  void exited.then(() =>
    failStart(new Error(`the projector exited with ${child.exitCode} before it started`)),
  );
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{"progress"')) {
      const now = performance.now();
      const progress = JSON.parse(line) as { total: number; commit: string };
      applied = progress.total;
      commit = BigInt(progress.commit);
      if (goal && isReached(goal.until)) goal.resolve(now);
    } else if (line.startsWith('{"started"')) {
      markStarted(performance.now());
    } else if (line.trim()) {
      process.stdout.write(`  projector: ${line.slice(0, 400)}\n`);
    }
  });
  return {
    child,
    startedAt,
    applied: () => applied,
    reached(until, timeoutMs) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`the projector applied ${applied} events within ${timeoutMs} ms, short of the end`),
            ),
          timeoutMs,
        );
        const done = (at: number) => {
          clearTimeout(timer);
          resolve(at);
        };
        if (isReached(until)) done(performance.now());
        else goal = { until, resolve: done };
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the projector exited with ${child.exitCode} after ${applied} events`));
        });
      });
    },
    stop: () => stopChild(child, exited, 'the projector'),
  };
}

export interface ApiChild {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/** `node dist/apps/api/src/main.js` on a free port; resolves once it is live. */
export async function startApi(env: Record<string, string>, nodeOptions: string[] = []): Promise<ApiChild> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, 'dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      AUTH_API_KEYS: BENCH_KEYS,
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilLive(child, url, 'the API');
  return { child, url, stop: () => stopChild(child, exited, 'the API') };
}
