import { Logger } from '@nestjs/common';
import { getTableName, sql } from 'drizzle-orm';

import { comparePositions, type EventStore, type Position } from '#eventstore';

import { migrationsFolder as defaultMigrationsFolder } from '../database/migrations-folder.js';
import type { ReadModelDatabase, ReadModelDb } from '../database/read-model-database.js';
import {
  ACCOUNT_PROJECTION_NAME,
  ACCOUNT_STREAM_PREFIX,
  AccountProjection,
} from '../projection/account-projection.js';
import type { EventStoreTail } from '../projection/event-store-tail.js';
import { liveTables } from '../schema/index.js';
import { alertTables } from '../schema/alert-tables.js';
import { readModelTables } from '../schema/read-model-tables.js';
import {
  assertOnlyTables,
  assertSameTables,
  checkRebuildSchemaName,
  createRebuildSchema,
  currentSchema,
  dropOtherTables,
  dropRebuildSchema,
  lockOrder,
  quoted,
  tableNames,
} from './rebuild-schema.js';

export const DEFAULT_REBUILD_SCHEMA = 'read_model_rebuild';

/** Tables the migrations make for other projections: the rebuild leaves them to those. */
const OTHER_PROJECTIONS_TABLES = Object.values(alertTables()).map((table) => getTableName(table));

export type RebuildPhase = 'preparing' | 'replaying' | 'switching' | 'done';

export interface RebuildProgress {
  readonly phase: RebuildPhase;
  /** Events applied to the fresh tables so far. */
  readonly eventsApplied: number;
  /** About how many there will be in all, never less than `eventsApplied`; undefined until known. */
  readonly totalEstimate: number | undefined;
  /** Position of the last event applied to the fresh tables. */
  readonly position: Position | undefined;
}

export interface RebuildSummary {
  /** The schema the fresh tables were filled in, before they moved into the live one. */
  readonly schema: string;
  /** The schema the live tables are in (now the rebuilt ones). */
  readonly liveSchema: string;
  readonly eventsApplied: number;
  /** Of those, the ones applied with the live tables locked: what arrived since the last catch-up. */
  readonly eventsAppliedWhileLocked: number;
  /** The rebuilt tables' checkpoint; undefined when there were no account events at all. */
  readonly checkpoint: Position | undefined;
  /** Attempts the switch-over took (a lock conflict makes it try again). */
  readonly switchAttempts: number;
  /** How long the live tables were locked by the switch-over that succeeded. */
  readonly lockedMs: number;
  readonly durationMs: number;
}

export interface ProjectionRebuildOptions {
  readonly database: Pick<ReadModelDatabase, 'db'>;
  readonly eventStore: Pick<EventStore, 'subscribeCatchUp'>;
  readonly tail: Pick<EventStoreTail, 'lastPositionOf'>;
  /** The projection's checkpoint name, the live projector's; default `account-read-model`. */
  readonly projectionName?: string;
  /** Where the fresh tables are filled; default `read_model_rebuild`. */
  readonly schema?: string;
  /** Most events per transaction; default 500. */
  readonly batchSize?: number;
  /** The migrations the fresh tables are made from; default the read model's. */
  readonly migrationsFolder?: string;
  /** Called after each stored batch and at each phase; awaited, so it can slow the rebuild down. */
  readonly onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  /** Longest the switch-over waits for the live tables' locks before trying again; default 10 s. */
  readonly lockTimeoutMs?: number;
  /** Longest the live tables stay locked while the last events are applied; default 30 s. */
  readonly lockedCatchUpTimeoutMs?: number;
  /** Switch-over attempts before giving up; default 5. */
  readonly switchAttempts?: number;
  /** Aborting stops the rebuild and drops its tables; the live ones are left as they were. */
  readonly signal?: AbortSignal;
}

/** The rebuild was stopped through its signal; the live tables are as they were. */
export class RebuildAbortedError extends Error {
  constructor() {
    super('The rebuild was stopped before switching over; the live tables are unchanged');
    this.name = 'RebuildAbortedError';
  }
}

/** Retried: the switch-over did not get the locks, or the locked catch-up took too long. */
class SwitchConflictError extends Error {}

/** Catch-up rounds before locking: the first replays everything, the others what came meanwhile. */
const CATCH_UP_ROUNDS = 3;
/** Failed batches in a row that end a replay (the subscription itself would retry forever). */
const MAX_BATCH_FAILURES = 3;
/** How often the total estimate is read again from the live checkpoint. */
const ESTIMATE_EVERY_MS = 2000;
/** PostgreSQL's deadlock_detected and lock_not_available. */
const LOCK_CONFLICT_CODES = new Set(['40P01', '55P03']);

/**
 * Rebuilds the account read model from `$all` without stopping it. It makes the read model's
 * tables afresh in a separate schema (from the migrations, so they are the live ones' twins),
 * replays the account streams into them while the live tables keep serving and the live
 * projector keeps running, and switches over once caught up, in one transaction:
 *
 * 1. lock the live tables (`ACCESS EXCLUSIVE`, the timeline first): a projector batch under
 *    way finishes first, the next one and every query wait;
 * 2. apply whatever arrived since the last catch-up, reading `$all` to its end;
 * 3. keep the other projections' checkpoints, drop the live tables, move the fresh ones (and
 *    their indexes) into the live schema, drop the working schema; commit.
 *
 * A projector batch that waited on the locks then runs against the new tables: its events are
 * in them already (the timeline skips them), and the stored checkpoint does not move back. One
 * that fails reloads the stored checkpoint. With PGlite everything is in one process and the
 * transactions take turns.
 */
export class ProjectionRebuild {
  private readonly logger = new Logger('ProjectionRebuild');
  readonly schema: string;
  private readonly projectionName: string;
  private readonly batchSize: number;
  private readonly lockTimeoutMs: number;
  private readonly lockedCatchUpTimeoutMs: number;
  private readonly switchAttempts: number;
  private readonly live: AccountProjection;
  private readonly fresh: AccountProjection;
  private eventsApplied = 0;
  private position: Position | undefined;
  private target: Position | undefined;
  private liveCount: number | undefined;
  private estimatedAt = 0;
  private started = false;

  constructor(private readonly options: ProjectionRebuildOptions) {
    this.schema = options.schema ?? DEFAULT_REBUILD_SCHEMA;
    checkRebuildSchemaName(this.schema);
    this.projectionName = options.projectionName ?? ACCOUNT_PROJECTION_NAME;
    this.batchSize = wholeNumber('batchSize', options.batchSize ?? 500, 1);
    this.lockTimeoutMs = wholeNumber('lockTimeoutMs', options.lockTimeoutMs ?? 10_000, 1);
    this.lockedCatchUpTimeoutMs = wholeNumber(
      'lockedCatchUpTimeoutMs',
      options.lockedCatchUpTimeoutMs ?? 30_000,
      1,
    );
    this.switchAttempts = wholeNumber('switchAttempts', options.switchAttempts ?? 5, 1);
    this.live = new AccountProjection({ name: this.projectionName, tables: liveTables });
    // Same checkpoint name: the row moves into the live schema with its table.
    this.fresh = new AccountProjection({ name: this.projectionName, tables: readModelTables(this.schema) });
  }

  /** Rebuilds and switches over; throws (live tables untouched, working schema dropped) on failure. */
  async run(): Promise<RebuildSummary> {
    if (this.started) throw new Error('A ProjectionRebuild runs once; make another');
    this.started = true;
    const startedAt = Date.now();
    const db = this.options.database.db;
    const liveSchema = await currentSchema(db);
    checkRebuildSchemaName(this.schema, liveSchema);
    const names = tableNames(this.fresh.tables);
    let switched = false;
    try {
      await this.report('preparing', db);
      await createRebuildSchema(
        db,
        this.schema,
        liveSchema,
        this.options.migrationsFolder ?? defaultMigrationsFolder(),
      );
      await dropOtherTables(db, this.schema, OTHER_PROJECTIONS_TABLES);
      await assertOnlyTables(db, this.schema, names);
      await assertSameTables(db, liveSchema, this.schema, names);
      this.logger.log({ msg: `Replaying the account streams into "${this.schema}"`, schema: this.schema });
      await this.catchUp(db);
      const { attempts, lockedMs, appliedWhileLocked } = await this.switchOver(db, liveSchema, names);
      switched = true;
      await this.report('done', db);
      const summary: RebuildSummary = {
        schema: this.schema,
        liveSchema,
        eventsApplied: this.eventsApplied,
        eventsAppliedWhileLocked: appliedWhileLocked,
        checkpoint: this.position,
        switchAttempts: attempts,
        lockedMs,
        durationMs: Date.now() - startedAt,
      };
      this.logger.log({ msg: 'Switched the read model over to the rebuilt tables', ...plain(summary) });
      return summary;
    } finally {
      if (!switched) {
        await dropRebuildSchema(db, this.schema).catch((error: unknown) =>
          this.logger.warn({
            msg: `Could not drop "${this.schema}"; the next rebuild will`,
            reason: error instanceof Error ? error.message : String(error),
          }),
        );
      }
    }
  }

  /** Replays up to the end of `$all`, again for what came meanwhile, a few rounds at most. */
  private async catchUp(db: ReadModelDb): Promise<void> {
    for (let round = 0; round < CATCH_UP_ROUNDS; round += 1) {
      this.throwIfAborted();
      this.target = await this.options.tail.lastPositionOf(ACCOUNT_STREAM_PREFIX);
      if (this.reached(this.target)) return;
      await this.replay(db, this.target!, 'replaying');
    }
  }

  private async switchOver(
    db: ReadModelDb,
    liveSchema: string,
    names: readonly string[],
  ): Promise<{ attempts: number; lockedMs: number; appliedWhileLocked: number }> {
    const live = (name: string) => `${quoted(liveSchema)}.${quoted(name)}`;
    const fresh = (name: string) => `${quoted(this.schema)}.${quoted(name)}`;
    const checkpoints = this.fresh.tables.projectionCheckpoints;
    const checkpointTable = getTableName(checkpoints);
    for (let attempt = 1; ; attempt += 1) {
      this.throwIfAborted();
      await this.report('switching', db);
      const before = { eventsApplied: this.eventsApplied, position: this.position };
      let lockedAt = 0;
      try {
        await db.transaction(async (tx) => {
          const locked = tx as unknown as ReadModelDb;
          await tx.execute(sql.raw(`set local lock_timeout = ${this.lockTimeoutMs}`));
          await tx.execute(
            sql.raw(
              `lock table ${lockOrder(this.live.tables).map(live).join(', ')} in access exclusive mode`,
            ),
          );
          lockedAt = Date.now();
          // A migration may have run since the fresh tables were made.
          await assertSameTables(tx, liveSchema, this.schema, names);
          this.target = await this.options.tail.lastPositionOf(ACCOUNT_STREAM_PREFIX);
          if (!this.reached(this.target)) {
            await this.replay(locked, this.target!, 'switching', this.lockedCatchUpTimeoutMs);
          }
          await tx.execute(
            sql`insert into ${sql.raw(fresh(checkpointTable))} select * from ${sql.raw(live(checkpointTable))}
                 where ${sql.raw(quoted(checkpoints.name.name))} <> ${this.projectionName}`,
          );
          await tx.execute(sql.raw(`drop table ${names.map(live).join(', ')}`));
          for (const name of names) {
            await tx.execute(sql.raw(`alter table ${fresh(name)} set schema ${quoted(liveSchema)}`));
          }
          // Not cascading: anything left behind (a type the tables use) fails the switch-over.
          await tx.execute(sql.raw(`drop schema ${quoted(this.schema)}`));
        });
        return {
          attempts: attempt,
          lockedMs: Date.now() - lockedAt,
          appliedWhileLocked: this.eventsApplied - before.eventsApplied,
        };
      } catch (error) {
        // Rolled back: what was applied under the locks is gone.
        this.eventsApplied = before.eventsApplied;
        this.position = before.position;
        const retry = error instanceof SwitchConflictError || hasCode(error, LOCK_CONFLICT_CODES);
        if (!retry || attempt >= this.switchAttempts || this.options.signal?.aborted) {
          if (this.options.signal?.aborted) throw new RebuildAbortedError();
          throw error;
        }
        this.logger.warn({
          msg: `Switch-over attempt ${attempt} gave up; catching up and trying again`,
          reason: error instanceof Error ? error.message : String(error),
        });
        await delay(100 * attempt);
        await this.catchUp(db);
      }
    }
  }

  /**
   * Applies the account events after the fresh tables' checkpoint through `db` (the database, or
   * the switch-over's transaction) until `target` is applied, then stops.
   */
  private async replay(
    db: ReadModelDb,
    target: Position,
    phase: RebuildPhase,
    timeoutMs?: number,
  ): Promise<void> {
    let settle!: (error?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    let failures = 0;
    const subscription = this.options.eventStore.subscribeCatchUp({
      name: `${this.projectionName}:rebuild`,
      filter: { streamNamePrefixes: [ACCOUNT_STREAM_PREFIX] },
      batchSize: this.batchSize,
      maxWaitMs: 10,
      backoff: { initialMs: 100, maxMs: 2000 },
      loadCheckpoint: async () => (await this.fresh.loadCheckpoint(db))?.position,
      handleBatch: async (events, checkpoint) => {
        let applied: number;
        try {
          applied = await this.fresh.applyBatch(db, events, checkpoint);
        } catch (error) {
          failures += 1;
          if (failures >= MAX_BATCH_FAILURES) settle(error);
          throw error;
        }
        failures = 0;
        this.eventsApplied += applied;
        this.position = checkpoint;
        try {
          await this.report(phase, db);
        } catch (error) {
          settle(error);
          return;
        }
        if (comparePositions(checkpoint, target) >= 0) settle();
      },
    });
    const signal = this.options.signal;
    const onAbort = () => settle(new RebuildAbortedError());
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              settle(
                new SwitchConflictError(
                  `The events since the last catch-up were not applied within ${timeoutMs} ms`,
                ),
              ),
            timeoutMs,
          );
    try {
      await done;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Waits for a batch in hand: nothing runs on `db` after this returns.
      await subscription.stop();
    }
  }

  private reached(target: Position | undefined): boolean {
    return (
      target === undefined || (this.position !== undefined && comparePositions(this.position, target) >= 0)
    );
  }

  private async report(phase: RebuildPhase, db: ReadModelDb): Promise<void> {
    // Under the switch-over's locks only the transaction may touch the database.
    if (phase !== 'switching' && Date.now() - this.estimatedAt >= ESTIMATE_EVERY_MS) {
      this.estimatedAt = Date.now();
      this.liveCount = (await this.live.loadCheckpoint(db))?.eventsApplied;
    }
    await this.options.onProgress?.({
      phase,
      eventsApplied: this.eventsApplied,
      totalEstimate: this.estimate(),
      position: this.position,
    });
  }

  /**
   * What the live projection counts, while the live projector runs; else extrapolated from how
   * far into `$all` the replay is.
   */
  private estimate(): number | undefined {
    let estimate = this.liveCount;
    if (estimate === undefined && this.target !== undefined && this.position !== undefined) {
      const through = Number(this.position.commit) / Math.max(1, Number(this.target.commit));
      if (through > 0) estimate = Math.round(this.eventsApplied / Math.min(1, through));
    }
    if (estimate === undefined) return this.position === undefined ? undefined : this.eventsApplied;
    return Math.max(estimate, this.eventsApplied);
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted) throw new RebuildAbortedError();
  }
}

function wholeNumber(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${field}: must be a whole number, at least ${min} (got ${value})`);
  }
  return value;
}

/** Whether `error` or one of its causes (Drizzle wraps driver errors) has one of `codes`. */
function hasCode(error: unknown, codes: ReadonlySet<string>): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function plain(summary: RebuildSummary): Record<string, unknown> {
  return {
    ...summary,
    checkpoint: summary.checkpoint && `${summary.checkpoint.commit}/${summary.checkpoint.prepare}`,
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
