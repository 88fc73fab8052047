import type { ReadModelDatabase } from '#read-model';

import type {
  CommitmentRow,
  TimelineEntryRow,
  TimelineJoinedRow,
  TimelinePageQuery,
  TouchpointRow,
} from './read-model-loaders.js';

/**
 * One page of one account's timeline (the account view's usual shape), as a fixed statement
 * prepared once per connection: every filter is a parameter that may be null, so the text never
 * changes. The page is read in order through the (account, business time, revision) index; the
 * filters only drop entries of that account. Each entry comes with the touchpoint it is about
 * (the touch itself, or the one that ended a silence) and the commitment it is about, as the
 * read model holds them now.
 */
const ACCOUNT_TIMELINE_PAGE = {
  name: 'account-timeline-page-v1',
  text: `
select te.event_id, te.account_id, te.type, te.occurred_at, te.recorded_at, te.revision, te.data,
  te.touchpoint_id, te.commitment_id, te.channel, te.pillar,
  tp.id as tp_id, tp.occurred_at as tp_occurred_at, tp.recorded_at as tp_recorded_at,
  tp.channel as tp_channel, tp.direction as tp_direction, tp.pillar as tp_pillar,
  tp.sentiment as tp_sentiment, tp.moment_of_truth as tp_moment_of_truth, tp.stage as tp_stage,
  tp.qualifying as tp_qualifying, tp.summary as tp_summary, tp.actor_id as tp_actor_id,
  tp.participants as tp_participants, tp.source as tp_source, tp.external_ref as tp_external_ref,
  c.id as c_id, c.title as c_title, c.description as c_description, c.owner_id as c_owner_id,
  c.made_at as c_made_at, c.due_at as c_due_at, c.touchpoint_id as c_touchpoint_id,
  c.status as c_status, c.fulfilled_at as c_fulfilled_at, c.on_time as c_on_time,
  c.missed_at as c_missed_at, c.cancelled_at as c_cancelled_at, c.cancel_reason as c_cancel_reason,
  c.renegotiations as c_renegotiations, c.resolved_at as c_resolved_at
from timeline_entries te
left join touchpoints tp on te.type in ('TouchpointRecorded', 'AccountReEngaged')
  and tp.account_id = te.account_id and tp.id = te.touchpoint_id
left join commitments c on c.account_id = te.account_id and c.id = te.commitment_id
where te.account_id = $1
  and ($2::timestamptz is null or te.occurred_at >= $2::timestamptz)
  and ($3::timestamptz is null or te.occurred_at <= $3::timestamptz)
  and ($4::timestamptz is null or (te.occurred_at, te.revision) > ($4::timestamptz, $5::bigint))
  and ($6::text[] is null or tp.channel = any($6::text[]))
  and ($7::text[] is null or tp.pillar = any($7::text[]))
order by te.occurred_at, te.revision
limit $8`,
};

/** A row of ACCOUNT_TIMELINE_PAGE as node-postgres parses it (instants as Dates, int8 as text). */
type PageRow = { [column: string]: unknown } & {
  event_id: string;
  revision: string;
  tp_id: string | null;
  c_id: string | null;
};

/** Up to `limit` entries of the account's timeline after the query's place, in timeline order. */
export async function readAccountTimelinePage(
  database: ReadModelDatabase,
  accountId: string,
  query: TimelinePageQuery,
  limit: number,
): Promise<TimelineJoinedRow[]> {
  const rows = await database.run<PageRow>(ACCOUNT_TIMELINE_PAGE, [
    accountId,
    query.from?.toISOString() ?? null,
    query.to?.toISOString() ?? null,
    query.after ? new Date(query.after.at).toISOString() : null,
    query.after ? query.after.revision.toString() : null,
    query.channels?.length ? query.channels : null,
    query.pillars?.length ? query.pillars : null,
    limit,
  ]);
  return rows.map(joinedRowOf);
}

function joinedRowOf(row: PageRow): TimelineJoinedRow {
  const entry: TimelineEntryRow = {
    eventId: row.event_id,
    accountId: row.account_id as string,
    type: row.type as string,
    occurredAt: row.occurred_at as Date,
    recordedAt: row.recorded_at as Date,
    revision: BigInt(row.revision),
    data: row.data as Record<string, unknown> | null,
    touchpointId: row.touchpoint_id as string | null,
    commitmentId: row.commitment_id as string | null,
    channel: row.channel as TimelineEntryRow['channel'],
    pillar: row.pillar as TimelineEntryRow['pillar'],
  };
  const touchpoint: TimelineJoinedRow['touchpoint'] =
    row.tp_id === null
      ? null
      : {
          accountId: entry.accountId,
          id: row.tp_id,
          occurredAt: row.tp_occurred_at as Date,
          recordedAt: row.tp_recorded_at as Date,
          channel: row.tp_channel as TouchpointRow['channel'],
          direction: row.tp_direction as TouchpointRow['direction'],
          pillar: row.tp_pillar as TouchpointRow['pillar'],
          sentiment: row.tp_sentiment as TouchpointRow['sentiment'],
          momentOfTruth: row.tp_moment_of_truth as boolean,
          stage: row.tp_stage as TouchpointRow['stage'],
          qualifying: row.tp_qualifying as boolean,
          summary: row.tp_summary as string | null,
          actorId: row.tp_actor_id as string | null,
          participants: row.tp_participants as string[],
          source: row.tp_source as string,
          externalRef: row.tp_external_ref as string | null,
        };
  const commitment: TimelineJoinedRow['commitment'] =
    row.c_id === null
      ? null
      : {
          accountId: entry.accountId,
          id: row.c_id,
          title: row.c_title as string,
          description: row.c_description as string | null,
          ownerId: row.c_owner_id as string,
          madeAt: row.c_made_at as Date,
          dueAt: row.c_due_at as Date,
          touchpointId: row.c_touchpoint_id as string | null,
          status: row.c_status as CommitmentRow['status'],
          fulfilledAt: row.c_fulfilled_at as Date | null,
          onTime: row.c_on_time as boolean | null,
          missedAt: row.c_missed_at as Date | null,
          cancelledAt: row.c_cancelled_at as Date | null,
          cancelReason: row.c_cancel_reason as string | null,
          renegotiations: row.c_renegotiations as number,
          resolvedAt: row.c_resolved_at as Date | null,
        };
  return { entry, touchpoint, commitment };
}
