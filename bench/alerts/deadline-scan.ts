// The deadline monitor's scan at two portfolio sizes with the same things due. The due accounts go
// through the real command path (the monitor's commands re-check each account's stream); the rest of
// the portfolio is written straight into the read model with generate_series, since the scan must
// not even look at it.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { EventStoreProcess, freePort } from '#embedded-eventstore';
import {
  MakeCommitmentsCommand,
  OpenAccountCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { AlertPolicyRunner } from '#alert-policy';
import { AccountProjector, ReadModelDatabase } from '#read-model';
import {
  DeadlineMonitor,
  HealthMonitor,
  accountVersionsAfter,
  accountsPastSilenceDeadline,
  accountsReachingSilenceDeadline,
  commitmentsComingDue,
  commitmentsDueSoon,
  healthReviewsDue,
  newestAccountVersion,
  overdueCommitments,
  silenceAlertsPastTwiceTheCadence,
} from '#risk-monitor';
import type { ReadModelDb } from '#read-model';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql, type SQL } from 'drizzle-orm';

import { createApp } from '../../apps/api/src/app.factory.js';
import { processCpu, waitQuiet } from '../support/processes.js';
import { fmt, median } from '../support/report.js';
import { ADMIN_KEY, postgresBackendPids, type ReadModelTarget } from '../read/children.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** As the monitor's default batch limit: the most nominated per kind and scan. */
const NOMINATION_LIMIT = 1000;
/** As the health monitor's chunk: accounts looked at per transaction. */
const HEALTH_CHUNK = 50;
const COMMANDS_IN_FLIGHT = 8;
/** Statements per bulk insert: PGlite holds a whole statement's rows in WASM memory. */
const BULK_CHUNK = 20_000;

export interface ScanPartOptions {
  readonly sizes: readonly number[];
  /** Of each kind: overdue commitments, accounts past their silence deadline, commitments due within 48 h. */
  readonly due: number;
  readonly repeats: number;
  readonly queryRuns: number;
}

export interface QueryFigures {
  readonly name: string;
  /** Median time through drizzle and node-postgres, as the monitor sends it, ms. */
  readonly roundTripMs: number;
  /** PostgreSQL's own execution time from EXPLAIN ANALYZE, ms. */
  readonly executionMs: number;
  readonly rows: number;
  /** The partial index the query is meant to read (the first of those found in its plan, if any). */
  readonly index: string;
  readonly usesIndex: boolean;
  /** Whether the plan used the index before ANALYZE too (no statistics). */
  readonly usesIndexWithoutStatistics: boolean;
  readonly plan: string;
  /** The same query with index scans turned off: what it would cost without its partial index, ms. */
  readonly withoutIndexMs: number;
}

export interface ScanFigures {
  readonly accounts: number;
  readonly commitments: number;
  readonly bulkSeconds: number;
  readonly dueSetupSeconds: number;
  readonly queries: QueryFigures[];
  readonly first: { readonly ms: number; readonly result: Record<string, unknown> };
  /** The scan after the first, once its records reached the read model. */
  readonly next: { readonly ms: number; readonly result: Record<string, unknown> };
  readonly repeated: {
    readonly medianMs: number;
    readonly minMs: number;
    readonly maxMs: number;
    readonly results: Record<string, unknown>[];
  };
  /** CPU seconds of the benchmark process (PGlite thread included) and, for PostgreSQL, its backends. */
  readonly firstCpu: { readonly process: number; readonly store: number; readonly database?: number };
  readonly load: readonly number[];
}

export interface ScanRun {
  readonly target: string;
  readonly sizes: ScanFigures[];
}

const context = (): CommandContext => {
  const id = randomUUID();
  return { principal: SYSTEM_PRINCIPAL, correlationId: id, causationId: id };
};

/** Runs the tasks, `COMMANDS_IN_FLIGHT` at a time. */
async function inParallel(tasks: Array<() => Promise<unknown>>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: COMMANDS_IN_FLIGHT }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }),
  );
}

async function send(bus: CommandBus, command: object): Promise<AccountCommandsResult> {
  const result = (await bus.execute(command as never)) as AccountCommandsResult;
  const refused = result.results.find((r) => r.status === 'rejected');
  if (refused) throw new Error(`command refused: ${JSON.stringify(refused)}`);
  return result;
}

/** The API's application module in the worker role (projectors, alert policy, deadline monitor), not listening. */
async function boot(storeConnection: string, target: ReadModelTarget): Promise<NestFastifyApplication> {
  const app = await createApp({
    env: {
      ...target.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROLES: 'projector',
      AUTH_API_KEYS: `admin:bench-admin:${ADMIN_KEY}`,
      EVENTSTORE_CONNECTION_STRING: storeConnection,
      // The benchmark calls scanOnce itself; the monitor's own timer must not scan meanwhile.
      RISK_SCAN_INTERVAL_MS: String(DAY),
    },
  });
  await app.init();
  return app;
}

/**
 * The due set through the command path: `due` accounts with one overdue commitment, `due` with one
 * commitment due within 48 h, `due` SMB accounts opened 120 days ago with no touch (past the 90-day
 * cadence). Returns how many accounts and commitments it made.
 */
async function makeDueSet(
  bus: CommandBus,
  due: number,
  now: number,
): Promise<{ accounts: number; commitments: number }> {
  const tasks: Array<() => Promise<unknown>> = [];
  const pad = (i: number) => String(i).padStart(4, '0');
  const commitmentOn = async (accountId: string, dueAt: number) => {
    await send(
      bus,
      new OpenAccountCommand(
        {
          id: accountId,
          name: accountId,
          tier: 'MIDMARKET',
          ownerId: 'owner-due',
          openedAt: new Date(now - 10 * DAY).toISOString(),
        } as never,
        context(),
      ),
    );
    await send(
      bus,
      new MakeCommitmentsCommand(
        accountId,
        [
          {
            accountId,
            commitmentId: `${accountId}-c`,
            title: `Deliver for ${accountId}`,
            ownerId: 'owner-due',
            madeAt: new Date(now - 5 * DAY).toISOString(),
            dueAt: new Date(dueAt).toISOString(),
          } as never,
        ],
        context(),
      ),
    );
  };
  for (let i = 0; i < due; i++) {
    // Overdue by 1 to 3 hours; due within the next 1 to 47 hours.
    tasks.push(() => commitmentOn(`due-overdue-${pad(i)}`, now - HOUR - ((i * 7_919) % (2 * HOUR))));
    tasks.push(() => commitmentOn(`due-soon-${pad(i)}`, now + HOUR + ((i * 7_919_777) % (46 * HOUR))));
    tasks.push(() =>
      send(
        bus,
        new OpenAccountCommand(
          {
            id: `due-silent-${pad(i)}`,
            name: `due-silent-${pad(i)}`,
            tier: 'SMB',
            ownerId: 'owner-due',
            openedAt: new Date(now - 120 * DAY - i * 60_000).toISOString(),
          } as never,
          context(),
        ),
      ),
    );
  }
  await inParallel(tasks);
  return { accounts: 3 * due, commitments: 2 * due };
}

/**
 * `count` accounts with nothing due, written straight into the read model as the projectors and the
 * monitor would have left them: silence deadlines 5 to 89 days ahead (the last qualifying touch 0-9
 * days ago plus the tier's cadence); three commitments each, one OPEN due 3 to 202 days ahead
 * (beyond the 48 h window), one fulfilled on time and one fulfilled late after it was missed, both
 * due in the past, so that an index on due dates alone would still hold them; the resolved
 * COMMITMENT_MISSED alert of that miss; a current account version older than any the projector
 * writes (so the health monitor has seen it); and a health-watch row whose next review is 1 to 30
 * days ahead.
 */
async function insertBulk(db: ReadModelDb, count: number, now: Date): Promise<void> {
  const at = now.toISOString();
  for (let from = 1; from <= count; from += BULK_CHUNK) {
    const to = Math.min(count, from + BULK_CHUNK - 1);
    await db.execute(sql`
      insert into accounts (id, name, tier, owner_id, stage, phase, stage_entered_at, opened_at,
        effective_cadence_days, last_touchpoint_at, last_qualifying_touch_at, silence_deadline,
        touchpoint_count, commitments_open, commitments_missed, commitments_fulfilled_on_time,
        next_commitment_due_at, health_score, health_band, health_as_of, updated_at)
      select 'bulk-' || lpad(g::text, 7, '0'), 'Bulk account ' || g,
        (array['STRATEGIC','ENTERPRISE','MIDMARKET','SMB'])[1 + g % 4], 'owner-' || (g % 50),
        'ACTIVE', 'RETENTION', ${at}::timestamptz - interval '200 days', ${at}::timestamptz - interval '400 days',
        (array[14,30,45,90])[1 + g % 4],
        ${at}::timestamptz - make_interval(days => g % 10), ${at}::timestamptz - make_interval(days => g % 10),
        ${at}::timestamptz - make_interval(days => g % 10) + make_interval(days => (array[14,30,45,90])[1 + g % 4]),
        20, 1, 1, 1,
        ${at}::timestamptz + make_interval(days => 3 + g % 200), 70, 'GREEN', ${at}::timestamptz, ${at}::timestamptz
      from generate_series(${from}::int, ${to}::int) g`);
    await db.execute(sql`
      update accounts set commitments_fulfilled_late = 1
      where id between 'bulk-' || lpad(${from}::text, 7, '0') and 'bulk-' || lpad(${to}::text, 7, '0')`);
    await db.execute(sql`
      insert into commitments (account_id, id, title, owner_id, made_at, due_at, status, fulfilled_at,
        on_time, missed_at, resolved_at)
      select 'bulk-' || lpad(g::text, 7, '0'), 'c' || k, 'Commitment ' || k, 'owner-' || (g % 50),
        d.due - interval '14 days', d.due,
        case k when 1 then 'OPEN' else 'FULFILLED' end,
        case k when 2 then d.due - interval '1 day' when 3 then d.due + interval '2 days' end,
        case k when 2 then true when 3 then false end,
        case k when 3 then d.due + interval '1 hour' end,
        case k when 2 then d.due - interval '1 day' when 3 then d.due + interval '2 days' end
      from generate_series(${from}::int, ${to}::int) g
        cross join generate_series(1, 3) k
        cross join lateral (select case k
          when 1 then ${at}::timestamptz + make_interval(days => 3 + g % 200)
          when 2 then ${at}::timestamptz - make_interval(days => 1 + g % 300)
          else ${at}::timestamptz - make_interval(days => 5 + g % 300) end as due) d`);
    await db.execute(sql`
      insert into account_versions (account_id, valid_from, valid_to, name, tier, owner_id, stage,
        stage_entered_at, last_touchpoint_at, silent, next_commitment_due_at, health_score, health_band)
      select id, 0, null, name, tier, owner_id, stage, stage_entered_at, last_touchpoint_at, silent,
        next_commitment_due_at, health_score, health_band
      from accounts
      where id between 'bulk-' || lpad(${from}::text, 7, '0') and 'bulk-' || lpad(${to}::text, 7, '0')`);
    await db.execute(sql`
      insert into health_watch (account_id, band, score, evaluated_at, review_at, drops, alert_id)
      select 'bulk-' || lpad(g::text, 7, '0'), 'GREEN', 70, ${at}::timestamptz - interval '1 hour',
        ${at}::timestamptz + make_interval(days => 1 + g % 30), 0, null
      from generate_series(${from}::int, ${to}::int) g`);
    await db.execute(sql`
      insert into alerts (alert_id, account_id, kind, severity, status, subject, title, cause, raised_at,
        resolved_at, resolved_by, resolution_kind, resolution, revision)
      select 'bulk-alert-' || g, 'bulk-' || lpad(g::text, 7, '0'), 'COMMITMENT_MISSED', 'HIGH', 'RESOLVED', 'c3',
        'A commitment was missed', 'bulk', c.missed_at, c.fulfilled_at, 'system', 'AUTO',
        'AUTO: fulfilled late', 2
      from generate_series(${from}::int, ${to}::int) g
        join commitments c on c.account_id = 'bulk-' || lpad(g::text, 7, '0') and c.id = 'c3'`);
  }
}

interface Nomination {
  readonly name: string;
  /** Partial indexes that serve it: any of them in the plan keeps it off the portfolio's size. */
  readonly indexes: readonly string[];
  /** `seen`: the newest account version the health monitor has looked at. */
  readonly query: (db: ReadModelDb, now: Date, seen: number) => SQL;
  run(db: ReadModelDb, now: Date, seen: number): Promise<unknown[]>;
}

/** The monitors' own nomination queries (`#risk-monitor`), with their limits. */
const overdue = (db: ReadModelDb, now: Date) => overdueCommitments(db, now, NOMINATION_LIMIT);
const silent = (db: ReadModelDb, now: Date) => accountsPastSilenceDeadline(db, now, NOMINATION_LIMIT);
const dueSoon = (db: ReadModelDb, now: Date) => commitmentsDueSoon(db, now, NOMINATION_LIMIT);
/** What a scan arms: deadlines within two scan intervals (the monitor's here is a day). */
const ARMING_HORIZON_MS = 2 * 24 * 60 * 60 * 1000;
const comingDue = (db: ReadModelDb, now: Date) =>
  commitmentsComingDue(db, now, new Date(now.getTime() + ARMING_HORIZON_MS), NOMINATION_LIMIT);
const reachingSilence = (db: ReadModelDb, now: Date) =>
  accountsReachingSilenceDeadline(db, now, new Date(now.getTime() + ARMING_HORIZON_MS), NOMINATION_LIMIT);
const escalation = (db: ReadModelDb, now: Date) =>
  silenceAlertsPastTwiceTheCadence(db, now, NOMINATION_LIMIT);
const healthDue = (db: ReadModelDb, now: Date) => healthReviewsDue(db, now, HEALTH_CHUNK);
/** The newest version the health monitor saw is the newest there is once it has caught up. */
const changedVersions = (db: ReadModelDb, seen: number) => accountVersionsAfter(db, seen, HEALTH_CHUNK);
const newestVersion = (db: ReadModelDb) => newestAccountVersion(db);

const nomination = (
  name: string,
  indexes: readonly string[],
  build: (db: ReadModelDb, now: Date, seen: number) => { getSQL(): SQL } & PromiseLike<unknown[]>,
): Nomination => ({
  name,
  indexes,
  query: (db, now, seen) => build(db, now, seen).getSQL(),
  run: async (db, now, seen) => build(db, now, seen),
});

const NOMINATIONS: Nomination[] = [
  nomination('overdue commitments', ['commitments_open_due_idx'], overdue),
  nomination('accounts past their silence deadline', ['accounts_silence_deadline_idx'], silent),
  nomination('commitments due within 48 h', ['commitments_open_due_idx'], dueSoon),
  nomination(
    'commitments coming due within two scan intervals (armed)',
    ['commitments_open_due_idx'],
    comingDue,
  ),
  nomination(
    'accounts reaching their silence deadline within two scan intervals (armed)',
    ['accounts_silence_deadline_idx'],
    reachingSilence,
  ),
  // Both indexes hold open alerts only (status <> 'RESOLVED').
  nomination(
    'silence alerts due for escalation',
    ['alerts_open_kind_idx', 'alerts_account_open_idx'],
    escalation,
  ),
  nomination('health reviews due by time', ['health_watch_review_idx'], healthDue),
  nomination(
    'account versions the health monitor has not seen',
    ['account_versions_valid_from_idx'],
    (db, _now, seen) => changedVersions(db, seen),
  ),
];

async function explain(
  db: ReadModelDb,
  query: SQL,
  options = 'analyze, buffers, costs off',
): Promise<string> {
  const result = (await db.execute(sql`explain (${sql.raw(options)}) ${query}`)) as unknown as {
    rows: Array<Record<string, string>>;
  };
  return result.rows.map((row) => Object.values(row)[0]).join('\n');
}

const executionMs = (plan: string) => Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);

async function measureQueries(
  db: ReadModelDb,
  planWithoutStatistics: Map<string, string>,
  runs: number,
  seen: number,
): Promise<QueryFigures[]> {
  const figures: QueryFigures[] = [];
  for (const nomination of NOMINATIONS) {
    for (let i = 0; i < 3; i++) await nomination.run(db, new Date(), seen);
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const now = new Date();
      const started = performance.now();
      rows = (await nomination.run(db, now, seen)).length;
      times.push(performance.now() - started);
    }
    const plan = await explain(db, nomination.query(db, new Date(), seen));
    const withoutIndex = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_indexscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      await tx.execute(sql`set local enable_indexonlyscan = off`);
      return explain(tx as unknown as ReadModelDb, nomination.query(db, new Date(), seen));
    });
    figures.push({
      name: nomination.name,
      roundTripMs: median(times),
      executionMs: executionMs(plan),
      rows,
      index: nomination.indexes.find((index) => plan.includes(index)) ?? nomination.indexes.join(' or '),
      usesIndex: nomination.indexes.some((index) => plan.includes(index)),
      usesIndexWithoutStatistics: nomination.indexes.some((index) =>
        (planWithoutStatistics.get(nomination.name) ?? '').includes(index),
      ),
      plan,
      withoutIndexMs: executionMs(withoutIndex),
    });
  }
  return figures;
}

/** A result as plain fields, whatever the monitor's ScanResult holds now. */
function plainResult(result: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );
}

/**
 * Waits until the account projector and the alert policy have handled every event written so far,
 * then for the process to go quiet (the alerts projector reads alert streams only, so no account
 * event's position tells when it is done).
 */
async function settle(
  app: NestFastifyApplication,
  bus: CommandBus,
  pids: Array<number | undefined>,
): Promise<void> {
  const marker = `sync-${randomUUID().slice(0, 8)}`;
  const { commitPosition } = await send(
    bus,
    new OpenAccountCommand(
      { id: marker, name: marker, tier: 'SMB', ownerId: 'owner-sync' } as never,
      context(),
    ),
  );
  if (commitPosition === undefined) throw new Error('the marker account was not written');
  const waits = [
    app.get(AccountProjector).waitFor(commitPosition, 120_000),
    app.get(AlertPolicyRunner, { strict: false }).waitFor(commitPosition, 120_000),
  ];
  const reached = await Promise.all(waits);
  if (!reached.every(Boolean)) throw new Error(`not caught up within 120 s: ${JSON.stringify(reached)}`);
  await waitQuiet(pids);
}

async function oneSize(
  target: ReadModelTarget,
  root: string,
  size: number,
  options: ScanPartOptions,
  log: (line: string) => void,
): Promise<ScanFigures> {
  const store = await EventStoreProcess.start(
    join(root, `eventstore-${target.name}-${size}`),
    await freePort(),
  );
  try {
    const app = await boot(store.connectionString, target);
    try {
      const bus = app.get(CommandBus);
      const db = app.get(ReadModelDatabase).db;
      const backends = target.admin ? await postgresBackendPids(target.admin) : [];
      const pids = [process.pid, store.child.pid, ...backends];

      const setupStarted = performance.now();
      const dueSet = await makeDueSet(bus, options.due, Date.now());
      await settle(app, bus, [process.pid, store.child.pid]);
      const dueSetupSeconds = (performance.now() - setupStarted) / 1000;
      // The running monitor would have looked at these accounts' health as they were made: so that
      // the first scan measured is about what is due, the health monitor catches up on them first.
      const health = app.get(HealthMonitor, { strict: false });
      // What it raises changes the accounts again (open alerts are part of the account's row), so
      // until a review after the projections caught up finds nothing.
      let preReviewed = 0;
      for (let round = 0; round < 10; round++) {
        const { evaluated } = await health.review(new Date(), NOMINATION_LIMIT);
        preReviewed += evaluated;
        if (evaluated === 0) break;
        await settle(app, bus, [process.pid, store.child.pid]);
      }
      // The marker accounts from settle() count as accounts with nothing due.
      const markers = Number(
        (
          (await db.execute(sql`select count(*) as n from accounts where id like 'sync-%'`)) as unknown as {
            rows: Array<{ n: string }>;
          }
        ).rows[0].n,
      );
      const bulk = size - dueSet.accounts - markers;
      log(
        `    ${fmt(dueSet.accounts)} due accounts through the commands in ${fmt(dueSetupSeconds, 1)} s; ` +
          `health monitor caught up on ${fmt(preReviewed)}`,
      );

      const bulkStarted = performance.now();
      await insertBulk(db, bulk, new Date());
      const bulkSeconds = (performance.now() - bulkStarted) / 1000;
      log(`    ${fmt(bulk)} accounts with nothing due inserted in ${fmt(bulkSeconds, 1)} s`);

      const seen = await newestVersion(db);
      const planWithoutStatistics = new Map<string, string>();
      for (const nomination of NOMINATIONS) {
        planWithoutStatistics.set(
          nomination.name,
          await explain(db, nomination.query(db, new Date(), seen), 'costs off'),
        );
      }
      for (const table of ['accounts', 'commitments', 'account_versions', 'health_watch', 'alerts']) {
        await db.execute(sql`analyze ${sql.identifier(table)}`);
      }
      const counts = (await db.execute(
        sql`select (select count(*) from accounts) as accounts, (select count(*) from commitments) as commitments`,
      )) as unknown as { rows: Array<{ accounts: string; commitments: string }> };
      const queries = await measureQueries(db, planWithoutStatistics, options.queryRuns, seen);
      for (const q of queries) {
        log(
          `    ${q.name}: ${q.rows} rows, ${fmt(q.roundTripMs, 2)} ms round trip, ${fmt(q.executionMs, 2)} ms executing, ` +
            `${q.usesIndex ? `uses ${q.index}` : `DOES NOT use ${q.index}`}; without the index ${fmt(q.withoutIndexMs, 1)} ms`,
        );
      }

      await waitQuiet(pids);
      const load = loadavg();
      const cpuBefore = {
        process: processCpu(process.pid) ?? 0,
        store: processCpu(store.child.pid) ?? 0,
        database: backends.reduce((sum, pid) => sum + (processCpu(pid) ?? 0), 0),
      };
      const monitor = app.get(DeadlineMonitor, { strict: false });
      const firstStarted = performance.now();
      const firstResult = await monitor.scanOnce(new Date());
      const firstMs = performance.now() - firstStarted;
      const firstCpu = {
        process: (processCpu(process.pid) ?? 0) - cpuBefore.process,
        store: (processCpu(store.child.pid) ?? 0) - cpuBefore.store,
        ...(target.admin
          ? { database: backends.reduce((sum, pid) => sum + (processCpu(pid) ?? 0), 0) - cpuBefore.database }
          : {}),
      };
      log(`    first scan: ${fmt(firstMs, 1)} ms ${JSON.stringify(plainResult(firstResult))}`);

      // What the first scan recorded reaches the read model before the repeated scans, so that
      // they find nothing new to record.
      await settle(app, bus, pids);
      // The next scan looks at the health of the accounts the first one changed; the ones after it
      // have nothing left to look at.
      const nextStarted = performance.now();
      const nextResult = plainResult(await monitor.scanOnce(new Date()));
      const nextMs = performance.now() - nextStarted;
      log(`    next scan: ${fmt(nextMs, 1)} ms ${JSON.stringify(nextResult)}`);
      const times: number[] = [];
      const results: Record<string, unknown>[] = [];
      for (let i = 0; i < options.repeats; i++) {
        const started = performance.now();
        const result = await monitor.scanOnce(new Date());
        times.push(performance.now() - started);
        results.push(plainResult(result));
      }
      log(
        `    repeated scans: median ${fmt(median(times), 2)} ms (${times.map((t) => fmt(t, 1)).join(', ')}) ` +
          `${JSON.stringify(results[results.length - 1])}`,
      );
      return {
        accounts: Number(counts.rows[0].accounts),
        commitments: Number(counts.rows[0].commitments),
        bulkSeconds,
        dueSetupSeconds,
        queries,
        first: { ms: firstMs, result: plainResult(firstResult) },
        next: { ms: nextMs, result: nextResult },
        repeated: {
          medianMs: median(times),
          minMs: Math.min(...times),
          maxMs: Math.max(...times),
          results,
        },
        firstCpu,
        load,
      };
    } finally {
      await app.close();
    }
  } finally {
    await store.stop();
  }
}

export async function scanPart(
  targets: Array<{ name: string; make: (label: string) => Promise<ReadModelTarget> }>,
  root: string,
  options: ScanPartOptions,
  log: (line: string) => void,
): Promise<ScanRun[]> {
  const runs: ScanRun[] = [];
  for (const { name, make } of targets) {
    const run: ScanRun = { target: name, sizes: [] };
    runs.push(run);
    for (const size of options.sizes) {
      log(`  ${name}, ${fmt(size)} accounts`);
      const target = await make(`scan-${size}`);
      try {
        run.sizes.push(await oneSize(target, root, size, options, log));
      } finally {
        await target.drop();
      }
    }
  }
  return runs;
}
