import { eq, sql } from 'drizzle-orm';

import type { AllStreamDomainEvent, Position } from '#eventstore';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from '#lifecycle';

import type { ReadModelDb } from '../database/read-model-database.js';
import { liveTables } from '../schema/index.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';
import type { AppliedEvent } from './apply-context.js';
import { recordAccountVersions } from './account-version.js';
import { refreshAccounts } from './refresh-accounts.js';
import { insertTimelineEntries } from './timeline-entry.js';
import { BatchSteps } from './batch-steps.js';

export const ACCOUNT_PROJECTION_NAME = 'account-read-model';
/** The streams it reads (server-side `$all` filter). */
export const ACCOUNT_STREAM_PREFIX = 'account-';

export interface AccountProjectionOptions {
  /** The checkpoint's name; default `account-read-model`. */
  readonly name?: string;
  /** The tables to fill; default the live ones. A rebuild passes a fresh set (another schema). */
  readonly tables?: ReadModelTables;
}

export interface StoredCheckpoint {
  readonly position: Position;
  readonly eventsApplied: number;
  readonly lastEventRecordedAt: Date;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(ACCOUNT_EVENT_TYPES);

/**
 * Applies account events to one set of read-model tables: a batch and its checkpoint in one
 * transaction, so that each event takes effect exactly once whatever crashes in between. No
 * subscription, no Nest: the projector feeds it live, a rebuild can feed it from `$all`.
 */
export class AccountProjection {
  readonly name: string;
  readonly tables: ReadModelTables;

  constructor(options: AccountProjectionOptions = {}) {
    this.name = options.name ?? ACCOUNT_PROJECTION_NAME;
    this.tables = options.tables ?? liveTables;
  }

  async loadCheckpoint(db: ReadModelDb): Promise<StoredCheckpoint | undefined> {
    const { projectionCheckpoints: checkpoints } = this.tables;
    const [row] = await db.select().from(checkpoints).where(eq(checkpoints.name, this.name));
    if (row === undefined) return undefined;
    return {
      position: { commit: BigInt(row.commitPosition), prepare: BigInt(row.preparePosition) },
      eventsApplied: Number(row.eventsApplied),
      lastEventRecordedAt: row.lastEventRecordedAt,
    };
  }

  /**
   * Applies `events` and stores `checkpoint` in one transaction; throws (and leaves nothing
   * behind) if any of it fails. Events already in the timeline are skipped, so handing a batch
   * twice is harmless. Returns how many events took effect.
   */
  async applyBatch(
    db: ReadModelDb,
    events: readonly AllStreamDomainEvent[],
    checkpoint: Position,
  ): Promise<number> {
    if (events.length === 0) return 0;
    const tables = this.tables;
    return db.transaction(async (tx) => {
      const known = events.filter((event) => KNOWN_TYPES.has(event.type));
      // Every event's timeline entry first, in one statement: those already there were applied before.
      const fresh = await insertTimelineEntries(
        tx,
        tables,
        known.map((event) => ({
          eventId: event.id,
          event: { type: event.type, data: event.data } as unknown as AccountEvent,
          revision: event.revision,
          recordedAt: event.created,
        })),
      );
      let applied = 0;
      // account id → recorded time of its last event in the batch
      const touched = new Map<string, Date>();
      const steps = new BatchSteps();
      for (const event of known) {
        // An event's first time in the batch only (its entry is then no longer fresh).
        if (!fresh.delete(event.id)) continue;
        const { type, data } = event as unknown as AccountEvent;
        steps.add(type, { data, eventId: event.id, recordedAt: event.created } as AppliedEvent<typeof type>);
        touched.set(data.accountId, event.created);
        applied += 1;
      }
      const touchTotals = await steps.apply({ tx, tables });
      await refreshAccounts(tx, tables, touched, touchTotals);
      if (touched.size > 0) {
        // The batch's read-model version: the applied-event count once it is stored.
        const [stored] = await tx
          .select({ eventsApplied: tables.projectionCheckpoints.eventsApplied })
          .from(tables.projectionCheckpoints)
          .where(eq(tables.projectionCheckpoints.name, this.name))
          .for('update');
        await recordAccountVersions(
          tx,
          tables,
          [...touched.keys()],
          Number(stored?.eventsApplied ?? 0) + applied,
        );
      }
      const { projectionCheckpoints: checkpoints } = tables;
      const values = {
        commitPosition: checkpoint.commit.toString(),
        preparePosition: checkpoint.prepare.toString(),
        lastEventRecordedAt: events[events.length - 1].created,
      };
      await tx
        .insert(checkpoints)
        .values({ name: this.name, eventsApplied: applied, ...values })
        .onConflictDoUpdate({
          target: checkpoints.name,
          set: { ...values, eventsApplied: sql`${checkpoints.eventsApplied} + ${applied}` },
          // Never backwards: a batch behind the stored checkpoint (a projector that was waiting
          // while a rebuild replaced the tables) had every event stored already.
          setWhere: sql`(${checkpoints.commitPosition}, ${checkpoints.preparePosition}) < (${values.commitPosition}::numeric, ${values.preparePosition}::numeric)`,
        });
      return applied;
    });
  }
}
