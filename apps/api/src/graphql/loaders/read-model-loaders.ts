import DataLoader from 'dataloader';
import { and, asc, eq, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';

import {
  DAY_MS,
  type AccountEvent,
  type AccountEventType,
  type Channel,
  type Pillar,
  type TouchpointRecorded,
} from '#lifecycle';
import {
  HEALTH_PILLAR_WINDOW_DAYS,
  summarizeEvent,
  type CommitmentView,
  type PillarBalance,
  type TimelineEntryView,
  type TouchpointView,
} from '#lifecycle-views';
import { commitments, timelineEntries, touchpoints, type ReadModelDatabase } from '#read-model';

import type { AccountRow } from '../accounts/account-node.js';
import type { TimelinePlace } from '../accounts/timeline-cursor.js';
import { readAccountFacts, type AccountFacts } from './account-facts.js';
import type { AccountViewCache, AccountViewEntry } from './account-view-cache.js';
import { readAccountTimelinePage } from './account-timeline.js';

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

export type CommitmentRow = typeof commitments.$inferSelect;
export type TouchpointRow = typeof touchpoints.$inferSelect;
export type TimelineEntryRow = typeof timelineEntries.$inferSelect;

/** A timeline entry with the touchpoint and the commitment it is about, if any. */
export interface TimelineJoinedRow {
  readonly entry: TimelineEntryRow;
  readonly touchpoint: TouchpointRow | null;
  readonly commitment: CommitmentRow | null;
}

/** The timeline entries that are about a touchpoint: the touch itself, and the one that ended a silence. */
const TOUCHPOINT_ENTRY_TYPES: AccountEventType[] = ['TouchpointRecorded', 'AccountReEngaged'];

/**
 * One request's batched reads of the read model. Every resolver of an account field asks for one
 * account; what is asked in the same tick is read together, so a page of 200 accounts with their
 * commitments, stage history, health and open alerts costs a handful of statements, not a few per
 * account: one for all their facts (`AccountFacts`), one per other pillar window, one per
 * timeline page shape. `now` is the request's instant: every window and count of the response is
 * computed for it. Facts and timeline pages the process holds (`AccountViewCache`) are used once
 * the facts statement has confirmed the account's version.
 */
export class ReadModelLoaders {
  private readonly facts: DataLoader<string, AccountViewEntry | null>;
  private readonly pillarBalances = new Map<number, DataLoader<string, PillarBalance>>();
  private readonly timelines = new Map<string, DataLoader<string, TimelineSlice>>();

  constructor(
    private readonly database: ReadModelDatabase,
    readonly now: Date,
    private readonly cache: AccountViewCache,
  ) {
    this.facts = new DataLoader((ids) => readAccountFacts(database, ids, now, cache));
  }

  /** What the read model holds of the account for its view; null when it has no such account. */
  async account(id: string): Promise<AccountFacts | null> {
    return (await this.facts.load(id))?.facts ?? null;
  }

  /** The facts of several accounts, in the order asked, null for those the read model lacks. */
  async accounts(ids: readonly string[]): Promise<(AccountFacts | null)[]> {
    return (await this.facts.loadMany(ids)).map((facts) => {
      if (facts instanceof Error) throw facts;
      return facts?.facts ?? null;
    });
  }

  /** Every commitment of the account, in the order they were made. */
  async commitments(id: string): Promise<CommitmentView[]> {
    return (await this.facts.load(id))?.facts.commitments ?? [];
  }

  /** Drops what this request has read of the account, after it wrote to it. */
  forget(accountId: string): void {
    this.facts.clear(accountId);
    for (const loader of this.pillarBalances.values()) loader.clear(accountId);
    for (const loader of this.timelines.values()) loader.clear(accountId);
  }

  /** Qualifying touches per pillar in (now − windowDays, now]. */
  async pillarBalance(windowDays: number, id: string): Promise<PillarBalance> {
    if (windowDays === HEALTH_PILLAR_WINDOW_DAYS) {
      const entry = await this.facts.load(id);
      if (entry) return entry.facts.healthWindow;
    }
    return this.pillarBalanceLoader(windowDays).load(id);
  }

  private pillarBalanceLoader(windowDays: number): DataLoader<string, PillarBalance> {
    let loader = this.pillarBalances.get(windowDays);
    if (loader === undefined) {
      const since = new Date(this.now.getTime() - windowDays * DAY_MS);
      loader = new DataLoader(async (ids) => {
        const rows = await this.database.db
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
      loader = new DataLoader((ids) => this.loadTimelines(ids, key, query, tierOf));
      this.timelines.set(key, loader);
    }
    return loader;
  }

  private async loadTimelines(
    ids: readonly string[],
    key: string,
    query: TimelinePageQuery,
    tierOf: (accountId: string) => AccountRow['tier'],
  ): Promise<TimelineSlice[]> {
    const limit = query.first + 1;
    if (ids.length === 1) {
      // The account view's usual case. The account's facts were read (and its version checked)
      // before its timeline is asked for: a page held for that version is the page.
      const id = ids[0];
      const entry = await this.facts.load(id);
      const held = entry?.timelines.get(key);
      if (held !== undefined) return [held];
      // One fixed statement, prepared once (account-timeline.ts).
      const rows = await readAccountTimelinePage(this.database, id, query, limit);
      const entries = rows.slice(0, query.first).map((row) => timelineEntryView(row, tierOf(id)));
      const slice = { entries, hasNextPage: rows.length > query.first };
      if (entry) this.cache.keepTimeline(id, entry, key, slice);
      return [slice];
    }
    // Several accounts with the same arguments (a portfolio page showing timelines): the first
    // entries of each, ranked per account.
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
    const ranked = this.database.db
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
    const rows: TimelineJoinedRow[] = await this.database.db
      .select({ entry: te, touchpoint: touchpoints, commitment: commitments })
      .from(te)
      .innerJoin(ranked, eq(ranked.eventId, te.eventId))
      .leftJoin(touchpoints, joinTouchpoint)
      .leftJoin(commitments, joinCommitment)
      .where(lte(ranked.rank, limit))
      .orderBy(asc(te.accountId), asc(te.occurredAt), asc(te.revision));
    return ids.map((id) => {
      const mine = rows.filter((row) => row.entry.accountId === id);
      const entries = mine.slice(0, query.first).map((row) => timelineEntryView(row, tierOf(id)));
      return { entries, hasNextPage: mine.length > query.first };
    });
  }
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

/**
 * The event an entry records. A touch's entry holds no data of its own: its fields are those of
 * its touchpoint row (timeline-entries.table.ts), joined with it.
 */
function recordedEvent({ entry, touchpoint }: TimelineJoinedRow): AccountEvent {
  if (entry.data !== null) return { type: entry.type, data: entry.data } as unknown as AccountEvent;
  if (entry.type !== 'TouchpointRecorded' || touchpoint === null) {
    throw new Error(`Timeline entry ${entry.eventId} (${entry.type}) has no data and no touchpoint`);
  }
  return { type: 'TouchpointRecorded', data: touchpointEventData(touchpoint) };
}

function touchpointEventData(row: TouchpointRow): TouchpointRecorded['data'] {
  return {
    accountId: row.accountId,
    touchpointId: row.id,
    occurredAt: row.occurredAt.toISOString(),
    channel: row.channel,
    direction: row.direction,
    pillar: row.pillar,
    sentiment: row.sentiment,
    momentOfTruth: row.momentOfTruth,
    summary: row.summary,
    actorId: row.actorId,
    participants: row.participants,
    source: row.source,
    externalRef: row.externalRef,
    stage: row.stage,
    qualifying: row.qualifying,
  };
}

function timelineEntryView(row: TimelineJoinedRow, tier: AccountRow['tier']): TimelineEntryView {
  const { entry, commitment } = row;
  const event = recordedEvent(row);
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
