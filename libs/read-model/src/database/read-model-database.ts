import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';

import type { AppConfig } from '#config';

import { DataDirLock } from './data-dir-lock.js';
import { migrationsFolder } from './migrations-folder.js';
import { PgliteThread } from './pglite-thread.js';

/** Drizzle over either driver: the application code is the same for both. */
export type ReadModelDb = PgDatabase<PgQueryResultHKT>;
/** A transaction handed to `db.transaction(async (tx) => …)`. */
export type ReadModelTx = Parameters<Parameters<ReadModelDb['transaction']>[0]>[0];
export type ReadModelDriver = 'postgres' | 'pglite';

/** A statement for {@link ReadModelDatabase.run}: one name for one text, for the life of the process. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** Serialises concurrent migrations of one PostgreSQL database (several replicas starting at once). */
const MIGRATION_LOCK_KEY = 72_011_117;

/** What an embedded database owns besides its pool: the PGlite thread and the data dir's lock. */
interface Embedded {
  readonly thread: PgliteThread;
  readonly lock: DataDirLock;
}

/**
 * The read model's database, always through node-postgres: PostgreSQL at `DATABASE_URL`, or
 * PGlite (PostgreSQL compiled to WASM) with its files under `${DATA_DIR}/readmodel`, run in a
 * worker thread so that it does not stall this process's event loop. Open it, migrate it, and
 * close it once (`close()` is idempotent).
 *
 * PGlite's data directory is locked while open: a second open, in this process or another,
 * fails with `ReadModelDataDirLockedError`. PGlite is one session, so its pool has one
 * connection: transactions and queries take turns.
 */
export class ReadModelDatabase {
  private static readonly logger = new Logger('ReadModel');
  private closing: Promise<void> | undefined;

  private constructor(
    readonly db: ReadModelDb,
    readonly driver: ReadModelDriver,
    /** Where it is, without a password: for logs and health output. */
    readonly location: string,
    private readonly pool: pg.Pool,
    private readonly embedded?: Embedded,
  ) {}

  static async open(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): Promise<ReadModelDatabase> {
    if (config.databaseUrl !== undefined) {
      // A server that does not answer fails a request within seconds instead of holding it forever.
      const pool = new pg.Pool({
        connectionString: config.databaseUrl,
        max: 10,
        connectionTimeoutMillis: 5000,
      });
      // An idle client losing its connection must not crash the process; the next query reconnects.
      pool.on('error', (error) => this.logger.warn({ msg: 'PostgreSQL client error', err: error }));
      survivesLostConnections(pool);
      const location = redactUrl(config.databaseUrl);
      this.logger.log({ msg: `Using PostgreSQL at ${location}`, readModel: 'postgres', location });
      return new ReadModelDatabase(drizzleNodePg({ client: pool }), 'postgres', location, pool);
    }
    const dataDir = join(config.dataDir, 'readmodel');
    await mkdir(dataDir, { recursive: true });
    const lock = await DataDirLock.acquire(dataDir);
    let thread: PgliteThread;
    try {
      thread = await PgliteThread.start(dataDir, (message) =>
        this.logger.error({
          msg: `Embedded PGlite (${dataDir}) failed; the read model is unavailable`,
          err: message,
        }),
      );
    } catch (error) {
      await lock.release();
      throw error;
    }
    const pool = new pg.Pool({
      // PGlite has one session: one connection, kept (no idle timeout), which the pool queues for.
      max: 1,
      idleTimeoutMillis: 0,
      stream: () => thread.connect(),
      // Fixed, so that PG* environment variables meant for a server change nothing here.
      host: 'localhost',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      ssl: false,
    });
    pool.on('error', (error) => this.logger.warn({ msg: 'PGlite client error', err: error }));
    survivesLostConnections(pool);
    this.logger.log({ msg: `Using embedded PGlite with data in ${dataDir}`, readModel: 'pglite', dataDir });
    return new ReadModelDatabase(drizzleNodePg({ client: pool }), 'pglite', dataDir, pool, { thread, lock });
  }

  /** Applies the pending migrations (the same SQL on both drivers). */
  async migrate(folder: string = migrationsFolder()): Promise<void> {
    if (this.embedded) {
      // The data dir's lock already keeps every other process out.
      await migrateNodePg(this.db as Parameters<typeof migrateNodePg>[0], { migrationsFolder: folder });
      return;
    }
    const lock = await this.pool.connect();
    try {
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migrateNodePg(this.db as Parameters<typeof migrateNodePg>[0], { migrationsFolder: folder });
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      lock.release();
    }
  }

  /**
   * Runs a fixed statement written in SQL, prepared once per connection under its name (parsed
   * once, nothing builds it per call), and returns its rows as
   * node-postgres parses them: instants as Dates, json as values, arrays as arrays. For the hot
   * reads whose text never changes; everything else goes through `db` (Drizzle). PostgreSQL still
   * plans it anew on each call unless a plan made without the values is estimated to cost no more
   * than those it made with them (after five calls); write such statements so that it is, as
   * ONE_ACCOUNT_FACTS in the API does.
   */
  async run<Row>(statement: PreparedStatement, values: readonly unknown[]): Promise<Row[]> {
    const result = await this.pool.query({ name: statement.name, text: statement.text, values: [...values] });
    return result.rows as Row[];
  }

  /**
   * Resolves when the database answers within `timeoutMs`: PostgreSQL a `select 1`; PGlite's
   * thread a ping, which it answers between two statements. (A query would wait for the
   * transaction under way on PGlite's one session, a projection batch of maybe seconds, which
   * says nothing about whether the database works.)
   */
  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const answer = this.embedded ? this.embedded.thread.ping() : this.db.execute(sql`select 1`);
      await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Waits for the transactions under way, then closes the connections; PGlite is closed (its
   * files written out) before its data dir is unlocked.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.pool.end();
      if (this.embedded === undefined) return;
      try {
        await this.embedded.thread.close();
      } finally {
        // The thread has exited by now, cleanly or not: nothing here touches the files any more.
        await this.embedded.lock.release();
      }
    })();
    return this.closing;
  }
}

/**
 * A client that loses its connection while checked out (a transaction under way) emits 'error',
 * which the pool only listens for on idle clients: unheard, it would crash the process. The
 * query under way rejects with that error anyway, and the pool drops the client on release.
 */
function survivesLostConnections(pool: pg.Pool): void {
  pool.on('connect', (client) => client.on('error', () => undefined));
}

/** The URL without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable)';
  }
}
