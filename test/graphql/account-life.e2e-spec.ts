// One account's whole life over real HTTP, on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
// from PROSPECT to CHURNED and won back, with backdated business times, touchpoints of every kind
// and commitments kept on time, kept late, missed, renegotiated and cancelled, all written through
// the GraphQL mutations. After each step the view is checked field by field against what this
// file computes itself from what it wrote (product.md's rules, health included), and at the end
// the read model and the fold of the stream must agree on every field.
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import {
  RecordAccountSilentCommand,
  RecordCommitmentMissedCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
} from '#account-commands';
import { AccountProjector } from '#read-model';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { delay, waitFor } from '../support/helpers.js';
import {
  ACCOUNT_VIEW_QUERY,
  COMMITMENT_FIELDS,
  TOUCHPOINT_FIELDS,
  withClockAt,
} from './account-view.selection.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from './graphql-client.js';

const ADMIN = 'a'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const KEYS = `admin:root:${ADMIN},integration:crm:${INTEGRATION}`;
const DAY = 24 * 60 * 60 * 1000;
const START = Date.now();
/** A business time `days` before the suite started. */
const daysAgo = (days: number) => START - days * DAY;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type Stage =
  | 'PROSPECT'
  | 'DISCOVERY'
  | 'PROPOSAL'
  | 'ONBOARDING'
  | 'ACTIVE'
  | 'RENEWAL'
  | 'ADVOCATE'
  | 'LOST'
  | 'CHURNED';
type Channel =
  | 'EMAIL'
  | 'CALL'
  | 'VIDEO_CALL'
  | 'MEETING'
  | 'CHAT'
  | 'SUPPORT_TICKET'
  | 'SURVEY'
  | 'PRODUCT_USAGE'
  | 'INTERNAL_NOTE';
type Pillar = 'DISCOVERY' | 'SERVICE' | 'ENGAGEMENT';
type Sentiment = 'NEGATIVE' | 'NEUTRAL' | 'POSITIVE';
type Status = 'OPEN' | 'FULFILLED' | 'MISSED' | 'CANCELLED';

const PHASE: Record<Stage, string> = {
  PROSPECT: 'PRE_SALES',
  DISCOVERY: 'PRE_SALES',
  PROPOSAL: 'PRE_SALES',
  ONBOARDING: 'ONBOARDING',
  ACTIVE: 'RETENTION',
  RENEWAL: 'RETENTION',
  ADVOCATE: 'RETENTION',
  LOST: 'EXITED',
  CHURNED: 'EXITED',
};
const SENTIMENT_VALUE: Record<Sentiment, number> = { NEGATIVE: 0, NEUTRAL: 0.5, POSITIVE: 1 };

interface Visit {
  stage: Stage;
  enteredAt: number;
  exitedAt: number | null;
  reason: string | null;
  lessons: string | null;
}

interface Touch {
  id: string;
  occurredAt: number;
  recorded: [number, number];
  channel: Channel;
  direction: 'INBOUND' | 'OUTBOUND' | 'INTERNAL';
  pillar: Pillar;
  sentiment: Sentiment | null;
  momentOfTruth: boolean;
  stage: Stage;
  summary: string | null;
  actorId: string | null;
  participants: string[];
  source: string;
  externalRef: string | null;
}

interface WrittenCommitment {
  id: string;
  title: string;
  description: string | null;
  madeAt: number;
  dueAt: number;
  status: Status;
  fulfilledAt: number | null;
  onTime: boolean | null;
  /** When its current due date was recorded missed (the miss stands once fulfilled late). */
  missedAt: number | null;
  renegotiations: number;
}

interface Entry {
  revision: number;
  type: string;
  occurredAt: number;
  recorded: [number, number];
  touchpointId: string | null;
  commitmentId: string | null;
  /** Words the one-line summary must contain. */
  mentions: string[];
}

/** Everything written about the account: the source of every expectation. */
interface Life {
  id: string;
  openedAt: number;
  agreedCadenceDays: number | null;
  visits: Visit[];
  touches: Touch[];
  commitments: WrittenCommitment[];
  entries: Entry[];
  silentSince: number | null;
  /** The alerts open now, as product.md's Alerts table says this life raises and resolves them. */
  alerts: OpenAlert[];
  revision: number;
}

type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
interface OpenAlert {
  kind: 'COMMITMENT_MISSED' | 'ACCOUNT_SILENT' | 'NEGATIVE_MOMENT_OF_TRUTH';
  severity: Severity;
  /** The commitment or touchpoint it is about. */
  subject: string | null;
  /** Business time of what raised it. */
  since: number;
}

const TIER_CADENCE_DAYS = 30; // ENTERPRISE

/** A real two-way contact with the customer (product.md, "Qualifying touch"). */
const qualifies = (t: Touch) =>
  t.direction !== 'INTERNAL' && t.channel !== 'INTERNAL_NOTE' && t.channel !== 'PRODUCT_USAGE';
const inWindow = (at: number, now: number, days: number) => at > now - days * DAY && at <= now;
const latest = (times: number[]) => (times.length === 0 ? null : Math.max(...times));
const round2 = (x: number) => Math.round(x * 100) / 100;

function cadenceOf(life: Life): number {
  return life.agreedCadenceDays ?? TIER_CADENCE_DAYS;
}

function currentVisit(life: Life): Visit {
  return life.visits[life.visits.length - 1];
}

/** The stage the account was in at `at`, by the history written so far. */
function stageAt(life: Life, at: number): Stage {
  let stage = life.visits[0].stage;
  for (const visit of life.visits) if (visit.enteredAt <= at) stage = visit.stage;
  return stage;
}

/** Outcomes that count towards the on-time rate: fulfilments, and misses that still stand. */
function outcomes(life: Life, now: number): { resolved: number; onTime: number } {
  let resolved = 0;
  let onTime = 0;
  for (const c of life.commitments) {
    if (c.status === 'FULFILLED' && c.fulfilledAt !== null && inWindow(c.fulfilledAt, now, 180)) {
      resolved += 1;
      if (c.onTime) onTime += 1;
    }
    const missStands = c.status === 'MISSED' || (c.status === 'FULFILLED' && c.missedAt !== null);
    if (missStands && c.missedAt !== null && inWindow(c.missedAt, now, 180)) resolved += 1;
  }
  return { resolved, onTime };
}

function expectedStats(life: Life, now: number) {
  const { resolved, onTime } = outcomes(life, now);
  const count = (keep: (c: WrittenCommitment) => boolean) => life.commitments.filter(keep).length;
  return {
    open: count((c) => c.status === 'OPEN'),
    overdue: count((c) => c.status === 'OPEN' && c.dueAt < now),
    fulfilledOnTime: count((c) => c.status === 'FULFILLED' && c.onTime === true),
    fulfilledLate: count((c) => c.status === 'FULFILLED' && c.onTime === false),
    missed: count((c) => c.status === 'MISSED' || (c.status === 'FULFILLED' && c.missedAt !== null)),
    cancelled: count((c) => c.status === 'CANCELLED'),
    onTimeRate: resolved === 0 ? null : onTime / resolved,
  };
}

function expectedPillars(life: Life, now: number, windowDays: number) {
  const seen = life.touches.filter((t) => qualifies(t) && inWindow(t.occurredAt, now, windowDays));
  const count = (pillar: Pillar) => seen.filter((t) => t.pillar === pillar).length;
  return {
    windowDays,
    discovery: count('DISCOVERY'),
    service: count('SERVICE'),
    engagement: count('ENGAGEMENT'),
  };
}

/** product.md, "Health", computed here from what was written. */
function expectedHealthPoints(life: Life, now: number) {
  const cadence = cadenceOf(life) * DAY;
  const since = latest(life.touches.filter(qualifies).map((t) => t.occurredAt)) ?? life.openedAt;
  const elapsed = Math.max(0, now - since);
  const recency =
    elapsed <= cadence / 2
      ? 35
      : elapsed >= 2 * cadence
        ? 0
        : (35 * (2 * cadence - elapsed)) / (2 * cadence - cadence / 2);

  const { resolved, onTime } = outcomes(life, now);
  const missedNow = life.commitments.filter((c) => c.status === 'MISSED').length;
  const commitments = Math.max(0, (resolved === 0 ? 25 : (25 * onTime) / resolved) - 5 * missedNow);

  // The last five touchpoints with a sentiment, newest business time first (ties: later recorded).
  const withSentiment = life.touches
    .map((t, order) => ({ t, order }))
    .filter(({ t }) => t.sentiment !== null)
    .sort((a, b) => b.t.occurredAt - a.t.occurredAt || b.order - a.order)
    .slice(0, 5);
  const sentiment =
    withSentiment.length === 0
      ? 10
      : (20 * withSentiment.reduce((sum, { t }) => sum + SENTIMENT_VALUE[t.sentiment!], 0)) /
        withSentiment.length;

  const pillars = new Set(
    life.touches.filter((t) => qualifies(t) && inWindow(t.occurredAt, now, 90)).map((t) => t.pillar),
  );
  const serious = life.alerts.filter((a) => a.severity === 'HIGH' || a.severity === 'CRITICAL').length;
  return {
    recency,
    commitments,
    sentiment,
    pillarBalance: (10 * pillars.size) / 3,
    openAlerts: Math.max(0, 10 - 5 * serious),
  };
}

function expectedHealth(life: Life, now: number) {
  const points = expectedHealthPoints(life, now);
  const score = Math.round(Object.values(points).reduce((sum, p) => sum + round2(p), 0));
  const band = score >= 75 ? 'GREEN' : score >= 50 ? 'AMBER' : 'RED';
  const max = { recency: 35, commitments: 25, sentiment: 20, pillarBalance: 10, openAlerts: 10 };
  return {
    score,
    band,
    factors: (Object.keys(points) as (keyof typeof points)[]).map((name) => ({
      name,
      points: expect.closeTo(points[name], 2),
      maxPoints: max[name],
      detail: expect.stringMatching(/\S/),
    })),
  };
}

function touchpointOf(t: Touch, accountId: string) {
  return {
    id: t.id,
    accountId,
    occurredAt: iso(t.occurredAt),
    recordedAt: expect.any(String),
    channel: t.channel,
    direction: t.direction,
    pillar: t.pillar,
    sentiment: t.sentiment,
    momentOfTruth: t.momentOfTruth,
    stage: t.stage,
    summary: t.summary,
    actorId: t.actorId,
    participants: t.participants,
    source: t.source,
    externalRef: t.externalRef,
  };
}

function commitmentOf(c: WrittenCommitment, accountId: string) {
  return {
    id: c.id,
    accountId,
    title: c.title,
    description: c.description,
    ownerId: 'am-owner',
    madeAt: iso(c.madeAt),
    dueAt: iso(c.dueAt),
    status: c.status,
    fulfilledAt: iso(c.fulfilledAt),
    onTime: c.onTime,
    missedAt: iso(c.missedAt),
    renegotiations: c.renegotiations,
  };
}

const byKind = (a: { kind: string }, b: { kind: string }) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);

/** The open alerts, in an order of this file's choosing (the view's own order is not the point). */
function expectedAlerts(life: Life) {
  return [...life.alerts].sort(byKind).map((a) => ({
    id: expect.any(String),
    kind: a.kind,
    severity: a.severity,
    status: 'OPEN',
    accountId: life.id,
    accountName: 'Acme Robotics',
    ownerId: 'am-owner',
    tier: 'ENTERPRISE',
    title: expect.stringMatching(/\S/),
    raisedAt: expect.any(String),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolution: null,
  }));
}

/** Timeline entries in the contract's order: business time, then the order they were recorded. */
function orderedEntries(life: Life): Entry[] {
  return [...life.entries].sort((a, b) => a.occurredAt - b.occurredAt || a.revision - b.revision);
}

/** What a timeline filter keeps: touchpoint entries of those channels and pillars, in from..to. */
function entriesMatching(
  life: Life,
  filter: { channels?: Channel[]; pillars?: Pillar[]; from?: number; to?: number },
): Entry[] {
  return orderedEntries(life).filter((e) => {
    if (filter.from !== undefined && e.occurredAt < filter.from) return false;
    if (filter.to !== undefined && e.occurredAt > filter.to) return false;
    if (!filter.channels && !filter.pillars) return true;
    const t = life.touches.find((touch) => touch.id === e.touchpointId);
    if (!t) return false;
    return (
      (!filter.channels || filter.channels.includes(t.channel)) &&
      (!filter.pillars || filter.pillars.includes(t.pillar))
    );
  });
}

function expectedView(life: Life, now: number) {
  const visit = currentVisit(life);
  const lastQualifying = latest(life.touches.filter(qualifies).map((t) => t.occurredAt));
  const byMadeAt = [...life.commitments].sort((a, b) => a.madeAt - b.madeAt);
  const ids = (keep: (c: WrittenCommitment) => boolean) => byMadeAt.filter(keep).map((c) => ({ id: c.id }));
  return {
    id: life.id,
    name: 'Acme Robotics',
    tier: 'ENTERPRISE',
    ownerId: 'am-owner',
    openedAt: iso(life.openedAt),
    stage: visit.stage,
    phase: PHASE[visit.stage],
    stageEnteredAt: iso(visit.enteredAt),
    daysInStage: Math.floor((now - visit.enteredAt) / DAY),
    stageHistory: life.visits.map((v) => ({
      stage: v.stage,
      enteredAt: iso(v.enteredAt),
      exitedAt: iso(v.exitedAt),
      reason: v.reason,
      lessons: v.lessons,
    })),
    cadenceDays: cadenceOf(life),
    lastTouchpointAt: iso(latest(life.touches.map((t) => t.occurredAt))),
    lastQualifyingTouchAt: iso(lastQualifying),
    daysSinceLastQualifyingTouch: lastQualifying === null ? null : Math.floor((now - lastQualifying) / DAY),
    silent: life.silentSince !== null,
    silentSince: iso(life.silentSince),
    touchpointCount: life.touches.length,
    pillars90: expectedPillars(life, now, 90),
    pillars30: expectedPillars(life, now, 30),
    commitmentStats: (() => {
      const stats = expectedStats(life, now);
      return { ...stats, onTimeRate: stats.onTimeRate === null ? null : expect.closeTo(stats.onTimeRate, 6) };
    })(),
    commitments: byMadeAt.map((c) => commitmentOf(c, life.id)),
    openCommitments: ids((c) => c.status === 'OPEN'),
    missedCommitments: ids((c) => c.status === 'MISSED'),
    closedCommitments: byMadeAt
      .filter((c) => c.status === 'FULFILLED' || c.status === 'CANCELLED')
      .map((c) => ({ id: c.id, status: c.status })),
    health: expectedHealth(life, now),
    openAlerts: expectedAlerts(life),
    timeline: {
      edges: orderedEntries(life).map((e) => ({
        cursor: expect.any(String),
        node: {
          id: expect.any(String),
          type: e.type,
          occurredAt: iso(e.occurredAt),
          recordedAt: expect.any(String),
          summary: expect.any(String),
          touchpoint: e.touchpointId
            ? touchpointOf(
                life.touches.find((t) => t.id === e.touchpointId)!,
                life.id,
              )
            : null,
          commitment: e.commitmentId
            ? commitmentOf(
                life.commitments.find((c) => c.id === e.commitmentId)!,
                life.id,
              )
            : null,
        },
      })),
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    },
  };
}

/** The view with its open alerts in this file's order, without their details (their own business). */
function comparable(view: any) {
  const openAlerts = [...view.openAlerts].sort(byKind).map(({ detail: _detail, ...alert }: any) => alert);
  return { ...view, openAlerts };
}

/** The checks a deep equality cannot make: recording times within their writes, summaries, ids. */
function checkTimelineDetails(life: Life, view: any): void {
  const expected = orderedEntries(life);
  const nodes = view.timeline.edges.map((edge: any) => edge.node);
  expected.forEach((entry, i) => {
    const recordedAt = Date.parse(nodes[i].recordedAt);
    expect(recordedAt).toBeGreaterThanOrEqual(entry.recorded[0]);
    expect(recordedAt).toBeLessThanOrEqual(entry.recorded[1]);
    for (const word of entry.mentions) expect(nodes[i].summary).toContain(word);
    if (nodes[i].touchpoint) {
      const touch = life.touches.find((t) => t.id === entry.touchpointId)!;
      expect(Date.parse(nodes[i].touchpoint.recordedAt)).toBeGreaterThanOrEqual(touch.recorded[0]);
      expect(Date.parse(nodes[i].touchpoint.recordedAt)).toBeLessThanOrEqual(touch.recorded[1]);
    }
  });
  expect(new Set(nodes.map((node: any) => node.id)).size).toBe(nodes.length);
  expect(new Set(view.timeline.edges.map((edge: any) => edge.cursor)).size).toBe(nodes.length);
}

describe.each(DATABASE_TARGETS)('an account life on $name', (target) => {
  let app: NestFastifyApplication;
  let database: FreshDatabase;
  let graphql: (q: string, v?: Record<string, unknown>, key?: string | null) => Promise<GraphQLAnswer>;
  const life: Life = {
    id: `acme-${target.name}`,
    openedAt: daysAgo(300),
    agreedCadenceDays: null,
    visits: [],
    touches: [],
    commitments: [],
    entries: [],
    silentSince: null,
    alerts: [],
    revision: -1,
  };

  beforeAll(async () => {
    database = await target.fresh();
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        // Misses and silences are recorded by this file at chosen moments, not by a background scan.
        ROLES: 'api,projector',
        RISK_SCAN_INTERVAL_MS: String(DAY),
        ...database.env,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Runs a write and returns its answer with the span in which its events were recorded. */
  const written = async <T>(write: () => Promise<T>): Promise<{ answer: T; span: [number, number] }> => {
    const before = Date.now();
    const answer = await write();
    const after = Date.now();
    // The next write records in a later millisecond: recorded instants never tie across writes.
    await delay(2);
    return { answer, span: [before, after] };
  };
  const resolveAlerts = (resolved: (alert: OpenAlert) => boolean) => {
    life.alerts = life.alerts.filter((alert) => !resolved(alert));
  };
  /** Fulfilling, renegotiating or cancelling a missed commitment resolves its alert. */
  const resolveMissed = (commitmentId: string) =>
    resolveAlerts((a) => a.kind === 'COMMITMENT_MISSED' && a.subject === commitmentId);
  const addEntry = (entry: Omit<Entry, 'revision'>) => {
    life.revision += 1;
    life.entries.push({ ...entry, revision: life.revision });
  };
  const mutate = async (mutation: string, input: Record<string, unknown>) =>
    written(async () => dataOf(await graphql(mutation, { input }, INTEGRATION)));

  /** The view from the read model, computed for `now`. */
  const readView = async (now: number) =>
    withClockAt(
      app,
      new Date(now),
      async () => dataOf(await graphql(ACCOUNT_VIEW_QUERY, { id: life.id })).account,
    );
  const foldedView = async (asOf: number) =>
    dataOf(await graphql(ACCOUNT_VIEW_QUERY, { id: life.id, asOf: iso(asOf) })).account;

  /**
   * Alerts are raised and resolved by the alert policy after the write it reacts to has been
   * answered: wait (a bounded time) until the account's open alerts are those expected. When they
   * never are, the full comparison that follows shows how they differ.
   */
  const alertsSettled = async () => {
    const expected = JSON.stringify(life.alerts.map(({ kind, severity }) => [kind, severity]).sort());
    const current = async () => {
      const answer = await graphql('query($id: ID!) { account(id: $id) { openAlerts { kind severity } } }', {
        id: life.id,
      });
      return JSON.stringify(
        (answer.data?.account?.openAlerts ?? []).map((a: any) => [a.kind, a.severity]).sort(),
      );
    };
    await waitFor(async () => (await current()) === expected, 10_000, 'the alerts').catch(() => undefined);
  };

  /** The whole view, field by field, against what was written. */
  const checkView = async () => {
    await alertsSettled();
    const now = Date.now();
    const view = await readView(now);
    expect(comparable(view)).toEqual(expectedView(life, now));
    checkTimelineDetails(life, view);
    expect(view.health.score).toBe(
      Math.round(view.health.factors.reduce((sum: number, f: any) => sum + f.points, 0)),
    );
    return view;
  };

  /** The business time the service gave an event recorded "now" (it is within its write). */
  const learnOccurredAt = async (type: string, span: [number, number], commitmentId?: string) => {
    const view = await readView(Date.now());
    const candidates = view.timeline.edges
      .map((edge: any) => edge.node)
      .filter(
        (node: any) =>
          node.type === type &&
          (commitmentId === undefined || node.commitment?.id === commitmentId) &&
          Date.parse(node.occurredAt) >= span[0] &&
          Date.parse(node.occurredAt) <= span[1],
      );
    expect(candidates).toHaveLength(1);
    return Date.parse(candidates[0].occurredAt);
  };

  const CHANGE_STAGE = `mutation($input: ChangeStageInput!) {
    changeStage(input: $input) { stage phase stageEnteredAt stageHistory { stage enteredAt exitedAt reason lessons } }
  }`;
  const changeStage = async (to: Stage, daysBefore: number, reason?: string, lessons?: string) => {
    const from = currentVisit(life).stage;
    const at = daysAgo(daysBefore);
    const { answer, span } = await mutate(CHANGE_STAGE, {
      accountId: life.id,
      to,
      occurredAt: iso(at),
      ...(reason ? { reason } : {}),
      ...(lessons ? { lessons } : {}),
    });
    currentVisit(life).exitedAt = at;
    // EXITED accounts are never silent.
    if (PHASE[to] === 'EXITED') resolveAlerts((a) => a.kind === 'ACCOUNT_SILENT');
    life.visits.push({
      stage: to,
      enteredAt: at,
      exitedAt: null,
      reason: reason ?? null,
      lessons: lessons ?? null,
    });
    addEntry({
      type: 'LifecycleStageChanged',
      occurredAt: at,
      recorded: span,
      touchpointId: null,
      commitmentId: null,
      mentions: [from, to, ...(reason ? [reason] : []), ...(lessons ? [lessons] : [])],
    });
    // The mutation answers with its own write.
    expect(answer.changeStage).toEqual({
      stage: to,
      phase: PHASE[to],
      stageEnteredAt: iso(at),
      stageHistory: life.visits.map((v) => ({
        stage: v.stage,
        enteredAt: iso(v.enteredAt),
        exitedAt: iso(v.exitedAt),
        reason: v.reason,
        lessons: v.lessons,
      })),
    });
  };

  const RECORD_TOUCHPOINT = `mutation($input: TouchpointInput!) { recordTouchpoint(input: $input) { ${TOUCHPOINT_FIELDS} } }`;
  const touch = async (
    id: string,
    daysBefore: number,
    kind: Pick<Touch, 'channel' | 'direction' | 'pillar'> & Partial<Touch>,
    reEngages = false,
  ) => {
    const t: Touch = {
      id,
      occurredAt: daysAgo(daysBefore),
      recorded: [0, 0],
      sentiment: null,
      momentOfTruth: false,
      summary: null,
      actorId: null,
      participants: [],
      source: 'crm',
      externalRef: null,
      ...kind,
      stage: stageAt(life, daysAgo(daysBefore)),
    };
    const { answer, span } = await mutate(RECORD_TOUCHPOINT, {
      touchpointId: t.id,
      accountId: life.id,
      occurredAt: iso(t.occurredAt),
      channel: t.channel,
      direction: t.direction,
      pillar: t.pillar,
      sentiment: t.sentiment,
      momentOfTruth: t.momentOfTruth,
      summary: t.summary,
      actorId: t.actorId,
      participants: t.participants,
      source: t.source,
      externalRef: t.externalRef,
    });
    t.recorded = span;
    life.touches.push(t);
    addEntry({
      type: 'TouchpointRecorded',
      occurredAt: t.occurredAt,
      recorded: span,
      touchpointId: t.id,
      commitmentId: null,
      mentions: [t.direction, t.channel, t.pillar, ...(t.summary ? [t.summary] : [])],
    });
    if (reEngages) {
      const silentFor = Math.floor((t.occurredAt - life.silentSince!) / DAY);
      addEntry({
        type: 'AccountReEngaged',
        occurredAt: t.occurredAt,
        recorded: span,
        touchpointId: t.id,
        commitmentId: null,
        mentions: [`${silentFor} days`],
      });
      life.silentSince = null;
      resolveAlerts((a) => a.kind === 'ACCOUNT_SILENT');
    }
    // A bad moment of truth raises an alert; a later positive qualifying touch resolves it.
    if (t.momentOfTruth && t.sentiment === 'NEGATIVE') {
      life.alerts.push({
        kind: 'NEGATIVE_MOMENT_OF_TRUTH',
        severity: 'HIGH',
        subject: t.id,
        since: t.occurredAt,
      });
    }
    if (qualifies(t) && t.sentiment === 'POSITIVE') {
      resolveAlerts((a) => a.kind === 'NEGATIVE_MOMENT_OF_TRUTH' && a.since < t.occurredAt);
    }
    expect(answer.recordTouchpoint).toEqual(touchpointOf(t, life.id));
  };

  const MAKE_COMMITMENT = `mutation($input: MakeCommitmentInput!) { makeCommitment(input: $input) { ${COMMITMENT_FIELDS} } }`;
  const make = async (
    id: string,
    title: string,
    madeDaysBefore: number,
    dueDaysBefore: number,
    promisedIn?: string,
  ) => {
    const c: WrittenCommitment = {
      id,
      title,
      description: `${title}, as promised`,
      madeAt: daysAgo(madeDaysBefore),
      dueAt: daysAgo(dueDaysBefore),
      status: 'OPEN',
      fulfilledAt: null,
      onTime: null,
      missedAt: null,
      renegotiations: 0,
    };
    const { answer, span } = await mutate(MAKE_COMMITMENT, {
      commitmentId: id,
      accountId: life.id,
      title,
      description: c.description,
      ownerId: 'am-owner',
      madeAt: iso(c.madeAt),
      dueAt: iso(c.dueAt),
      ...(promisedIn ? { touchpointId: promisedIn } : {}),
    });
    life.commitments.push(c);
    addEntry({
      type: 'CommitmentMade',
      occurredAt: c.madeAt,
      recorded: span,
      touchpointId: null,
      commitmentId: id,
      mentions: [title],
    });
    expect(answer.makeCommitment).toEqual(commitmentOf(c, life.id));
  };
  const commitment = (id: string) => life.commitments.find((c) => c.id === id)!;

  const FULFIL = `mutation($input: FulfilCommitmentInput!) { fulfilCommitment(input: $input) { ${COMMITMENT_FIELDS} } }`;
  /** Fulfils at a business time, or (without one) now. */
  const fulfil = async (id: string, daysBefore?: number) => {
    const c = commitment(id);
    const { answer, span } = await mutate(FULFIL, {
      accountId: life.id,
      commitmentId: id,
      ...(daysBefore === undefined ? {} : { fulfilledAt: iso(daysAgo(daysBefore)) }),
    });
    const fulfilledAt =
      daysBefore === undefined ? Date.parse(answer.fulfilCommitment.fulfilledAt) : daysAgo(daysBefore);
    if (daysBefore === undefined) {
      expect(fulfilledAt).toBeGreaterThanOrEqual(span[0]);
      expect(fulfilledAt).toBeLessThanOrEqual(span[1]);
    }
    const wasMissed = c.status === 'MISSED';
    c.status = 'FULFILLED';
    resolveMissed(id);
    c.fulfilledAt = fulfilledAt;
    // product.md: onTime = fulfilledAt ≤ dueAt; one fulfilled after it was missed is late.
    c.onTime = !wasMissed && fulfilledAt <= c.dueAt;
    addEntry({
      type: 'CommitmentFulfilled',
      occurredAt: fulfilledAt,
      recorded: span,
      touchpointId: null,
      commitmentId: id,
      mentions: [c.title, c.onTime ? 'on time' : 'late'],
    });
    expect(answer.fulfilCommitment).toEqual(commitmentOf(c, life.id));
  };

  /** Runs one of the system's own commands (misses and silences) and waits for the read model. */
  const system = async (command: object): Promise<{ status: string; span: [number, number] }> => {
    const { answer, span } = await written(async () => {
      const result = (await app.get(CommandBus).execute(command as never)) as AccountCommandsResult;
      if (result.commitPosition !== undefined) {
        expect(await app.get(AccountProjector).waitFor(result.commitPosition, 10_000)).toBe(true);
      }
      return result;
    });
    return { status: answer.results[0].status, span };
  };
  const systemContext = { principal: SYSTEM_PRINCIPAL, correlationId: 'life', causationId: 'life' };

  it('opens as a PROSPECT, imported with an opening date 300 days ago', async () => {
    const { answer, span } = await mutate(
      `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id stage phase openedAt cadenceDays } }`,
      {
        id: life.id,
        name: 'Acme Robotics',
        tier: 'ENTERPRISE',
        ownerId: 'am-owner',
        openedAt: iso(life.openedAt),
      },
    );
    expect(answer.openAccount).toEqual({
      id: life.id,
      stage: 'PROSPECT',
      phase: 'PRE_SALES',
      openedAt: iso(life.openedAt),
      cadenceDays: 30,
    });
    life.visits.push({
      stage: 'PROSPECT',
      enteredAt: life.openedAt,
      exitedAt: null,
      reason: null,
      lessons: null,
    });
    addEntry({
      type: 'AccountOpened',
      occurredAt: life.openedAt,
      recorded: span,
      touchpointId: null,
      commitmentId: null,
      mentions: ['Acme Robotics', 'ENTERPRISE', 'PROSPECT'],
    });
    const view = await checkView();
    // Never touched in 300 days on a 30-day cadence: no recency, no pillar, neutral sentiment.
    expect(view.health).toMatchObject({ score: 45, band: 'RED' });
    // The clock the view is computed for moves its day counts.
    const later = await readView(Date.now() + 3 * DAY);
    expect(later.daysInStage).toBe(view.daysInStage + 3);
  });

  it('records a first outbound email and moves to DISCOVERY', async () => {
    await touch('t-intro', 296, {
      channel: 'EMAIL',
      direction: 'OUTBOUND',
      pillar: 'DISCOVERY',
      sentiment: 'NEUTRAL',
      summary: 'Introduction',
      actorId: 'am-owner',
      participants: ['ceo@acme.example'],
      source: 'gmail',
      externalRef: 'msg-1',
    });
    await checkView();
    await changeStage('DISCOVERY', 290);
    await checkView();
  });

  it('records a discovery meeting and an internal note that does not count as a touch', async () => {
    await touch('t-discovery', 288, {
      channel: 'MEETING',
      direction: 'INBOUND',
      pillar: 'DISCOVERY',
      sentiment: 'POSITIVE',
      summary: 'Needs: fleet telemetry',
      participants: ['ceo@acme.example', 'cto@acme.example'],
    });
    await touch('t-note', 287, {
      channel: 'INTERNAL_NOTE',
      direction: 'INTERNAL',
      pillar: 'SERVICE',
      summary: 'Prepare a pilot plan',
    });
    const view = await checkView();
    expect(view.lastTouchpointAt).toBe(iso(daysAgo(287)));
    expect(view.lastQualifyingTouchAt).toBe(iso(daysAgo(288)));
  });

  it('moves to PROPOSAL with a promise kept on time', async () => {
    await changeStage('PROPOSAL', 280);
    await make('c-proposal', 'Send the proposal', 279, 270);
    await checkView();
    await fulfil('c-proposal', 272);
    const view = await checkView();
    // Kept long ago: counted, but outside the 180 days of the on-time rate.
    expect(view.commitmentStats).toMatchObject({ fulfilledOnTime: 1, onTimeRate: null });
  });

  it('wins the deal: ONBOARDING, with a promise kept late', async () => {
    await changeStage('ONBOARDING', 265);
    await make('c-kickoff', 'Run the kick-off workshop', 264, 250);
    await touch('t-kickoff', 260, {
      channel: 'VIDEO_CALL',
      direction: 'OUTBOUND',
      pillar: 'SERVICE',
      sentiment: 'POSITIVE',
    });
    await checkView();
    await fulfil('c-kickoff', 245);
    const view = await checkView();
    expect(view.commitments.find((c: any) => c.id === 'c-kickoff')).toMatchObject({
      status: 'FULFILLED',
      onTime: false,
      missedAt: null,
    });
  });

  it('goes ACTIVE; promises pass their due dates, one recorded missed by the system', async () => {
    await changeStage('ACTIVE', 240);
    // Promised during the kick-off call: its entry is about the commitment, not the call.
    await make('c-qbr', 'Hold the quarterly business review', 230, 200, 't-kickoff');
    await make('c-sso', 'Fix the SSO login', 200, 190);
    // Both past due while OPEN: overdue until the system records a miss.
    expect((await checkView()).commitmentStats).toMatchObject({ open: 2, overdue: 2, missed: 0 });

    const { status, span } = await system(
      new RecordCommitmentMissedCommand({ accountId: life.id, commitmentId: 'c-sso' }, systemContext),
    );
    expect(status).toBe('created');
    const missedAt = await learnOccurredAt('CommitmentMissed', span);
    Object.assign(commitment('c-sso'), { status: 'MISSED', missedAt });
    // HIGH on an ENTERPRISE account.
    life.alerts.push({ kind: 'COMMITMENT_MISSED', severity: 'HIGH', subject: 'c-sso', since: missedAt });
    addEntry({
      type: 'CommitmentMissed',
      occurredAt: missedAt,
      recorded: span,
      touchpointId: null,
      commitmentId: 'c-sso',
      mentions: ['Fix the SSO login'],
    });
    const view = await checkView();
    expect(view.commitmentStats).toMatchObject({ open: 1, overdue: 1, missed: 1, onTimeRate: 0 });
    // On-time rate 0 of 1, and 5 points off for the commitment MISSED now: floor 0.
    expect(view.health.factors[1]).toMatchObject({ name: 'commitments', points: 0 });
  });

  it('records an outage, product usage and a survey', async () => {
    await touch('t-outage', 150, {
      channel: 'SUPPORT_TICKET',
      direction: 'INBOUND',
      pillar: 'SERVICE',
      sentiment: 'NEGATIVE',
      momentOfTruth: true,
      summary: 'Outage: the API is down',
      source: 'zendesk',
      externalRef: 'ZD-1042',
    });
    await touch('t-usage', 140, {
      channel: 'PRODUCT_USAGE',
      direction: 'INBOUND',
      pillar: 'ENGAGEMENT',
      summary: 'Weekly active users doubled',
      source: 'analytics',
    });
    await checkView();
    await touch('t-survey', 120, {
      channel: 'SURVEY',
      direction: 'INBOUND',
      pillar: 'ENGAGEMENT',
      sentiment: 'POSITIVE',
      summary: 'NPS 9',
    });
    const view = await checkView();
    // Product usage is not a qualifying touch: the survey (120 days ago) is the last one.
    expect(view.lastQualifyingTouchAt).toBe(iso(daysAgo(120)));
    expect(view.pillars90).toEqual({ windowDays: 90, discovery: 0, service: 0, engagement: 0 });
  });

  it('renegotiates a promise, then keeps it and the missed one', async () => {
    const newDueAt = Date.now() + 30 * DAY;
    const { answer, span } = await mutate(
      `mutation($input: RenegotiateCommitmentInput!) { renegotiateCommitment(input: $input) { ${COMMITMENT_FIELDS} } }`,
      {
        accountId: life.id,
        commitmentId: 'c-qbr',
        newDueAt: iso(newDueAt),
        reason: 'The customer moved the QBR',
      },
    );
    Object.assign(commitment('c-qbr'), { dueAt: newDueAt, renegotiations: 1 });
    resolveMissed('c-qbr');
    expect(answer.renegotiateCommitment).toEqual(commitmentOf(commitment('c-qbr'), life.id));
    addEntry({
      type: 'CommitmentRenegotiated',
      occurredAt: await learnOccurredAt('CommitmentRenegotiated', span),
      recorded: span,
      touchpointId: null,
      commitmentId: 'c-qbr',
      mentions: ['Hold the quarterly business review', 'The customer moved the QBR'],
    });
    expect((await checkView()).commitmentStats).toMatchObject({ open: 1, overdue: 0 });

    await fulfil('c-qbr');
    await checkView();
    await fulfil('c-sso');
    const view = await checkView();
    // Missed, then kept late: counted as both; no longer MISSED, so no penalty.
    expect(view.commitmentStats).toMatchObject({ fulfilledOnTime: 2, fulfilledLate: 2, missed: 1 });
    expect(view.commitmentStats.onTimeRate).toBeCloseTo(1 / 3, 6);
    expect(view.commitments.find((c: any) => c.id === 'c-sso')).toMatchObject({
      status: 'FULFILLED',
      onTime: false,
      missedAt: iso(commitment('c-sso').missedAt),
    });
  });

  it('goes to RENEWAL, cancels the renewal quote and churns with a reason', async () => {
    await changeStage('RENEWAL', 70);
    await make('c-quote', 'Send the renewal quote', 70, 60);
    await touch('t-pricing', 65, {
      channel: 'CALL',
      direction: 'OUTBOUND',
      pillar: 'ENGAGEMENT',
      sentiment: 'NEGATIVE',
      summary: 'Pricing objections',
    });
    await checkView();
    const { answer, span } = await mutate(
      `mutation($input: CancelCommitmentInput!) { cancelCommitment(input: $input) { ${COMMITMENT_FIELDS} } }`,
      { accountId: life.id, commitmentId: 'c-quote', reason: 'The customer is leaving' },
    );
    commitment('c-quote').status = 'CANCELLED';
    resolveMissed('c-quote');
    expect(answer.cancelCommitment).toEqual(commitmentOf(commitment('c-quote'), life.id));
    addEntry({
      type: 'CommitmentCancelled',
      occurredAt: await learnOccurredAt('CommitmentCancelled', span),
      recorded: span,
      touchpointId: null,
      commitmentId: 'c-quote',
      mentions: ['Send the renewal quote', 'The customer is leaving'],
    });
    await checkView();

    // Churning needs a reason: refused with the field named, and nothing written.
    const noReason = await graphql(
      CHANGE_STAGE,
      { input: { accountId: life.id, to: 'CHURNED' } },
      INTEGRATION,
    );
    expect(noReason.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'reason' }],
    });
    await checkView();
    await changeStage('CHURNED', 50, 'Moved to a competitor');
    const view = await checkView();
    expect(view).toMatchObject({ stage: 'CHURNED', phase: 'EXITED', daysInStage: 50 });
  });

  it('refuses commitments on the churned account and never calls it silent', async () => {
    const refused = await graphql(
      MAKE_COMMITMENT,
      {
        input: {
          commitmentId: 'c-late',
          accountId: life.id,
          title: 'Too late',
          ownerId: 'am-owner',
          dueAt: iso(Date.now() + DAY),
        },
      },
      INTEGRATION,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    // 122 days without a qualifying touch on a 30-day cadence, but EXITED accounts are never silent.
    const { status } = await system(new RecordAccountSilentCommand({ accountId: life.id }, systemContext));
    expect(status).toBe('unchanged');
    const view = await checkView();
    expect(view).toMatchObject({ silent: false, silentSince: null });
  });

  it('is won back, goes silent on a shorter cadence and re-engages', async () => {
    await changeStage('PROSPECT', 30, 'Win-back campaign');
    await touch('t-winback', 28, {
      channel: 'CHAT',
      direction: 'OUTBOUND',
      pillar: 'DISCOVERY',
      sentiment: 'POSITIVE',
      summary: 'New team, new budget',
    });
    await checkView();

    const { answer, span } = await mutate(
      `mutation($input: SetCadenceInput!) { setCadence(input: $input) { cadenceDays } }`,
      { accountId: life.id, cadenceDays: 20 },
    );
    expect(answer.setCadence.cadenceDays).toBe(20);
    life.agreedCadenceDays = 20;
    addEntry({
      type: 'AccountCadenceSet',
      occurredAt: await learnOccurredAt('AccountCadenceSet', span),
      recorded: span,
      touchpointId: null,
      commitmentId: null,
      mentions: ['20 days'],
    });
    await checkView();

    // 28 days since the last qualifying touch, on a 20-day cadence: silent since that touch (and
    // not yet for twice the cadence, which would raise the alert's severity a step).
    const silence = await system(new RecordAccountSilentCommand({ accountId: life.id }, systemContext));
    expect(silence.status).toBe('created');
    life.silentSince = daysAgo(28);
    life.alerts.push({ kind: 'ACCOUNT_SILENT', severity: 'MEDIUM', subject: null, since: daysAgo(28) });
    addEntry({
      type: 'AccountWentSilent',
      occurredAt: await learnOccurredAt('AccountWentSilent', silence.span),
      recorded: silence.span,
      touchpointId: null,
      commitmentId: null,
      mentions: [iso(daysAgo(28))!.slice(0, 10)],
    });
    expect(await checkView()).toMatchObject({ silent: true, silentSince: iso(daysAgo(28)) });

    // An internal note and product usage end no silence.
    await touch('t-note-2', 3, { channel: 'INTERNAL_NOTE', direction: 'INTERNAL', pillar: 'ENGAGEMENT' });
    await touch('t-usage-2', 2.5, { channel: 'PRODUCT_USAGE', direction: 'INBOUND', pillar: 'SERVICE' });
    expect(await checkView()).toMatchObject({ silent: true, lastQualifyingTouchAt: iso(daysAgo(28)) });
    await touch(
      't-callback',
      2,
      {
        channel: 'CALL',
        direction: 'INBOUND',
        pillar: 'SERVICE',
        sentiment: 'POSITIVE',
        summary: 'Ready to talk',
      },
      true,
    );
    expect(await checkView()).toMatchObject({
      silent: false,
      silentSince: null,
      daysSinceLastQualifyingTouch: 2,
    });
  });

  it('takes a new promise that falls overdue, a backfilled meeting and a move to DISCOVERY', async () => {
    await make('c-demo', 'Demo the new module', 10, 3);
    expect((await checkView()).commitmentStats).toMatchObject({ open: 1, overdue: 1 });
    // Recorded now, 100 days back in business time: in the ACTIVE stage of the first life.
    await touch('t-backfill', 100, {
      channel: 'MEETING',
      direction: 'OUTBOUND',
      pillar: 'SERVICE',
      sentiment: 'NEUTRAL',
      summary: 'Imported from the old CRM',
      source: 'legacy-crm',
    });
    expect(life.touches.at(-1)!.stage).toBe('ACTIVE');
    await checkView();
    await changeStage('DISCOVERY', 1);
    const view = await checkView();
    expect(view.timeline.edges.map((edge: any) => edge.node.type)).toContain('AccountReEngaged');
    expect(view.health.band).toBe(expectedHealth(life, Date.now()).band);
  });

  it('loses the new deal with its lessons, and is re-engaged', async () => {
    await changeStage('LOST', 0.5, 'No budget this year', 'Qualify the budget before the demo');
    expect(await checkView()).toMatchObject({ stage: 'LOST', phase: 'EXITED', silent: false });
    const lost = dataOf(
      await graphql('{ lostDeals { accountId fromStage lostAt reason lessons } }'),
    ).lostDeals;
    expect(lost.filter((deal: any) => deal.accountId === life.id)).toEqual([
      {
        accountId: life.id,
        fromStage: 'DISCOVERY',
        lostAt: iso(daysAgo(0.5)),
        reason: 'No budget this year',
        lessons: 'Qualify the budget before the demo',
      },
    ]);
    await changeStage('PROSPECT', 0.25);
    const view = await checkView();
    expect(view.stageHistory.map((visit: any) => visit.stage)).toEqual([
      'PROSPECT',
      'DISCOVERY',
      'PROPOSAL',
      'ONBOARDING',
      'ACTIVE',
      'RENEWAL',
      'CHURNED',
      'PROSPECT',
      'DISCOVERY',
      'LOST',
      'PROSPECT',
    ]);
    expect(view).toMatchObject({ stage: 'PROSPECT', phase: 'PRE_SALES', daysInStage: 0 });

    // A bad moment of truth is left open: the last views show it, and health counts it.
    await touch('t-escalation', 0.1, {
      channel: 'SUPPORT_TICKET',
      direction: 'INBOUND',
      pillar: 'SERVICE',
      sentiment: 'NEGATIVE',
      momentOfTruth: true,
      summary: 'Escalation: data export broken',
      source: 'zendesk',
    });
    const escalated = await checkView();
    expect(escalated.openAlerts).toMatchObject([{ kind: 'NEGATIVE_MOMENT_OF_TRUTH', severity: 'HIGH' }]);
    expect(escalated.health.factors[4]).toMatchObject({ name: 'openAlerts', points: 5 });
  });

  /** Every page of a timeline walk, `first` at a time, checking each page's size and cursor. */
  const walkTimeline = async (
    args: Record<string, unknown>,
    first: number,
    asOf?: number,
  ): Promise<any[]> => {
    const nodes: any[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const answer: GraphQLAnswer = await graphql(
        `
          query (
            $id: ID!
            $asOf: DateTime
            $first: Int
            $after: String
            $channels: [Channel!]
            $pillars: [Pillar!]
            $from: DateTime
            $to: DateTime
          ) {
            account(id: $id, asOf: $asOf) {
              timeline(
                first: $first
                after: $after
                channels: $channels
                pillars: $pillars
                from: $from
                to: $to
              ) {
                edges {
                  cursor
                  node {
                    id
                    type
                    occurredAt
                    touchpoint {
                      id
                    }
                    commitment {
                      id
                    }
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
          }
        `,
        { id: life.id, asOf: asOf === undefined ? null : iso(asOf), first, after, ...args },
      );
      const timeline = dataOf(answer).account.timeline;
      nodes.push(...timeline.edges.map((edge: any) => edge.node));
      expect(timeline.edges.length).toBeLessThanOrEqual(first);
      if (!timeline.pageInfo.hasNextPage) return nodes;
      expect(timeline.edges).toHaveLength(first);
      expect(timeline.pageInfo.endCursor).toBe(timeline.edges.at(-1).cursor);
      after = timeline.pageInfo.endCursor;
    }
    throw new Error('the timeline walk did not end');
  };
  const signature = (node: any) => [
    node.type,
    node.occurredAt,
    node.touchpoint?.id ?? null,
    node.commitment?.id ?? null,
  ];
  const expectedSignatures = (entries: Entry[]) =>
    entries.map((e) => [e.type, iso(e.occurredAt), e.touchpointId, e.commitmentId]);

  const filters: Array<[string, Record<string, unknown>, Parameters<typeof entriesMatching>[1]]> = [
    ['everything', {}, {}],
    ['calls and emails', { channels: ['CALL', 'EMAIL'] }, { channels: ['CALL', 'EMAIL'] }],
    ['internal notes', { channels: ['INTERNAL_NOTE'] }, { channels: ['INTERNAL_NOTE'] }],
    ['the SERVICE pillar', { pillars: ['SERVICE'] }, { pillars: ['SERVICE'] }],
    [
      'a channel and a pillar at once',
      { channels: ['CALL', 'MEETING', 'SURVEY'], pillars: ['ENGAGEMENT', 'DISCOVERY'] },
      { channels: ['CALL', 'MEETING', 'SURVEY'], pillars: ['ENGAGEMENT', 'DISCOVERY'] },
    ],
    [
      'a period, bounds included',
      { from: iso(daysAgo(265)), to: iso(daysAgo(70)) },
      { from: daysAgo(265), to: daysAgo(70) },
    ],
    [
      'a period and a pillar',
      { from: iso(daysAgo(200)), pillars: ['SERVICE'] },
      { from: daysAgo(200), pillars: ['SERVICE'] },
    ],
    [
      'a period that holds nothing',
      { from: iso(daysAgo(299)), to: iso(daysAgo(298)) },
      { from: daysAgo(299), to: daysAgo(298) },
    ],
  ];

  it.each(filters)(
    'pages the timeline filtered by %s, neither skipping nor repeating',
    async (_what, args, filter) => {
      const expected = expectedSignatures(entriesMatching(life, filter));
      for (const first of [1, 4, 7]) {
        const nodes = await walkTimeline(args, first);
        expect(nodes.map(signature)).toEqual(expected);
        expect(new Set(nodes.map((node) => node.id)).size).toBe(nodes.length);
      }
      // The fold of the stream pages the same entries the same way.
      const folded = await walkTimeline(args, 4, Date.now());
      expect(folded.map(signature)).toEqual(expected);
    },
  );

  it('shows the same account from the read model and from the fold of its stream', async () => {
    const asOf = Date.now();
    const folded = await foldedView(asOf);
    const stored = await readView(asOf);
    expect(stored).toEqual(folded);
    expect(comparable(folded)).toEqual(expectedView(life, asOf));
    checkTimelineDetails(life, folded);
  });
});
