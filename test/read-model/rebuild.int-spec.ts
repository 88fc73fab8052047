import type { TestingModule } from '@nestjs/testing';
import { eq, getTableName, sql } from 'drizzle-orm';

import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, EventStoreConnection, createEvent, startedBy, type Position } from '#eventstore';
import type { AccountEvent } from '#lifecycle';
import {
  AccountProjector,
  EventStoreTail,
  ProjectionRebuild,
  ReadModelDatabase,
  RebuildAbortedError,
  describeTables,
  liveTables as t,
  type ProjectionRebuildOptions,
  type RebuildProgress,
} from '#read-model';

import { tempDir } from '../support/helpers.js';
import { day, events, generatedHistory } from './account-events.js';
import { appendAll, appendHistories, bootReadModel } from './boot.js';
import { DATABASE_TARGETS, type FreshDatabase } from './databases.js';
import { snapshot } from './snapshot.js';

const TABLES = Object.values(t).map((table) => getTableName(table));
const context = startedBy('cmd-rebuild-test', 'system:test');

/** The schemas that exist, for checking that a rebuild leaves none behind. */
async function schemas(db: ReadModelDatabase['db']): Promise<string[]> {
  const result = (await db.execute(sql`select nspname from pg_namespace order by nspname`)) as unknown as {
    rows: { nspname: string }[];
  };
  return result.rows.map((row) => row.nspname);
}

async function timelineCount(db: ReadModelDatabase['db'], table = sql`timeline_entries`): Promise<number> {
  const result = (await db.execute(sql`select count(*)::int as n from ${table}`)) as unknown as {
    rows: { n: number }[];
  };
  return result.rows[0].n;
}

describe.each(DATABASE_TARGETS)('rebuilding the read model on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  const modules: TestingModule[] = [];

  beforeEach(async () => {
    dir = await tempDir('rebuild-es');
    server = await EmbeddedEventStore.start({ dataDir: dir.path });
    database = await target.fresh();
  });

  afterEach(async () => {
    for (const moduleRef of modules.splice(0)) await moduleRef.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  const boot = async (projector = {}) => {
    const moduleRef = await bootReadModel(database, server.connectionString, projector);
    modules.push(moduleRef);
    const readModel = moduleRef.get(ReadModelDatabase);
    const store = moduleRef.get(EventStore);
    const tail = new EventStoreTail(moduleRef.get(EventStoreConnection));
    return {
      store,
      projector: moduleRef.get(AccountProjector),
      readModel,
      db: readModel.db,
      rebuild: (options: Partial<ProjectionRebuildOptions> = {}) =>
        new ProjectionRebuild({ database: readModel, eventStore: store, tail, ...options }),
    };
  };

  it('yields tables equal to what the live projector made, with the same columns and indexes', async () => {
    const { store, projector, db, rebuild } = await boot();
    const end = await appendHistories(store, generatedHistory(8, 40));
    expect(await projector.waitFor(end, 20_000)).toBe(true);
    const projected = await snapshot(db);
    const structure = await describeTables(db, 'public', TABLES);

    // Damage the live tables: only a replay from the events can put them right.
    await db.update(t.accounts).set({ name: 'damaged' }).where(eq(t.accounts.id, 'acc-1'));
    await db.delete(t.touchpoints).where(eq(t.touchpoints.accountId, 'acc-2'));

    const reports: RebuildProgress[] = [];
    const summary = await rebuild({ batchSize: 50, onProgress: (report) => void reports.push(report) }).run();

    expect(summary).toMatchObject({ eventsApplied: 8 * 40, liveSchema: 'public', switchAttempts: 1 });
    expect(summary.checkpoint).toEqual(end);
    const rebuilt = await snapshot(db);
    expect(rebuilt.timelineEntries).toHaveLength(8 * 40);
    for (const table of Object.keys(projected))
      expect({ table, rows: rebuilt[table] }).toEqual({ table, rows: projected[table] });
    expect(await describeTables(db, 'public', TABLES)).toEqual(structure);
    expect(structure.some((line) => line.includes('index accounts_name_pattern_idx'))).toBe(true);
    expect(await schemas(db)).not.toContain('read_model_rebuild');

    // Progress: phases in order, counts growing to the total, the estimate from the live count.
    expect(reports[0]).toMatchObject({ phase: 'preparing', eventsApplied: 0, totalEstimate: 8 * 40 });
    expect(reports.at(-1)).toMatchObject({ phase: 'done', eventsApplied: 8 * 40, totalEstimate: 8 * 40 });
    const replaying = reports.filter((report) => report.phase === 'replaying');
    expect(replaying.length).toBeGreaterThanOrEqual((8 * 40) / 50);
    for (let i = 1; i < replaying.length; i++)
      expect(replaying[i].eventsApplied).toBeGreaterThan(replaying[i - 1].eventsApplied);
    expect(reports.every((report) => (report.totalEstimate ?? 0) >= report.eventsApplied)).toBe(true);
  });

  it('keeps answering from the live tables during the rebuild, and from the rebuilt ones after', async () => {
    const { store, projector, readModel, db, rebuild } = await boot();
    const end = await appendHistories(store, generatedHistory(5, 30));
    expect(await projector.waitFor(end, 20_000)).toBe(true);
    // Stale data that only the old tables hold.
    await db.update(t.accounts).set({ name: 'stale name' }).where(eq(t.accounts.id, 'acc-0'));
    const nameOf = async (id: string) =>
      (await db.select({ name: t.accounts.name }).from(t.accounts).where(eq(t.accounts.id, id)))[0]?.name;
    // The API's hot reads are statements prepared once per connection: they must follow the
    // tables through the switch-over, not keep reading (or fail on) the dropped ones.
    const nameStatement = {
      name: 'rebuild-test-account-name',
      text: 'select name from accounts where id = $1',
    };
    const preparedNameOf = async (id: string) =>
      (await readModel.run<{ name: string }>(nameStatement, [id]))[0]?.name;
    for (let i = 0; i < 3; i++) expect(await preparedNameOf('acc-0')).toBe('stale name');

    const during: { name: string | undefined; liveTimeline: number; freshTimeline: number }[] = [];
    let switchingReports = 0;
    let askedWhileLocked: Promise<string | undefined> | undefined;
    await rebuild({
      batchSize: 10,
      onProgress: async (report) => {
        // The rebuild waits for this: the queries run in the middle of it.
        if (report.phase === 'replaying' && during.length < 3) {
          during.push({
            name: await nameOf('acc-0'),
            liveTimeline: await timelineCount(db),
            freshTimeline: await timelineCount(db, sql`read_model_rebuild.timeline_entries`),
          });
        }
        if (report.phase !== 'switching') return;
        switchingReports += 1;
        // Before the locks: an event for the switch-over to apply under them...
        if (switchingReports === 1) await appendAll(store, [events.touchpoint('acc-1', 'locked', day(90))]);
        // ...and meanwhile, a query of the live tables: it waits for the switch-over, not fails.
        if (switchingReports === 2) askedWhileLocked = nameOf('acc-0');
      },
    }).run();

    expect(during).toHaveLength(3);
    for (const seen of during) {
      expect(seen.name).toBe('stale name');
      expect(seen.liveTimeline).toBe(5 * 30);
      expect(seen.freshTimeline).toBeLessThan(5 * 30);
    }
    expect(askedWhileLocked).toBeDefined();
    expect(await askedWhileLocked).toBe('Account acc-0');
    expect(await nameOf('acc-0')).toBe('Account acc-0');
    for (let i = 0; i < 3; i++) expect(await preparedNameOf('acc-0')).toBe('Account acc-0');
    expect(await timelineCount(db)).toBe(5 * 30 + 1);
  });

  it('takes in events appended during the rebuild exactly once, and the live projector carries on', async () => {
    const { store, projector, db, rebuild } = await boot({ batchSize: 7 });
    const appended: AccountEvent[] = generatedHistory(6, 25).flat();
    const end = await appendHistories(store, generatedHistory(6, 25));
    expect(await projector.waitFor(end, 20_000)).toBe(true);

    let n = 0;
    const touch = async () => {
      n += 1;
      const event = events.touchpoint(`acc-${n % 6}`, `late-${n}`, day(100 + n));
      appended.push(event);
      await appendAll(store, [event]);
      // Events of other streams in between, and last in `$all`: the rebuild must skip them.
      await store.append('audit-rebuild', [createEvent('Audited', { n }, context)], 'any');
    };
    let switchingReports = 0;
    const summary = await rebuild({
      batchSize: 10,
      onProgress: async (report) => {
        if (report.phase === 'replaying' && n < 8) await touch();
        if (report.phase !== 'switching') return;
        switchingReports += 1;
        // The first comes before the locks: these two are what the switch-over applies under them.
        if (switchingReports === 1) {
          await touch();
          await touch();
        }
        // Later ones come from batches applied under the locks: this one arrives while locked.
        if (switchingReports === 2) await touch();
      },
    }).run();

    expect(n).toBe(11);
    expect(summary.eventsAppliedWhileLocked).toBeGreaterThanOrEqual(2);
    // After the switch-over the live projector goes on filling the (rebuilt) live tables.
    const newAccount = events.opened('after-switch', day(200));
    appended.push(newAccount);
    const last: Position = await appendAll(store, [newAccount]);
    expect(await projector.waitFor(last, 20_000)).toBe(true);
    const [opened] = await db.select().from(t.accounts).where(eq(t.accounts.id, 'after-switch'));
    expect(opened).toMatchObject({ name: 'Account after-switch' });
    expect(projector.position).toEqual(last);

    // Every event exactly once: the timeline has one row per appended event, and the counters agree.
    const timeline = await db.select({ id: t.timelineEntries.eventId }).from(t.timelineEntries);
    expect(timeline).toHaveLength(appended.length);
    const touches = appended.filter((event) => event.type === 'TouchpointRecorded');
    const counted = await db
      .select({ n: sql<number>`sum(${t.accounts.touchpointCount})::int` })
      .from(t.accounts);
    expect(counted[0].n).toBe(touches.length);
    expect(await db.select().from(t.touchpoints)).toHaveLength(touches.length);
    const [checkpoint] = await db.select().from(t.projectionCheckpoints);
    expect(checkpoint.eventsApplied).toBe(appended.length);

    // And the state is the one a clean replay of the same events makes.
    const incremental = await snapshot(db);
    await rebuild().run();
    const clean = await snapshot(db);
    for (const table of Object.keys(clean))
      expect({ table, rows: incremental[table] }).toEqual({ table, rows: clean[table] });
  });

  it('leaves the live tables as they were when stopped, and drops its own', async () => {
    const { store, projector, db, rebuild } = await boot();
    const end = await appendHistories(store, generatedHistory(3, 30));
    expect(await projector.waitFor(end, 20_000)).toBe(true);
    const before = await snapshot(db);
    const stop = new AbortController();
    await expect(
      rebuild({
        batchSize: 10,
        signal: stop.signal,
        onProgress: (report) => {
          if (report.eventsApplied >= 20) stop.abort();
        },
      }).run(),
    ).rejects.toBeInstanceOf(RebuildAbortedError);
    expect(await snapshot(db)).toEqual(before);
    expect(await schemas(db)).not.toContain('read_model_rebuild');
  });

  it('refuses a working schema it did not make, and bad settings', async () => {
    const { db, rebuild } = await boot({ autoStart: false });
    await db.execute(sql`create schema keep_me`);
    await db.execute(sql`create table keep_me.notes (id int)`);
    await expect(rebuild({ schema: 'keep_me' }).run()).rejects.toThrow(
      /schema: "keep_me" exists and was not made by a rebuild/,
    );
    expect(await schemas(db)).toContain('keep_me');
    expect(() => rebuild({ schema: 'public' })).toThrow(/schema: must not be the live schema/);
    expect(() => rebuild({ schema: 'Bad-Name' })).toThrow(/schema: must be 1 to 63 lower-case letters/);
    expect(() => rebuild({ batchSize: 0 })).toThrow(/batchSize: must be a whole number, at least 1/);
  });
});
