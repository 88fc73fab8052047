// Several processes with the worker role over the same stores (node dist/apps/api/src/main.js):
// one runs the worker, the others stand by, and a standby takes over when the leader is killed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { Test, type TestingModule } from '@nestjs/testing';
import pg from 'pg';

import { AppConfigModule } from '#config';
import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, EventStoreModule } from '#eventstore';

import { events } from '../read-model/account-events.js';
import { appendAll } from '../read-model/boot.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { tempDir, waitFor } from '../support/helpers.js';

const MAIN = resolve('dist/apps/api/src/main.js');
const API_KEY = 'worker-failover-key-0123456789abcdefghij';

interface Readiness {
  status: string;
  details: {
    readmodel?: { projectorRunning: boolean };
    worker?: { state: 'leader' | 'standby'; mode: string };
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** The built service in a child process with exactly the given environment (plus PATH). */
async function startService(name: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      AUTH_API_KEYS: `admin:ops:${API_KEY}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const base = `http://127.0.0.1:${port}`;
  return {
    name,
    pid: child.pid,
    exited,
    output: () => output,
    get gone() {
      return gone;
    },
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    /** `/health/ready`'s body, or undefined while it does not answer. */
    async readiness(): Promise<Readiness | undefined> {
      try {
        return (await (await fetch(`${base}/health/ready`)).json()) as Readiness;
      } catch {
        return undefined;
      }
    },
  };
}

type Service = Awaited<ReturnType<typeof startService>>;

async function workerState(service: Service): Promise<string | undefined> {
  return (await service.readiness())?.details.worker?.state;
}

async function untilAnswering(service: Service): Promise<void> {
  await waitFor(
    async () => {
      if (service.gone) throw new Error(`${service.name} exited:\n${service.output()}`);
      return (await service.readiness())?.details.worker !== undefined;
    },
    90_000,
    `${service.name} to answer /health/ready`,
  );
}

describe.each(DATABASE_TARGETS)('worker processes on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  let writer: TestingModule;
  const services: Service[] = [];

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
  });

  beforeEach(async () => {
    dir = await tempDir('worker-failover');
    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
    database = await target.fresh();
    // Appends the account events the workers project.
    writer = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot({
          env: {
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            EVENTSTORE_CONNECTION_STRING: server.connectionString,
          },
        }),
        EventStoreModule.forRoot(),
      ],
    }).compile();
    writer.useLogger(false);
    await writer.init();
  });

  afterEach(async () => {
    for (const service of services.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await writer?.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  const worker = async (name: string, env: Record<string, string> = {}) => {
    const service = await startService(name, {
      ROLES: 'worker',
      EVENTSTORE_CONNECTION_STRING: server.connectionString,
      ...database.env,
      ...env,
    });
    services.push(service);
    return service;
  };

  const openAccounts = (ids: readonly string[]) =>
    appendAll(
      writer.get(EventStore),
      ids.map((id) => events.opened(id, '2026-03-01T09:00:00.000Z')),
    );

  if (target.name === 'pglite') {
    it('leads at once, and a second worker on the same data directory is refused', async () => {
      const first = await worker('first');
      await untilAnswering(first);
      expect((await first.readiness())?.details.worker).toEqual({
        status: 'up',
        state: 'leader',
        mode: 'single-process',
      });

      const second = await worker('second');
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(second.output()).toContain(`is in use by process ${first.pid}`);
      expect(await workerState(first)).toBe('leader');
    }, 240_000);
  }

  if (target.name === 'postgres') {
    it('runs the worker in one process; when it is killed, a standby takes over and projects on', async () => {
      const read = new pg.Client({ connectionString: database.config.databaseUrl });
      await read.connect();
      const accounts = async () =>
        (await read.query<{ id: string }>('select id from accounts order by id')).rows.map((row) => row.id);
      try {
        // Separate data directories: nothing but the database and the event store is shared.
        const a = await worker('a', { DATA_DIR: `${dir.path}/a` });
        const b = await worker('b', { DATA_DIR: `${dir.path}/b` });
        await untilAnswering(a);
        await untilAnswering(b);

        const states = [await workerState(a), await workerState(b)];
        expect([...states].sort()).toEqual(['leader', 'standby']);
        const [leader, standby] = states[0] === 'leader' ? [a, b] : [b, a];
        const standbyReady = await standby.readiness();
        // A standby is ready, and projects nothing.
        expect(standbyReady?.status).toBe('ok');
        expect(standbyReady?.details.readmodel?.projectorRunning).toBe(false);
        expect((await leader.readiness())?.details.readmodel?.projectorRunning).toBe(true);

        await openAccounts(['before-1', 'before-2']);
        await waitFor(async () => (await accounts()).length === 2, 30_000, 'the leader to project');
        // Still exactly one leader after a while of asking.
        expect(await workerState(standby)).toBe('standby');

        leader.kill('SIGKILL');
        expect((await leader.exited).signal).toBe('SIGKILL');
        await openAccounts(['after-1', 'after-2', 'after-3']);

        await waitFor(async () => (await workerState(standby)) === 'leader', 20_000, 'the standby to lead');
        expect(standby.output()).toContain('Took the worker lock: this process runs the worker');
        await waitFor(async () => (await accounts()).length === 5, 30_000, 'the new leader to project');
        expect(await accounts()).toEqual(['after-1', 'after-2', 'after-3', 'before-1', 'before-2']);
        expect((await standby.readiness())?.details.readmodel?.projectorRunning).toBe(true);

        standby.kill('SIGTERM');
        expect((await standby.exited).code).toBe(0);
      } finally {
        await read.end();
      }
    }, 240_000);
  }
});
