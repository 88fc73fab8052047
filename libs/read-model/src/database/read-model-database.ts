import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

import type { AppConfig } from '#config';

import { migrationsFolder } from './migrations-folder.js';

/** Drizzle over either driver: the application code is the same for both. */
export type ReadModelDb = PgDatabase<PgQueryResultHKT>;
/** A transaction handed to `db.transaction(async (tx) => …)`. */
export type ReadModelTx = Parameters<Parameters<ReadModelDb['transaction']>[0]>[0];
export type ReadModelDriver = 'postgres' | 'pglite';

/** Serialises concurrent migrations of one PostgreSQL database (several replicas starting at once). */
const MIGRATION_LOCK_KEY = 72_011_117;

/**
 * The read model's database: PostgreSQL at `DATABASE_URL` through node-postgres, or PGlite
 * (PostgreSQL compiled to WASM) with its files under `${DATA_DIR}/readmodel`. Open it, migrate
 * it, and close it once (`close()` is idempotent).
 */
export class ReadModelDatabase {
  private static readonly logger = new Logger('ReadModel');
  private closing: Promise<void> | undefined;

  private constructor(
    readonly db: ReadModelDb,
    readonly driver: ReadModelDriver,
    /** Where it is, without a password: for logs and health output. */
    readonly location: string,
    private readonly client: pg.Pool | PGlite,
  ) {}

  static async open(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): Promise<ReadModelDatabase> {
    if (config.databaseUrl !== undefined) {
      const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
      // An idle client losing its connection must not crash the process; the next query reconnects.
      pool.on('error', (error) => this.logger.warn({ msg: 'PostgreSQL client error', err: error }));
      const location = redactUrl(config.databaseUrl);
      this.logger.log({ msg: `Using PostgreSQL at ${location}`, readModel: 'postgres', location });
      return new ReadModelDatabase(drizzleNodePg({ client: pool }), 'postgres', location, pool);
    }
    const dataDir = join(config.dataDir, 'readmodel');
    await mkdir(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir);
    this.logger.log({ msg: `Using embedded PGlite with data in ${dataDir}`, readModel: 'pglite', dataDir });
    return new ReadModelDatabase(drizzlePglite({ client: pglite }), 'pglite', dataDir, pglite);
  }

  /** Applies the pending migrations (the same SQL on both drivers). */
  async migrate(folder: string = migrationsFolder()): Promise<void> {
    if (this.client instanceof PGlite) {
      await migratePglite(this.db as Parameters<typeof migratePglite>[0], { migrationsFolder: folder });
      return;
    }
    const lock = await this.client.connect();
    try {
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migrateNodePg(this.db as Parameters<typeof migrateNodePg>[0], { migrationsFolder: folder });
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      lock.release();
    }
  }

  /** Resolves when the database answers `select 1` within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.db.execute(sql`select 1`), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.client instanceof PGlite ? this.client.close() : this.client.end();
    return this.closing;
  }
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
