import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';

import {
  ReadModelDataDirLockedError,
  ReadModelDatabase,
  accounts,
  migrationsFolder,
  type ReadModelDb,
} from '#read-model';

import { delay, tempDir } from '../support/helpers.js';
import { DATABASE_TARGETS, type FreshDatabase } from './databases.js';

const READ_MODEL = resolve('dist/libs/read-model/src/index.js');
const LOCK_FILE = 'pglite.lock';

/**
 * A child process that opens the read model from dist/ with DATA_DIR `dataDir`, commits one
 * row to `marks`, prints "ready" and waits; or prints the error that refused it.
 */
function openInChild(dataDir: string, nodeFlags: readonly string[] = []) {
  const script = `
    const { ReadModelDatabase } = await import(${JSON.stringify(READ_MODEL)});
    const { Logger } = await import('@nestjs/common');
    Logger.overrideLogger(false);
    try {
      const database = await ReadModelDatabase.open({ dataDir: process.argv[1], databaseUrl: undefined });
      await database.migrate();
      await database.db.execute('create table if not exists marks (note text not null)');
      await database.db.execute("insert into marks values ('written by the child')");
      console.log(JSON.stringify({ ready: true }));
      setInterval(() => {}, 1000);
    } catch (error) {
      console.log(JSON.stringify({ name: error.name, message: error.message }));
    }
  `;
  const child = spawn(process.execPath, [...nodeFlags, '--input-type=module', '-e', script, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((done) =>
    child.on('exit', (code, signal) => done(signal ?? code)),
  );
  return {
    pid: child.pid as number,
    exited,
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    /** The first JSON line it prints. */
    async answer(timeoutMs = 60_000): Promise<{ ready?: boolean; name?: string; message?: string }> {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes('\n')) {
        if (Date.now() > deadline) throw new Error(`no answer from the child; stderr:\n${stderr}`);
        await delay(20);
      }
      return JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { ready?: boolean };
    },
  };
}

beforeAll(() => Logger.overrideLogger(false));

/** The rows of a raw query (node-postgres results, whichever the driver). */
async function rows<T = Record<string, unknown>>(db: ReadModelDb, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The pid of a process that has exited (and been reaped) by the time this resolves. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.on('exit', done));
  return child.pid as number;
}

describe('the PGlite data directory lock', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let config: { dataDir: string; databaseUrl: undefined };
  let lockFile: string;
  const opened: ReadModelDatabase[] = [];

  const open = async () => {
    const database = await ReadModelDatabase.open(config);
    opened.push(database);
    return database;
  };

  beforeAll(() => {
    if (!existsSync(READ_MODEL)) throw new Error(`${READ_MODEL} is missing: build first (npm test does)`);
  });

  beforeEach(async () => {
    dir = await tempDir('read-model-lock');
    config = { dataDir: dir.path, databaseUrl: undefined };
    lockFile = join(dir.path, 'readmodel', LOCK_FILE);
  });

  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    await dir.remove();
  });

  it('refuses a second open in the same process, naming the directory', async () => {
    await open();

    const refused = await ReadModelDatabase.open(config).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ReadModelDataDirLockedError);
    expect((refused as Error).message).toContain(join(dir.path, 'readmodel'));
    expect((refused as Error).message).toContain(`already open in this process (pid ${process.pid})`);
  }, 60_000);

  it('refuses another process while this one holds it, naming the directory and the holder', async () => {
    await open();

    const child = openInChild(dir.path);
    const answer = await child.answer();
    await child.exited;

    expect(answer.name).toBe('ReadModelDataDirLockedError');
    expect(answer.message).toContain(join(dir.path, 'readmodel'));
    expect(answer.message).toContain(`in use by process ${process.pid} on ${hostname()}`);
    expect(answer.message).toContain(lockFile);
  }, 60_000);

  it('holds the pid in the lock file and deletes the file on close, after which it opens again', async () => {
    const database = await open();
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
    });

    await database.close();

    expect(existsSync(lockFile)).toBe(false);
    await expect(open()).resolves.toBeInstanceOf(ReadModelDatabase);
  }, 60_000);

  it('takes over a lock whose process is gone', async () => {
    const gone = await deadPid();
    await mkdir(dirname(lockFile), { recursive: true });
    await writeFile(
      lockFile,
      JSON.stringify({ pid: gone, hostname: hostname(), since: new Date().toISOString() }),
    );

    await open();

    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
  }, 60_000);

  it('refuses a lock held on another host, whose process it cannot check', async () => {
    await mkdir(dirname(lockFile), { recursive: true });
    const holder = { pid: process.pid, hostname: `not-${hostname()}`, since: new Date().toISOString() };
    await writeFile(lockFile, JSON.stringify(holder));

    const refused = await ReadModelDatabase.open(config).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ReadModelDataDirLockedError);
    expect((refused as Error).message).toContain(`on not-${hostname()}`);
  }, 60_000);

  it('takes over the lock of a process killed with SIGKILL, and keeps what it had committed', async () => {
    const child = openInChild(dir.path);
    expect(await child.answer()).toEqual({ ready: true });
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: child.pid });

    child.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    // Nothing cleaned up after it: the lock still names the dead process.
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: child.pid });

    const database = await open();

    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await rows(database.db, sql`select note from marks`)).toEqual([{ note: 'written by the child' }]);
  }, 90_000);

  it('opens in a process whose heap is bounded on the command line (V8 options a thread refuses)', async () => {
    const child = openInChild(dir.path, ['--max-old-space-size=512', '--max-semi-space-size=32']);
    expect(await child.answer()).toEqual({ ready: true });
    child.kill('SIGTERM');
    await child.exited;
  }, 90_000);
});

describe.each(DATABASE_TARGETS)('ReadModelDatabase on $name', (target) => {
  let database: FreshDatabase;
  const opened: ReadModelDatabase[] = [];

  const open = async () => {
    const db = await ReadModelDatabase.open(database.config);
    opened.push(db);
    await db.migrate();
    return db;
  };

  beforeEach(async () => {
    database = await target.fresh();
  });

  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await database.drop();
  });

  const count = async (readModel: ReadModelDatabase, table = 'notes') =>
    Number((await rows(readModel.db, sql.raw(`select count(*) as n from ${table}`)))[0].n);

  it('rolls a transaction back when its callback throws, and goes on serving', async () => {
    const readModel = await open();
    const { db } = readModel;
    await db.execute(sql`create table notes (id int primary key)`);

    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into notes values (1)`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into notes values (2)`);
        await tx.execute(sql`insert into notes values (2)`);
      }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23505' }) }); // unique_violation

    expect(await count(readModel)).toBe(0);
    await db.transaction(async (tx) => tx.execute(sql`insert into notes values (3)`));
    expect(await count(readModel)).toBe(1);
  }, 60_000);

  it('keeps committed rows across close and reopen', async () => {
    const first = await open();
    await first.db.execute(sql`create table notes (id int primary key)`);
    await first.db.transaction(async (tx) => {
      for (let id = 1; id <= 100; id++) await tx.execute(sql`insert into notes values (${id})`);
    });
    await first.close();

    const second = await open();

    expect(await count(second)).toBe(100);
    expect(await count(second, 'accounts')).toBe(0);
  }, 60_000);
});

describe('ReadModelDatabase on PGlite with concurrent callers', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let readModel: ReadModelDatabase;

  beforeEach(async () => {
    dir = await tempDir('read-model-concurrency');
    readModel = await ReadModelDatabase.open({ dataDir: dir.path, databaseUrl: undefined });
    await readModel.migrate();
    await readModel.db.execute(
      sql`create table steps (seq serial primary key, tx int not null, step int not null)`,
    );
  });

  afterEach(async () => {
    await readModel.close();
    await dir.remove();
  });

  it('runs concurrent transactions one after the other, never interleaved, each committing or rolling back alone', async () => {
    const { db } = readModel;
    const STEPS = 4;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, tx) =>
        db.transaction(async (t) => {
          for (let step = 0; step < STEPS; step++) {
            await t.execute(sql`insert into steps (tx, step) values (${tx}, ${step})`);
            // Gives the other callers every chance to slip in between.
            await delay(2);
          }
          if (tx % 2 === 1) throw new Error(`transaction ${tx} fails`);
        }),
      ),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    const steps = await rows<{ tx: number; step: number }>(db, sql`select tx, step from steps order by seq`);
    // Only the committed ones, each one's steps together and in order.
    expect(steps).toEqual(
      [0, 2, 4].flatMap((tx) => Array.from({ length: STEPS }, (_, step) => ({ tx, step }))),
    );
  }, 60_000);

  it('runs a query issued during a transaction after it, so it never sees uncommitted rows', async () => {
    const { db } = readModel;
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));

    const transaction = db.transaction(async (tx) => {
      await tx.execute(sql`insert into steps (tx, step) values (1, 0)`);
      inserted();
      await delay(100);
      throw new Error('rolled back');
    });
    await insertedSignal;
    const seenMeanwhile = rows(db, sql`select count(*)::int as n from steps`);

    await expect(transaction).rejects.toThrow('rolled back');
    expect(await seenMeanwhile).toEqual([{ n: 0 }]);
  }, 60_000);

  it('answers a ping while a transaction holds the session, and refuses one once closed', async () => {
    const { db } = readModel;
    let inside!: () => void;
    const insideSignal = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.execute(sql`insert into steps (tx, step) values (1, 0)`);
      inside();
      await released;
    });
    await insideSignal;

    // The transaction ends only after the ping: a ping that waited for it would time out.
    await readModel.ping(10_000);
    release();
    await transaction;

    await readModel.close();
    await expect(readModel.ping(10_000)).rejects.toThrow(/PGlite thread .* is closed/);
  }, 60_000);

  it('opens a data directory that the in-thread PGlite driver created and migrated', async () => {
    await readModel.close();
    const older = await tempDir('read-model-older');
    try {
      const pglite = await PGlite.create(join(older.path, 'readmodel'));
      await migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder: migrationsFolder() });
      await pglite.exec(`create table kept (note text); insert into kept values ('from before')`);
      await pglite.close();

      readModel = await ReadModelDatabase.open({ dataDir: older.path, databaseUrl: undefined });
      await readModel.migrate();

      expect(await rows(readModel.db, sql`select note from kept`)).toEqual([{ note: 'from before' }]);
      expect(await readModel.db.select().from(accounts)).toEqual([]);
    } finally {
      await readModel.close();
      await older.remove();
    }
  }, 60_000);
});
