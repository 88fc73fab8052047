import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { TestingModule } from '@nestjs/testing';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';

import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore } from '#eventstore';
import { AccountProjector, ReadModelDatabase, liveTables as t } from '#read-model';

import { tempDir } from '../support/helpers.js';
import { generatedHistory } from './account-events.js';
import { appendHistories, bootReadModel } from './boot.js';
import { DATABASE_TARGETS, type FreshDatabase } from './databases.js';
import { snapshot } from './snapshot.js';

const MAIN = resolve('dist/apps/projections-rebuild/src/main.js');

/** The built program in a child process; resolves with its exit code and output. */
function runRebuild(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

async function schemas(db: ReadModelDatabase['db']): Promise<string[]> {
  const result = (await db.execute(sql`select nspname from pg_namespace`)) as unknown as {
    rows: { nspname: string }[];
  };
  return result.rows.map((row) => row.nspname);
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
});

describe('the projections:rebuild program', () => {
  it('refuses bad arguments with the rule and the usage, and writes nothing', async () => {
    const dir = await tempDir('rebuild-args');
    try {
      const zero = await runRebuild(['--batch-size', '0'], { DATA_DIR: dir.path });
      expect(zero.code).toBe(2);
      expect(zero.stderr).toContain('--batch-size: must be a whole number of events, at least 1 (got "0")');
      expect(zero.stderr).toContain('usage: npm run projections:rebuild');
      const unknown = await runRebuild(['--everything'], { DATA_DIR: dir.path });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("Unknown option '--everything'");
      const schema = await runRebuild(['--schema', 'public'], { DATA_DIR: dir.path });
      expect(schema.code).toBe(2);
      expect(schema.stderr).toContain('--schema: must not be the live schema');
      expect(await readdir(dir.path)).toEqual([]);
    } finally {
      await dir.remove();
    }
  }, 60_000);
});

describe.each(DATABASE_TARGETS)('the projections:rebuild program on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  const modules: TestingModule[] = [];

  beforeEach(async () => {
    dir = await tempDir('rebuild-cli');
    server = await EmbeddedEventStore.start({ dataDir: dir.path });
    database = await target.fresh();
  });

  afterEach(async () => {
    for (const moduleRef of modules.splice(0)) await moduleRef.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  const env = () => ({ EVENTSTORE_CONNECTION_STRING: server.connectionString, ...database.env });

  /** Events projected by a live projector in this process; returns the module still open. */
  const projected = async () => {
    const moduleRef = await bootReadModel(database, server.connectionString);
    modules.push(moduleRef);
    const end = await appendHistories(moduleRef.get(EventStore), generatedHistory(6, 40));
    expect(await moduleRef.get(AccountProjector).waitFor(end, 20_000)).toBe(true);
    return moduleRef;
  };

  it('rebuilds, reports progress and a summary, and leaves the rebuilt tables live', async () => {
    const moduleRef = await projected();
    const db = moduleRef.get(ReadModelDatabase).db;
    const before = await snapshot(db);
    await db.update(t.accounts).set({ name: 'damaged' }).where(eq(t.accounts.id, 'acc-3'));
    // With PGlite the data directory is this process's until it lets go.
    await moduleRef.close();
    modules.splice(modules.indexOf(moduleRef), 1);

    const run = await runRebuild(['--batch-size', '20'], env());
    // stderr carries the logs (warnings only here): shown if it failed.
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('rebuild: making fresh tables: 0 events applied of about 240 (0%)');
    expect(
      lines.some((line) => /^rebuild: replaying: \d+ events applied of about 240 \(\d+%\)$/.test(line)),
    ).toBe(true);
    expect(lines).toContain('rebuild: switching over: 240 events applied of about 240 (100%)');
    expect(run.stdout).toMatch(/rebuild: done in \d+\.\d s/);
    expect(run.stdout).toContain('events applied:      240');
    expect(run.stdout).toContain('live tables:         replaced by the rebuilt ones in schema "public"');

    const reopened = await ReadModelDatabase.open(database.config);
    try {
      expect(await snapshot(reopened.db)).toEqual(before);
      expect(await schemas(reopened.db)).not.toContain('read_model_rebuild');
    } finally {
      await reopened.close();
    }
  }, 120_000);

  if (target.name === 'postgres') {
    it('refuses while another rebuild runs against the same database', async () => {
      // What a running rebuild holds for its whole length.
      const other = new pg.Client({ connectionString: database.config.databaseUrl });
      await other.connect();
      try {
        await other.query('select pg_advisory_lock(72011118)');
        const run = await runRebuild([], env());
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('rebuild refused: another rebuild is running against the same database');
        expect(run.stdout).toBe('');
      } finally {
        await other.end();
      }
    }, 60_000);
  }

  if (target.name === 'pglite') {
    it('refuses while another process has the PGlite data open, and changes nothing', async () => {
      const moduleRef = await projected();
      const db = moduleRef.get(ReadModelDatabase).db;
      const before = await snapshot(db);

      const run = await runRebuild([], env());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('rebuild refused: the read model (PGlite) in');
      expect(run.stderr).toContain(`is in use by process ${process.pid} (`);
      expect(run.stderr).toContain('stop that process and run the rebuild again');
      expect(run.stdout).toBe('');
      expect(await snapshot(db)).toEqual(before);
      expect(await schemas(db)).not.toContain('read_model_rebuild');
    }, 120_000);
  }
});
