import { sql } from 'drizzle-orm';

import type { AccountEvent } from '#lifecycle';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';
import { at } from './apply-context.js';
import { named, rowSet, rowsOf } from './row-set.js';

/** An event as it goes into its account's timeline. */
export interface TimelineEvent {
  readonly eventId: string;
  readonly event: AccountEvent;
  /** Its revision in the account's stream. */
  readonly revision: bigint;
  /** When the event store stored it. */
  readonly recordedAt: Date;
}

/**
 * Records the events in their accounts' timelines, in one statement. Returns the ids of those
 * inserted: an event already there was applied before, and its applier must not run again.
 */
export async function insertTimelineEntries(
  tx: ReadModelTx,
  tables: ReadModelTables,
  entries: readonly TimelineEvent[],
): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const te = tables.timelineEntries;
  const rows = entries.map(({ eventId, event, revision, recordedAt }, ord) => {
    const data = event.data as AccountEvent['data'] & {
      readonly touchpointId?: string | null;
      readonly commitmentId?: string;
    };
    const touchpoint = event.type === 'TouchpointRecorded' ? event.data : undefined;
    return {
      ord,
      event_id: eventId,
      account_id: data.accountId,
      type: event.type,
      occurred_at: at(data.occurredAt).toISOString(),
      recorded_at: recordedAt.toISOString(),
      revision: revision.toString(),
      // A touch's fields are its touchpoint row (timeline-entries.table.ts).
      data: touchpoint === undefined ? data : null,
      touchpoint_id: data.touchpointId ?? null,
      commitment_id: data.commitmentId ?? null,
      channel: touchpoint?.channel ?? null,
      pillar: touchpoint?.pillar ?? null,
    };
  });
  const entryRows = rowSet(
    'v',
    {
      ord: 'int',
      event_id: 'text',
      account_id: 'text',
      type: 'text',
      occurred_at: 'timestamptz',
      recorded_at: 'timestamptz',
      revision: 'bigint',
      data: 'jsonb',
      touchpoint_id: 'text',
      commitment_id: 'text',
      channel: 'text',
      pillar: 'text',
    },
    rows,
  );
  const columns = [
    te.eventId,
    te.accountId,
    te.type,
    te.occurredAt,
    te.recordedAt,
    te.revision,
    te.data,
    te.touchpointId,
    te.commitmentId,
    te.channel,
    te.pillar,
  ].map(named);
  // In the order given, so that of an event handed twice in one batch the first is the one stored.
  const inserted = rowsOf<{ event_id: string }>(
    await tx.execute(sql`
      insert into ${te} (${sql.join(columns, sql`, `)})
      select event_id, account_id, type, occurred_at, recorded_at, revision, data,
        touchpoint_id, commitment_id, channel, pillar
      from ${entryRows}
      order by ord
      on conflict do nothing
      returning ${named(te.eventId)} as event_id`),
  );
  return new Set(inserted.map((row) => row.event_id));
}
