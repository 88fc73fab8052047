import DataLoader from 'dataloader';
import { and, asc, eq, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';

import {
  DAY_MS,
  type AccountEvent,
  type AccountEventType,
  type Channel,
  type Pillar,
  type Sentiment,
} from '#lifecycle';
import {
  SENTIMENT_SAMPLE_SIZE,
  summarizeEvent,
  type CommitmentView,
  type PillarBalance,
  type StageVisitView,
  type TimelineEntryView,
  type TouchpointView,
} from '#lifecycle-views';
import {
  accounts,
  commitments,
  stageVisits,
  timelineEntries,
  touchpoints,
  type ReadModelDb,
} from '#read-model';

import type { AccountRow } from '../accounts/account-node.js';
import type { TimelinePlace } from '../accounts/timeline-cursor.js';

/** One page of an account's timeline, as asked for. */
export interface TimelinePageQuery {
  readonly first: number;
  readonly after: TimelinePlace | null;
  readonly channels: readonly Channel[] | null;
  readonly pillars: readonly Pillar[] | null;
  readonly from: Date | null;
  readonly to: Date | null;
}

/** The entries of the page plus whether more follow. */
export interface TimelineSlice {
  readonly entries: readonly TimelineEntryView[];
  readonly hasNextPage: boolean;
}

type CommitmentRow = typeof commitments.$inferSelect;
type TouchpointRow = typeof touchpoints.$inferSelect;

/** The timeline entries that are about a touchpoint: the touch itself, and the one that ended a silence. */
const TOUCHPOINT_ENTRY_TYPES: AccountEventType[] = ['TouchpointRecorded', 'AccountReEngaged'];

/**
 * One request's batched reads of the read model. Every resolver of an account field asks its
 * loader for one account; the loader runs one query for all the accounts asked for in the same
 * tick, so a page of 200 accounts with their commitments, stage history and health costs a
 * handful of queries, not a few per account. `now` is the request's instant: every window and
 * count of the response is computed for it.
 */
export class ReadModelLoaders {
  readonly account: DataLoader<string, AccountRow | null>;
  readonly stageHistory: DataLoader<string, StageVisitView[]>;
  readonly commitments: DataLoader<string, CommitmentView[]>;
  readonly recentSentiments: DataLoader<string, Sentiment[]>;
  private readonly pillarBalances = new Map<number, DataLoader<string, PillarBalance>>();
  private readonly timelines = new Map<string, DataLoader<string, TimelineSlice>>();

  constructor(
    private readonly db: ReadModelDb,
    readonly now: Date,
  ) {
    this.account = new DataLoader(async (ids) => {
      const rows = await db
        .select()
        .from(accounts)
        .where(inArray(accounts.id, [...ids]));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });

    this.stageHistory = new DataLoader(async (ids) => {
      const rows = await db
        .select()
        .from(stageVisits)
        .where(inArray(stageVisits.accountId, [...ids]))
        .orderBy(stageVisits.accountId, stageVisits.seq);
      return ids.map((id) =>
        rows
          .filter((row) => row.accountId === id)
          .map(({ stage, enteredAt, exitedAt, reason, lessons }) => ({
            stage,
            enteredAt,
            exitedAt,
            reason,
            lessons,
          })),
      );
    });

    this.commitments = new DataLoader(async (ids) => {
      const rows = await db
        .select()
        .from(commitments)
        .where(inArray(commitments.accountId, [...ids]))
        .orderBy(commitments.accountId, commitments.madeAt, commitments.id);
      return groupBy(ids, rows, (row) => row.accountId, commitmentView);
    });

    this.recentSentiments = new DataLoader(async (ids) => {
      // The newest sentiments of each account, through the (account, occurred_at) index and a
      // limit per account: a window over every touchpoint of the accounts reads them all, and
      // without statistics (PGlite runs no autovacuum) the planner scans the whole table for it.
      const t = touchpoints;
      const newestFirst = sql`${t.occurredAt} desc, ${t.recordedAt} desc, ${t.id} desc`;
      const result = await db.execute(sql`
        select v.id as account_id, s.sentiment
        from unnest(${sql.param([...ids])}::text[]) with ordinality as v(id, ord)
        cross join lateral (
          select ${t.sentiment} as sentiment, row_number() over (order by ${newestFirst}) as rank
          from ${t}
          where ${t.accountId} = v.id and ${t.sentiment} is not null
          order by ${newestFirst}
          limit ${SENTIMENT_SAMPLE_SIZE}
        ) s
        order by v.ord, s.rank`);
      const rows = (result as unknown as { rows: { account_id: string; sentiment: Sentiment }[] }).rows;
      return groupBy(
        ids,
        rows,
        (row) => row.account_id,
        (row) => row.sentiment,
      );
    });
  }

  /** Drops what this request has read of the account, after it wrote to it. */
  forget(accountId: string): void {
    this.account.clear(accountId);
    this.stageHistory.clear(accountId);
    this.commitments.clear(accountId);
    this.recentSentiments.clear(accountId);
    for (const loader of this.pillarBalances.values()) loader.clear(accountId);
    for (const loader of this.timelines.values()) loader.clear(accountId);
  }

  /** Qualifying touches per pillar in (now − windowDays, now]. */
  pillarBalance(windowDays: number): DataLoader<string, PillarBalance> {
    let loader = this.pillarBalances.get(windowDays);
    if (loader === undefined) {
      const since = new Date(this.now.getTime() - windowDays * DAY_MS);
      loader = new DataLoader(async (ids) => {
        const rows = await this.db
          .select({
            accountId: touchpoints.accountId,
            pillar: touchpoints.pillar,
            count: sql<number>`count(*)::int`,
          })
          .from(touchpoints)
          .where(
            and(
              inArray(touchpoints.accountId, [...ids]),
              eq(touchpoints.qualifying, true),
              gt(touchpoints.occurredAt, since),
              lte(touchpoints.occurredAt, this.now),
            ),
          )
          .groupBy(touchpoints.accountId, touchpoints.pillar);
        return ids.map((id) => {
          const count = (pillar: Pillar) =>
            Number(rows.find((row) => row.accountId === id && row.pillar === pillar)?.count ?? 0);
          return {
            windowDays,
            discovery: count('DISCOVERY'),
            service: count('SERVICE'),
            engagement: count('ENGAGEMENT'),
          };
        });
      });
      this.pillarBalances.set(windowDays, loader);
    }
    return loader;
  }

  /** A page of one account's timeline; accounts asked for with the same arguments share a query. */
  timeline(query: TimelinePageQuery, tierOf: (accountId: string) => AccountRow['tier']) {
    const key = JSON.stringify(query, (_, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    let loader = this.timelines.get(key);
    if (loader === undefined) {
      loader = new DataLoader((ids) => this.loadTimelines(ids, query, tierOf));
      this.timelines.set(key, loader);
    }
    return loader;
  }

  private async loadTimelines(
    ids: readonly string[],
    query: TimelinePageQuery,
    tierOf: (accountId: string) => AccountRow['tier'],
  ): Promise<TimelineSlice[]> {
    const te = timelineEntries;
    const conditions: SQL[] = [inArray(te.accountId, [...ids])];
    if (query.from) conditions.push(sql`${te.occurredAt} >= ${query.from}`);
    if (query.to) conditions.push(lte(te.occurredAt, query.to));
    if (query.after) {
      const afterAt = new Date(query.after.at);
      conditions.push(
        or(
          gt(te.occurredAt, afterAt),
          and(eq(te.occurredAt, afterAt), gt(te.revision, query.after.revision)),
        )!,
      );
    }
    // Channel and pillar filters keep only entries about a touchpoint of those kinds.
    if (query.channels?.length) conditions.push(inArray(touchpoints.channel, [...query.channels]));
    if (query.pillars?.length) conditions.push(inArray(touchpoints.pillar, [...query.pillars]));
    // Only entries about a touchpoint carry it: a commitment made during a call names the call,
    // but its entry is about the commitment (as in the fold of the stream).
    const joinTouchpoint = and(
      inArray(te.type, TOUCHPOINT_ENTRY_TYPES),
      eq(touchpoints.accountId, te.accountId),
      eq(touchpoints.id, te.touchpointId),
    );
    const joinCommitment = and(eq(commitments.accountId, te.accountId), eq(commitments.id, te.commitmentId));
    const limit = query.first + 1;

    let rows: {
      entry: typeof te.$inferSelect;
      touchpoint: TouchpointRow | null;
      commitment: CommitmentRow | null;
    }[];
    if (ids.length === 1) {
      rows = await this.db
        .select({ entry: te, touchpoint: touchpoints, commitment: commitments })
        .from(te)
        .leftJoin(touchpoints, joinTouchpoint)
        .leftJoin(commitments, joinCommitment)
        .where(and(...conditions))
        .orderBy(asc(te.occurredAt), asc(te.revision))
        .limit(limit);
    } else {
      const ranked = this.db
        .select({
          eventId: te.eventId,
          rank: sql<number>`row_number() over (partition by ${te.accountId} order by ${te.occurredAt}, ${te.revision})`.as(
            'rank',
          ),
        })
        .from(te)
        .leftJoin(touchpoints, joinTouchpoint)
        .where(and(...conditions))
        .as('ranked');
      rows = await this.db
        .select({ entry: te, touchpoint: touchpoints, commitment: commitments })
        .from(te)
        .innerJoin(ranked, eq(ranked.eventId, te.eventId))
        .leftJoin(touchpoints, joinTouchpoint)
        .leftJoin(commitments, joinCommitment)
        .where(lte(ranked.rank, limit))
        .orderBy(asc(te.accountId), asc(te.occurredAt), asc(te.revision));
    }
    return ids.map((id) => {
      const mine = rows.filter((row) => row.entry.accountId === id);
      const entries = mine.slice(0, query.first).map((row) => timelineEntryView(row, tierOf(id)));
      return { entries, hasNextPage: mine.length > query.first };
    });
  }
}

function groupBy<K, R, V>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  map: (row: R) => V,
): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(map(row));
  return keys.map((key) => groups.get(key) ?? []);
}

export function commitmentView(row: CommitmentRow): CommitmentView {
  return {
    id: row.id,
    accountId: row.accountId,
    title: row.title,
    description: row.description,
    ownerId: row.ownerId,
    madeAt: row.madeAt,
    dueAt: row.dueAt,
    status: row.status,
    fulfilledAt: row.fulfilledAt,
    onTime: row.onTime,
    missedAt: row.missedAt,
    renegotiations: row.renegotiations,
  };
}

export function touchpointView(row: TouchpointRow): TouchpointView {
  return {
    id: row.id,
    accountId: row.accountId,
    occurredAt: row.occurredAt,
    recordedAt: row.recordedAt,
    channel: row.channel,
    direction: row.direction,
    pillar: row.pillar,
    sentiment: row.sentiment,
    momentOfTruth: row.momentOfTruth,
    stage: row.stage,
    summary: row.summary,
    actorId: row.actorId,
    participants: row.participants,
    source: row.source,
    externalRef: row.externalRef,
    qualifying: row.qualifying,
  };
}

function timelineEntryView(
  row: {
    entry: typeof timelineEntries.$inferSelect;
    touchpoint: TouchpointRow | null;
    commitment: CommitmentRow | null;
  },
  tier: AccountRow['tier'],
): TimelineEntryView {
  const { entry, commitment } = row;
  const event = { type: entry.type, data: entry.data } as unknown as AccountEvent;
  return {
    id: entry.eventId,
    type: event.type,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    revision: entry.revision,
    summary: summarizeEvent(event, {
      tier,
      commitmentTitle: (id) => (commitment !== null && commitment.id === id ? commitment.title : undefined),
    }),
    touchpoint: row.touchpoint === null ? null : touchpointView(row.touchpoint),
    commitment: commitment === null ? null : commitmentView(commitment),
  };
}
