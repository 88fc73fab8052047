import { eq, sql } from 'drizzle-orm';

import type { Position } from '#eventstore';

import type { ReadModelDb, ReadModelTx } from '../database/read-model-database.js';
import { projectionCheckpoints } from '../schema/index.js';

/** Where a projection stands, as stored with its effects. */
export interface ProjectionCheckpoint {
  readonly position: Position;
  readonly eventsApplied: number;
}

type Sql = ReadModelDb | ReadModelTx;

/**
 * Takes the projection's lock for the rest of the transaction: instances of the service sharing
 * the database apply a projection's batches one at a time, and the second to get the lock finds
 * the first one's checkpoint (and skips what it covers).
 */
export async function lockProjection(tx: ReadModelTx, name: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`projection:${name}`}))`);
}

export async function loadProjectionCheckpoint(
  db: Sql,
  name: string,
): Promise<ProjectionCheckpoint | undefined> {
  const [row] = await db.select().from(projectionCheckpoints).where(eq(projectionCheckpoints.name, name));
  if (row === undefined) return undefined;
  return {
    position: { commit: BigInt(row.commitPosition), prepare: BigInt(row.preparePosition) },
    eventsApplied: Number(row.eventsApplied),
  };
}

/** Moves the stored checkpoint forwards (never back) and adds `applied` to its count. */
export async function storeProjectionCheckpoint(
  tx: ReadModelTx,
  name: string,
  checkpoint: Position,
  applied: number,
  lastEventRecordedAt: Date,
): Promise<void> {
  const values = {
    commitPosition: checkpoint.commit.toString(),
    preparePosition: checkpoint.prepare.toString(),
    lastEventRecordedAt,
  };
  await tx
    .insert(projectionCheckpoints)
    .values({ name, eventsApplied: applied, ...values })
    .onConflictDoUpdate({
      target: projectionCheckpoints.name,
      set: { ...values, eventsApplied: sql`${projectionCheckpoints.eventsApplied} + ${applied}` },
      setWhere: sql`(${projectionCheckpoints.commitPosition}, ${projectionCheckpoints.preparePosition}) < (${values.commitPosition}::numeric, ${values.preparePosition}::numeric)`,
    });
}
