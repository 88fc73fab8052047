import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import type { TestingModule } from '@nestjs/testing';

import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, type Position } from '#eventstore';
import { AccountProjector, ReadModelDatabase } from '#read-model';

import { tempDir } from '../support/helpers.js';
import { generatedHistory } from './account-events.js';
import { appendHistories, bootReadModel } from './boot.js';
import { DATABASE_TARGETS, type FreshDatabase } from './databases.js';
import { snapshot } from './snapshot.js';

const MAIN = resolve('dist/apps/projector/src/main.js');
const ACCOUNTS = 40;
const EVENTS_PER_ACCOUNT = 75;
const TOTAL = ACCOUNTS * EVENTS_PER_ACCOUNT;

interface Line {
  started?: boolean;
  progress?: boolean;
  total?: number;
  commit?: string | null;
}

/** The built projector in a child process, reporting each stored batch on stdout. */
function runProjector(env: Record<string, string>) {
  // Small batches: a kill at a progress line always leaves many batches to go.
  const child = spawn(process.execPath, [MAIN, '--progress', '--batch-size', '50'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let buffered = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.startsWith('{')) continue;
      const line = JSON.parse(part) as Line;
      if (line.started || line.progress) lines.push(line);
    }
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  return {
    lines,
    exited,
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    /** Resolves once a line satisfies `predicate`; rejects if the process exits first or on timeout. */
    until(predicate: (line: Line) => boolean, timeoutMs = 60_000): Promise<Line> {
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => finish(new Error(`timed out; stderr:\n${stderr}`)), timeoutMs);
        const check = () => {
          const found = lines.find(predicate);
          if (found) finish(undefined, found);
        };
        const finish = (error?: Error, line?: Line) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) fail(error);
          else ok(line!);
        };
        listeners.add(check);
        void exited.then(({ code, signal }) =>
          finish(new Error(`exited (${code ?? signal}) early:\n${stderr}`)),
        );
        check();
      });
    },
  };
}

describe.each(DATABASE_TARGETS)('the projector process killed mid-catch-up ($name)', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  const databases: FreshDatabase[] = [];
  const modules: TestingModule[] = [];

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
  });

  beforeEach(async () => {
    dir = await tempDir('projector-crash');
    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
  });

  afterEach(async () => {
    for (const moduleRef of modules.splice(0)) await moduleRef.close();
    await server?.stop();
    for (const database of databases.splice(0)) await database.drop();
    await dir?.remove();
  });

  const fresh = async () => {
    const database = await target.fresh();
    databases.push(database);
    return database;
  };

  it('resumes after SIGKILL and ends with the same tables as a clean rebuild', async () => {
    // The events, written once through a module that only needs the event store.
    const writer = await bootReadModel(await fresh(), server.connectionString, { autoStart: false });
    modules.push(writer);
    const end: Position = await appendHistories(
      writer.get(EventStore),
      generatedHistory(ACCOUNTS, EVENTS_PER_ACCOUNT),
    );
    const reached = (line: Line) => line.commit != null && BigInt(line.commit) >= end.commit;

    const crashed = await fresh();
    const env = { EVENTSTORE_CONNECTION_STRING: server.connectionString, ...crashed.env };
    // Killed twice at different depths, then left to finish.
    const resumedFrom: (string | null | undefined)[] = [];
    for (const threshold of [TOTAL * 0.2, TOTAL * 0.55]) {
      const run = runProjector(env);
      resumedFrom.push((await run.until((line) => line.started === true)).commit);
      await run.until((line) => (line.total ?? 0) >= threshold || reached(line));
      await new Promise((ok) => setTimeout(ok, Math.random() * 5));
      run.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
      expect(run.lines.some(reached)).toBe(false);
    }
    const last = runProjector(env);
    resumedFrom.push((await last.until((line) => line.started === true)).commit);
    await last.until(reached, 90_000);
    // Each restart resumed from a stored checkpoint rather than from the start.
    expect(resumedFrom[0]).toBeNull();
    expect(resumedFrom.slice(1).every((commit) => commit != null)).toBe(true);
    expect(last.lines.reduce((most, line) => Math.max(most, line.total ?? 0), 0)).toBeLessThan(TOTAL);
    last.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    const crashedDb = await ReadModelDatabase.open(crashed.config);
    const afterCrashes = await snapshot(crashedDb.db);
    await crashedDb.close();

    const clean = await bootReadModel(await fresh(), server.connectionString);
    modules.push(clean);
    expect(await clean.get(AccountProjector).waitFor(end, 60_000)).toBe(true);
    const rebuilt = await snapshot(clean.get(ReadModelDatabase).db);

    expect(rebuilt.timelineEntries).toHaveLength(TOTAL);
    expect(rebuilt.projectionCheckpoints[0]).toMatchObject({ eventsApplied: TOTAL });
    for (const table of Object.keys(rebuilt))
      expect({ table, rows: afterCrashes[table] }).toEqual({ table, rows: rebuilt[table] });
  }, 240_000);
});
