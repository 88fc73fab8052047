import { HEALTH_PILLAR_WINDOW_DAYS, SENTIMENT_SAMPLE_SIZE } from '#lifecycle-views';
import { DAY_MS, type CommitmentStatus, type LifecycleStage, type Sentiment } from '#lifecycle';
import type { CommitmentView, PillarBalance, StageVisitView } from '#lifecycle-views';
import type { ReadModelDatabase } from '#read-model';

import { alertNodeFromRow, type AlertNode, type AlertRow } from '../alerts/alert-node.js';
import type { AccountRow } from '../accounts/account-node.js';
import type { AccountViewCache, AccountViewEntry } from './account-view-cache.js';

/**
 * Everything the read model holds about an account that its view and its health need, read for
 * many accounts in one statement: the row, stage history, commitments, newest sentiments, the
 * qualifying touches per pillar in the health window, and the open alerts.
 */
export interface AccountFacts {
  readonly row: AccountRow;
  readonly stageHistory: StageVisitView[];
  readonly commitments: CommitmentView[];
  /** Newest first, at most SENTIMENT_SAMPLE_SIZE. */
  readonly recentSentiments: Sentiment[];
  /** Qualifying touches per pillar in (now − HEALTH_PILLAR_WINDOW_DAYS, now]. */
  readonly healthWindow: PillarBalance;
  /** Not resolved yet, newest first. */
  readonly openAlerts: AlertNode[];
}

/**
 * One statement with a subquery per kind of fact, each through the account's index on its table,
 * instead of one statement per kind: a view then costs the database one round trip and one plan
 * (prepared once per connection under its name), and this process builds no SQL per request.
 * The lists come back as JSON built by the database, the counts and sentiments as arrays.
 *
 * Each account is asked with the view version whose facts this process holds ($4, aligned with
 * the ids; null for none): when it is still the account's version, only the id and the version
 * come back (`unchanged`), and the subqueries do not run: `offset 0` keeps the planner from
 * pulling the lateral subquery up into the join, where its condition became a join filter
 * applied after every subquery had run; kept apart, it is a one-time filter checked first.
 * Beside the health window's counts come its oldest qualifying touch and the first one dated
 * after now: until the oldest leaves the window or that one enters it, the counts hold.
 */
const factsText = (keys: string) => `
select k.id, a.view_version::text as view_version, k.known is not distinct from a.view_version as unchanged, f.*
from ${keys}
join accounts a on a.id = k.id
left join lateral (
  select a.name, a.tier, a.owner_id, a.opened_at, a.stage, a.phase, a.stage_entered_at,
    a.effective_cadence_days, a.last_touchpoint_at, a.last_qualifying_touch_at, a.silent,
    a.silent_since, a.touchpoint_count,
    (select coalesce(json_agg(json_build_object(
        'stage', v.stage, 'enteredAt', v.entered_at, 'exitedAt', v.exited_at,
        'reason', v.reason, 'lessons', v.lessons) order by v.seq), '[]'::json)
      from stage_visits v where v.account_id = a.id) as stage_history,
    (select coalesce(json_agg(json_build_object(
        'id', c.id, 'title', c.title, 'description', c.description, 'ownerId', c.owner_id,
        'madeAt', c.made_at, 'dueAt', c.due_at, 'status', c.status, 'fulfilledAt', c.fulfilled_at,
        'onTime', c.on_time, 'missedAt', c.missed_at, 'renegotiations', c.renegotiations)
        order by c.made_at, c.id), '[]'::json)
      from commitments c where c.account_id = a.id) as commitments,
    array(select t.sentiment from touchpoints t
      where t.account_id = a.id and t.sentiment is not null
      order by t.occurred_at desc, t.recorded_at desc, t.id desc
      limit ${SENTIMENT_SAMPLE_SIZE}) as recent_sentiments,
    w.discovery, w.service, w.engagement, w.oldest_in_window, w.next_to_enter,
    (select coalesce(json_agg(json_build_object(
        'alertId', al.alert_id, 'kind', al.kind, 'severity', al.severity, 'status', al.status,
        'title', al.title, 'detail', al.detail, 'raisedAt', al.raised_at,
        'acknowledgedAt', al.acknowledged_at, 'acknowledgedBy', al.acknowledged_by,
        'resolvedAt', al.resolved_at, 'resolution', al.resolution)
        order by al.raised_at desc, al.alert_id desc), '[]'::json)
      from alerts al where al.account_id = a.id and al.status <> 'RESOLVED') as open_alerts
  from (select
      (count(*) filter (where t.pillar = 'DISCOVERY' and t.occurred_at <= (select $3::timestamptz)))::int as discovery,
      (count(*) filter (where t.pillar = 'SERVICE' and t.occurred_at <= (select $3::timestamptz)))::int as service,
      (count(*) filter (where t.pillar = 'ENGAGEMENT' and t.occurred_at <= (select $3::timestamptz)))::int as engagement,
      min(t.occurred_at) filter (where t.occurred_at <= (select $3::timestamptz)) as oldest_in_window,
      min(t.occurred_at) filter (where t.occurred_at > (select $3::timestamptz)) as next_to_enter
    from touchpoints t
    where t.account_id = a.id and t.qualifying and t.occurred_at > (select $2::timestamptz)) w
  where k.known is distinct from a.view_version
  offset 0
) f on true`;

export const ACCOUNT_FACTS = {
  name: 'account-facts-v3',
  text: factsText('unnest($1::text[], $4::bigint[]) as k(id, known)'),
};

/**
 * ACCOUNT_FACTS for one account (the account view), whose plan PostgreSQL keeps. It plans a
 * prepared statement anew for each call (a custom plan) until a plan made without the values (a
 * generic plan) is estimated to cost no more. The account list's `unnest` is estimated at 100
 * accounts without its values, so the list's generic plan never is, and each view paid for planning
 * about 20 subqueries: about 2 ms of PGlite's one session, where running it costs 0.4 ms. With one
 * account, and the window's instants behind `(select …)` so that no plan knows them, both plans
 * are estimated alike and PostgreSQL keeps the generic one after its first five calls.
 */
export const ONE_ACCOUNT_FACTS = {
  name: 'one-account-facts-v1',
  text: factsText('(select $1::text as id, $4::bigint as known) as k'),
};

/** A row of ACCOUNT_FACTS as node-postgres parses it, when the facts were sent. */
interface FactsRow {
  id: string;
  view_version: string;
  unchanged: false;
  name: string;
  tier: AccountRow['tier'];
  owner_id: string;
  opened_at: Date | string;
  stage: LifecycleStage;
  phase: AccountRow['phase'];
  stage_entered_at: Date | string;
  effective_cadence_days: number;
  last_touchpoint_at: Date | string | null;
  last_qualifying_touch_at: Date | string | null;
  silent: boolean;
  silent_since: Date | string | null;
  touchpoint_count: number;
  stage_history: Json<StageVisitView>[];
  commitments: Json<Omit<CommitmentView, 'accountId'>>[];
  recent_sentiments: Sentiment[];
  discovery: number;
  service: number;
  engagement: number;
  oldest_in_window: Date | string | null;
  next_to_enter: Date | string | null;
  open_alerts: Json<Omit<AlertRow, 'accountId'>>[];
}

/** A row for an account whose facts this process already holds at its current version. */
interface UnchangedRow {
  id: string;
  view_version: string;
  unchanged: true;
}

/** What JSON makes of a view: its instants are ISO 8601 strings. */
type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/**
 * The facts of the accounts asked for, in their order; null for an account the read model lacks.
 * Facts held in `cache` at the account's current version, and valid at `now`, are not read again.
 */
export async function readAccountFacts(
  database: ReadModelDatabase,
  ids: readonly string[],
  now: Date,
  cache: AccountViewCache,
): Promise<(AccountViewEntry | null)[]> {
  const at = now.getTime();
  const held = ids.map((id) => cache.usable(id, at));
  const since = new Date(at - HEALTH_PILLAR_WINDOW_DAYS * DAY_MS);
  const known = held.map((entry) => entry?.version ?? null);
  const [statement, keys] =
    ids.length === 1 ? [ONE_ACCOUNT_FACTS, [ids[0], known[0]]] : [ACCOUNT_FACTS, [ids, known]];
  const rows = await database.run<FactsRow | UnchangedRow>(statement, [
    keys[0],
    since.toISOString(),
    now.toISOString(),
    keys[1],
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id, i) => {
    const row = byId.get(id);
    if (row === undefined) {
      cache.forget(id);
      return null;
    }
    // Unchanged means the version sent was the account's, so this request's entry is that one.
    if (row.unchanged) {
      cache.counted('hit');
      return held[i]!;
    }
    cache.counted(held[i] === undefined ? 'miss' : 'stale');
    const entry: AccountViewEntry = {
      version: row.view_version,
      facts: factsOf(row),
      validFrom: at,
      validUntil: Math.min(
        row.oldest_in_window === null
          ? Infinity
          : instant(row.oldest_in_window).getTime() + HEALTH_PILLAR_WINDOW_DAYS * DAY_MS,
        row.next_to_enter === null ? Infinity : instant(row.next_to_enter).getTime(),
      ),
      timelines: new Map(),
    };
    cache.keep(id, entry);
    return entry;
  });
}

function factsOf(raw: FactsRow): AccountFacts {
  const row: AccountRow = {
    id: raw.id,
    name: raw.name,
    tier: raw.tier,
    ownerId: raw.owner_id,
    openedAt: instant(raw.opened_at),
    stage: raw.stage,
    phase: raw.phase,
    stageEnteredAt: instant(raw.stage_entered_at),
    effectiveCadenceDays: raw.effective_cadence_days,
    lastTouchpointAt: maybeInstant(raw.last_touchpoint_at),
    lastQualifyingTouchAt: maybeInstant(raw.last_qualifying_touch_at),
    silent: raw.silent,
    silentSince: maybeInstant(raw.silent_since),
    touchpointCount: raw.touchpoint_count,
  };
  const { discovery, service, engagement } = raw;
  return {
    row,
    stageHistory: raw.stage_history.map((visit) => ({
      stage: visit.stage,
      enteredAt: instant(visit.enteredAt),
      exitedAt: maybeInstant(visit.exitedAt),
      reason: visit.reason,
      lessons: visit.lessons,
    })),
    commitments: raw.commitments.map((c) => ({
      id: c.id,
      accountId: raw.id,
      title: c.title,
      description: c.description,
      ownerId: c.ownerId,
      madeAt: instant(c.madeAt),
      dueAt: instant(c.dueAt),
      status: c.status as CommitmentStatus,
      fulfilledAt: maybeInstant(c.fulfilledAt),
      onTime: c.onTime,
      missedAt: maybeInstant(c.missedAt),
      renegotiations: c.renegotiations,
    })),
    recentSentiments: raw.recent_sentiments,
    healthWindow: { windowDays: HEALTH_PILLAR_WINDOW_DAYS, discovery, service, engagement },
    openAlerts: raw.open_alerts.map((alert) =>
      alertNodeFromRow(
        {
          ...alert,
          accountId: raw.id,
          raisedAt: instant(alert.raisedAt),
          acknowledgedAt: maybeInstant(alert.acknowledgedAt),
          resolvedAt: maybeInstant(alert.resolvedAt),
        },
        row,
      ),
    ),
  };
}

function instant(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function maybeInstant(value: Date | string | null): Date | null {
  return value === null ? null : instant(value);
}
