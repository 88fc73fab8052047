import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { tempDir } from '../support/helpers.js';

/** Where a suite's read model lives: its config and how to throw it away. */
export interface FreshDatabase {
  readonly config: { readonly databaseUrl: string | undefined; readonly dataDir: string };
  /** The variables to boot an app or a child process with. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  readonly name: 'pglite' | 'postgres';
  fresh(): Promise<FreshDatabase>;
}

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

const pglite: DatabaseTarget = {
  name: 'pglite',
  async fresh() {
    const dir = await tempDir('read-model');
    return {
      config: { databaseUrl: undefined, dataDir: dir.path },
      env: { DATA_DIR: dir.path },
      drop: () => dir.remove(),
    };
  },
};

/** A new database on the TEST_DATABASE_URL server for each call, dropped afterwards. */
const postgres = (url: string): DatabaseTarget => ({
  name: 'postgres',
  async fresh() {
    const dir = await tempDir('read-model-pg');
    const name = `read_model_${randomBytes(6).toString('hex')}`;
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
      config: { databaseUrl: databaseUrl.toString(), dataDir: dir.path },
      env: { DATA_DIR: dir.path, DATABASE_URL: databaseUrl.toString() },
      async drop() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`drop database if exists ${name} with (force)`);
        } finally {
          await client.end();
        }
        await dir.remove();
      },
    };
  },
});

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const DATABASE_TARGETS: readonly DatabaseTarget[] = [
  pglite,
  ...(TEST_DATABASE_URL ? [postgres(TEST_DATABASE_URL)] : []),
];
