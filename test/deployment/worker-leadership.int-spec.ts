// Worker leadership in one process: instances of WorkerLeadership contending for the advisory lock
// on a real PostgreSQL database (when TEST_DATABASE_URL is set), and PGlite's single process.
import { Logger } from '@nestjs/common';
import pg from 'pg';

import type { AppConfig } from '#config';
import { WORKER_LOCK_KEY, WorkerLeadership } from '#worker-lease';

import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { waitFor } from '../support/helpers.js';

/** A WorkerLeadership and a log of what it was told to do. */
function contender(databaseUrl: string | undefined, failFirstStart = false) {
  const calls: string[] = [];
  let failNext = failFirstStart;
  const leadership = new WorkerLeadership({ databaseUrl } as AppConfig, { intervalMs: 50, timeoutMs: 2000 });
  const handlers = {
    acquired: async () => {
      calls.push('acquired');
      if (failNext) {
        failNext = false;
        throw new Error('the event store does not answer');
      }
    },
    lost: async () => {
      calls.push('lost');
    },
  };
  return { leadership, calls, start: () => leadership.start(handlers) };
}

/** Granted holders of the worker lock in the database, as the server sees them. */
async function lockHolders(client: pg.Client): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `select pid from pg_locks
      where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())
        and classid = 0 and objid = $1`,
    [WORKER_LOCK_KEY],
  );
  return rows.map((row) => row.pid);
}

describe.each(DATABASE_TARGETS)('worker leadership ($name)', (target) => {
  let database: FreshDatabase;
  let admin: pg.Client | undefined;
  const started: WorkerLeadership[] = [];

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    database = await target.fresh();
    if (database.config.databaseUrl !== undefined) {
      admin = new pg.Client({ connectionString: database.config.databaseUrl });
      await admin.connect();
    }
  });

  afterEach(async () => {
    for (const leadership of started.splice(0)) await leadership.stop();
    await admin?.end();
    admin = undefined;
    await database.drop();
  });

  const run = async (failFirstStart = false) => {
    const one = contender(database.config.databaseUrl, failFirstStart);
    started.push(one.leadership);
    await one.start();
    return one;
  };

  if (target.name === 'pglite') {
    it('leads at once without contending: the data directory admits one process', async () => {
      const one = await run();
      expect(one.leadership.mode).toBe('single-process');
      expect(one.leadership.state).toBe('leader');
      expect(one.calls).toEqual(['acquired']);
      await one.leadership.stop();
      expect(one.calls).toEqual(['acquired', 'lost']);
      expect(one.leadership.state).toBe('standby');
    });
  }

  if (target.name === 'postgres') {
    it('lets one lead while the other stands by, and hands over when the leader stops', async () => {
      const first = await run();
      const second = await run();
      expect(first.leadership.mode).toBe('advisory-lock');
      expect([first.leadership.state, second.leadership.state]).toEqual(['leader', 'standby']);
      expect(first.calls).toEqual(['acquired']);
      expect(second.calls).toEqual([]);
      expect(await lockHolders(admin!)).toHaveLength(1);

      await first.leadership.stop();
      expect(first.calls).toEqual(['acquired', 'lost']);
      await waitFor(() => second.leadership.state === 'leader', 10_000, 'the standby to lead');
      expect(second.calls).toEqual(['acquired']);
      expect(await lockHolders(admin!)).toHaveLength(1);
    });

    it('stops the leader’s components when its connection is cut, and one of them leads again', async () => {
      const first = await run();
      const second = await run();
      const [holder] = await lockHolders(admin!);
      await admin!.query('select pg_terminate_backend($1)', [holder]);

      await waitFor(() => first.calls.includes('lost'), 10_000, 'the leader to notice');
      await waitFor(
        () => first.leadership.state === 'leader' || second.leadership.state === 'leader',
        10_000,
        'a new leader',
      );
      expect([first.leadership.state, second.leadership.state].filter((s) => s === 'leader')).toHaveLength(1);
      expect(first.calls.slice(0, 2)).toEqual(['acquired', 'lost']);
      await waitFor(async () => (await lockHolders(admin!)).length === 1, 10_000, 'the lock to be held');
      expect(await lockHolders(admin!)).not.toContain(holder);
    });

    it('gives the lock back when the worker cannot start, and asks again', async () => {
      const first = await run(true);
      // Its own retry or the other's: either way someone leads with a worker that started.
      const second = await run();
      await waitFor(
        () => first.leadership.state === 'leader' || second.leadership.state === 'leader',
        10_000,
        'a leader whose worker started',
      );
      expect(first.calls.slice(0, 2)).toEqual(['acquired', 'lost']);
      expect(await lockHolders(admin!)).toHaveLength(1);
    });
  }
});
