// PGlite runs no autovacuum: the projector analyzes its tables itself once it has applied enough
// events, so that the planner knows them (without statistics it scans whole tables for joins).
import type { TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';

import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore } from '#eventstore';
import { AccountProjector, ReadModelDatabase } from '#read-model';

import { tempDir } from '../support/helpers.js';
import { generatedHistory } from './account-events.js';
import { appendHistories, bootReadModel } from './boot.js';
import { DATABASE_TARGETS } from './databases.js';

const pglite = DATABASE_TARGETS.find((target) => target.name === 'pglite')!;

async function analyzedTables(db: ReadModelDatabase['db']): Promise<string[]> {
  const result = (await db.execute(
    sql`select distinct tablename from pg_stats where schemaname = 'public' order by tablename`,
  )) as unknown as { rows: { tablename: string }[] };
  return result.rows.map((row) => row.tablename);
}

/** The most histogram bounds any column of `table` has in its statistics. */
async function longestHistogram(db: ReadModelDatabase['db'], table: string): Promise<number> {
  const result = (await db.execute(
    sql`select coalesce(max(array_length(histogram_bounds, 1)), 0)::int as bounds
        from pg_stats where schemaname = 'public' and tablename = ${table}`,
  )) as unknown as { rows: { bounds: number }[] };
  return result.rows[0].bounds;
}

describe('the account projector on PGlite', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let moduleRef: TestingModule | undefined;
  let drop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    await server?.stop();
    await drop?.();
    await dir?.remove();
  });

  it('analyzes its tables once it has applied 20,000 events, not before', async () => {
    dir = await tempDir('statistics-es');
    server = await EmbeddedEventStore.start({ dataDir: dir.path });
    const database = await pglite.fresh();
    drop = () => database.drop();
    moduleRef = await bootReadModel(database, server.connectionString);
    const store = moduleRef.get(EventStore);
    const projector = moduleRef.get(AccountProjector);
    const db = moduleRef.get(ReadModelDatabase).db;

    const few = await appendHistories(store, generatedHistory(10, 100, 'few'));
    expect(await projector.waitFor(few, 60_000)).toBe(true);
    expect(await analyzedTables(db)).toEqual([]);

    const many = await appendHistories(store, generatedHistory(190, 100, 'many'));
    expect(await projector.waitFor(many, 120_000)).toBe(true);
    expect(projector.eventsApplied).toBe(20_000);
    // PGlite has one connection, which takes statements in turn: the analysis, started right after
    // the batch that reached 20,000, runs before this query.
    expect(await analyzedTables(db)).toEqual(
      expect.arrayContaining(['accounts', 'stage_visits', 'timeline_entries', 'touchpoints']),
    );
    // The two largest tables are sampled less (statistics target 10: at most 11 histogram bounds).
    expect(await longestHistogram(db, 'timeline_entries')).toBeLessThanOrEqual(11);
    expect(await longestHistogram(db, 'touchpoints')).toBeLessThanOrEqual(11);
    expect(await longestHistogram(db, 'stage_visits')).toBeGreaterThan(11);
  }, 180_000);
});
