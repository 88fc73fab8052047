// Open-loop load: every kind of request is sent at its own fixed rate whatever the answers, and
// timed from the instant it was due, so a slow server shows as latency (and requests in flight)
// rather than as a lower rate, and a late load generator counts against the figures, not for them.
import { Pool } from 'undici';

import { ACCOUNT_VIEW, PORTFOLIO_PAGE } from '../read/graphql-load.js';
import { INTEGRATION_KEY, LEADER_KEY } from './service.js';

export const KINDS = [
  'touchpoints',
  'commitment made',
  'commitment fulfilled',
  'account view',
  'portfolio page',
] as const;
export type Kind = (typeof KINDS)[number];

export interface Rates {
  /** `POST /v1/touchpoints` requests per second, each of `batchSize` touchpoints. */
  readonly ingest: number;
  readonly batchSize: number;
  /** Of the touchpoints, so many per second are negative moments of truth (each raises an alert). */
  readonly negativePerSecond: number;
  readonly commitmentsMade: number;
  readonly commitmentsFulfilled: number;
  readonly accountViews: number;
  readonly portfolioPages: number;
}

export const REQUEST_TIMEOUT_MS = 30_000;
/** Past this many requests of one kind in flight, the next is not sent but counted as an error. */
const MAX_IN_FLIGHT = 2_000;
/** A commitment is fulfilled at least this long after it was recorded. */
const FULFIL_AFTER_MS = 5_000;
const TICK_MS = 5;

/** One request's fate, counted in the window of the instant it was due. */
export interface Outcome {
  readonly kind: Kind;
  readonly dueAt: number;
  /** From due to the answer read in full (or to the timeout), ms. */
  readonly latencyMs: number;
  /** From due to sent: the load generator's own lateness, ms. */
  readonly lateMs: number;
  /** Undefined for a proper answer; else what went wrong, e.g. `HTTP 500`, `GraphQL INTERNAL`. */
  readonly error?: string;
  readonly sample?: string;
}

export interface Account {
  readonly id: string;
  readonly ownerId: string;
}

export const CHANNELS = [
  'EMAIL',
  'CALL',
  'VIDEO_CALL',
  'MEETING',
  'CHAT',
  'SUPPORT_TICKET',
  'SURVEY',
] as const;
export const PILLARS = ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'] as const;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
/** Mostly content customers: 60% positive, 25% neutral, 5% negative, 10% without a sentiment. */
function sentiment(): string | undefined {
  const roll = Math.random();
  return roll < 0.6 ? 'POSITIVE' : roll < 0.85 ? 'NEUTRAL' : roll < 0.9 ? 'NEGATIVE' : undefined;
}

/** The filters of the portfolio pages (as the read benchmark's), an owner's picked per request. */
const PORTFOLIO_FILTERS: Array<(owners: readonly string[]) => Record<string, unknown>> = [
  () => ({ stages: ['ACTIVE', 'RENEWAL'] }),
  () => ({ healthBands: ['RED', 'AMBER'] }),
  () => ({ tiers: ['ENTERPRISE', 'STRATEGIC'] }),
  () => ({ silent: false, hasOverdueCommitments: true }),
  (owners) => ({ ownerId: pick(owners) }),
];

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** What a request sends and how its answer is judged: undefined when proper, else the error's class. */
interface Request {
  readonly path: string;
  readonly key: string;
  readonly body: string;
  judge(answer: Answer): string | undefined;
  /** Runs after a proper answer. */
  done?(): void;
}

function judgeGraphql(field: string) {
  return ({ status, body }: Answer): string | undefined => {
    if (status < 200 || status > 299) return `HTTP ${status}`;
    let parsed: { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: string } }> };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return 'not JSON';
    }
    if (parsed.errors?.length) return `GraphQL ${parsed.errors[0].extensions?.code ?? 'error'}`;
    if (!parsed.data || parsed.data[field] === null || parsed.data[field] === undefined) return `no ${field}`;
    return undefined;
  };
}

function judgeBatch({ status, body }: Answer): string | undefined {
  if (status < 200 || status > 299) return `HTTP ${status}`;
  let results: Array<{ status: string; error?: { code?: string } }>;
  try {
    results = (JSON.parse(body) as { results: typeof results }).results;
  } catch {
    return 'not JSON';
  }
  const bad = results.find((result) => result.status !== 'created');
  if (!bad) return undefined;
  return bad.status === 'rejected' ? `item rejected ${bad.error?.code ?? ''}`.trim() : `item ${bad.status}`;
}

/** The negative moments of truth sent: their summary (the alert's detail) and when each was due. */
export type MomentsSent = Map<string, { readonly dueAt: number; readonly window: number }>;

export interface LoadOptions {
  readonly url: string;
  readonly rates: Rates;
  readonly accounts: readonly Account[];
  readonly owners: readonly string[];
  /** Run id: makes touchpoint and commitment ids unique to this run. */
  readonly run: string;
  readonly durationMs: number;
  readonly windowMs: number;
  /** performance.now() of the load's start. */
  readonly startedAt: number;
  readonly moments: MomentsSent;
  readonly onOutcome: (outcome: Outcome) => void;
}

export interface LoadRun {
  /** Requests not sent because a fulfilment was due before any commitment was old enough. */
  readonly skipped: () => number;
  readonly inFlight: () => number;
  /** Resolves once the last request is due and every request sent has its answer or timed out. */
  readonly finished: Promise<void>;
}

export function startLoad(options: LoadOptions): LoadRun {
  const { rates, accounts, run } = options;
  const pool = new Pool(options.url, { connections: 256, pipelining: 1 });
  const inFlight = new Map<Kind, number>(KINDS.map((kind) => [kind, 0]));
  let skipped = 0;
  let touchpointSeq = 0;
  let commitmentSeq = 0;
  /** Every so many touchpoints, one is a negative moment of truth. */
  const momentEvery =
    rates.negativePerSecond > 0
      ? Math.max(1, Math.round((rates.ingest * rates.batchSize) / rates.negativePerSecond))
      : 0;
  /** Commitments recorded, oldest first, waiting to be fulfilled. */
  const made: Array<{ accountId: string; commitmentId: string; at: number }> = [];
  let madeFrom = 0;

  const touchpointBatch = (dueAt: number): Request => {
    const occurredAt = new Date().toISOString();
    const touchpoints = Array.from({ length: rates.batchSize }, () => {
      const n = touchpointSeq++;
      const account = pick(accounts);
      const base = {
        touchpointId: `soak-${run}-t${n}`,
        accountId: account.id,
        occurredAt,
        direction: Math.random() < 0.5 ? 'INBOUND' : 'OUTBOUND',
        pillar: pick(PILLARS),
        actorId: account.ownerId,
        participants: ['customer-contact'],
        source: 'soak',
      };
      if (momentEvery && n % momentEvery === momentEvery - 1) {
        // The summary becomes the alert's detail: it tells which touchpoint raised the alert.
        const summary = `Soak moment of truth ${run}-${n}`;
        options.moments.set(summary, {
          dueAt,
          window: Math.floor((dueAt - options.startedAt) / options.windowMs),
        });
        return {
          ...base,
          channel: 'SUPPORT_TICKET',
          sentiment: 'NEGATIVE',
          momentOfTruth: true,
          summary,
        };
      }
      const feeling = sentiment();
      return {
        ...base,
        channel: pick(CHANNELS),
        ...(feeling ? { sentiment: feeling } : {}),
        summary: `Soak touchpoint ${n}`,
      };
    });
    return {
      path: '/v1/touchpoints',
      key: INTEGRATION_KEY,
      body: JSON.stringify({ touchpoints }),
      judge: judgeBatch,
    };
  };

  const makeCommitment = (): Request => {
    const account = pick(accounts);
    const commitmentId = `soak-${run}-c${commitmentSeq++}`;
    // Due in 1 to 72 hours: two in three fall within 48 h and get a COMMITMENT_DUE_SOON alert.
    const dueAt = new Date(Date.now() + (1 + Math.random() * 71) * 3_600_000).toISOString();
    return {
      path: '/v1/commitments',
      key: INTEGRATION_KEY,
      body: JSON.stringify({
        commitments: [
          {
            commitmentId,
            accountId: account.id,
            title: `Send the soak follow-up ${commitmentSeq}`,
            ownerId: account.ownerId,
            dueAt,
          },
        ],
      }),
      judge: judgeBatch,
      done: () => made.push({ accountId: account.id, commitmentId, at: performance.now() }),
    };
  };

  const fulfilCommitment = (): Request | undefined => {
    const oldest = made[madeFrom];
    if (!oldest || performance.now() - oldest.at < FULFIL_AFTER_MS) return undefined;
    madeFrom++;
    if (madeFrom > 1_000) {
      made.splice(0, madeFrom);
      madeFrom = 0;
    }
    return {
      path: `/v1/accounts/${encodeURIComponent(oldest.accountId)}/commitments/${encodeURIComponent(oldest.commitmentId)}/fulfil`,
      key: INTEGRATION_KEY,
      body: '{}',
      judge: ({ status }) => (status >= 200 && status <= 299 ? undefined : `HTTP ${status}`),
    };
  };

  const accountView = (): Request => ({
    path: '/graphql',
    key: LEADER_KEY,
    body: JSON.stringify({ query: ACCOUNT_VIEW, variables: { id: pick(accounts).id } }),
    judge: judgeGraphql('account'),
  });

  const portfolioPage = (): Request => ({
    path: '/graphql',
    key: LEADER_KEY,
    body: JSON.stringify({
      query: PORTFOLIO_PAGE,
      variables: { filter: pick(PORTFOLIO_FILTERS)(options.owners) },
    }),
    judge: judgeGraphql('accounts'),
  });

  const plan: Array<{ kind: Kind; rate: number; build: (dueAt: number) => Request | undefined }> = [
    { kind: 'touchpoints', rate: rates.ingest, build: touchpointBatch },
    { kind: 'commitment made', rate: rates.commitmentsMade, build: makeCommitment },
    { kind: 'commitment fulfilled', rate: rates.commitmentsFulfilled, build: fulfilCommitment },
    { kind: 'account view', rate: rates.accountViews, build: accountView },
    { kind: 'portfolio page', rate: rates.portfolioPages, build: portfolioPage },
  ];
  const issued = plan.map(() => 0);
  const pending = new Set<Promise<void>>();

  const send = async (kind: Kind, dueAt: number, request: Request): Promise<void> => {
    const sentAt = performance.now();
    let error: string | undefined;
    let sample: string | undefined;
    try {
      const response = await pool.request({
        path: request.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${request.key}` },
        body: request.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const answer = { status: response.statusCode, body: await response.body.text() };
      error = request.judge(answer);
      if (error) sample = `${answer.status}: ${answer.body.slice(0, 300)}`;
      else request.done?.();
    } catch (caught) {
      const name = (caught as { name?: string }).name;
      error = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : `network ${name ?? 'error'}`;
      sample = String(caught).slice(0, 300);
    }
    const answeredAt = performance.now();
    options.onOutcome({
      kind,
      dueAt,
      latencyMs: answeredAt - dueAt,
      lateMs: sentAt - dueAt,
      ...(error ? { error, sample } : {}),
    });
  };

  const endAt = options.startedAt + options.durationMs;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const tick = () => {
    const now = Math.min(performance.now(), endAt);
    plan.forEach(({ kind, rate, build }, i) => {
      if (rate <= 0) return;
      const interval = 1000 / rate;
      // Every request due by now is sent now, each timed from its own due instant.
      while (
        options.startedAt + issued[i] * interval <= now &&
        options.startedAt + issued[i] * interval < endAt
      ) {
        const dueAt = options.startedAt + issued[i] * interval;
        issued[i]++;
        const request = build(dueAt);
        if (!request) {
          skipped++;
          continue;
        }
        if ((inFlight.get(kind) ?? 0) >= MAX_IN_FLIGHT) {
          options.onOutcome({
            kind,
            dueAt,
            latencyMs: 0,
            lateMs: performance.now() - dueAt,
            error: `not sent: ${MAX_IN_FLIGHT} in flight`,
          });
          continue;
        }
        inFlight.set(kind, (inFlight.get(kind) ?? 0) + 1);
        const sending = send(kind, dueAt, request).finally(() => {
          inFlight.set(kind, (inFlight.get(kind) ?? 0) - 1);
          pending.delete(sending);
        });
        pending.add(sending);
      }
    });
    if (performance.now() >= endAt) {
      clearInterval(timer);
      void (async () => {
        while (pending.size) await Promise.all([...pending]);
        await pool.close();
        finish();
      })();
    }
  };
  const timer = setInterval(tick, TICK_MS);
  tick();
  return {
    skipped: () => skipped,
    inFlight: () => [...inFlight.values()].reduce((a, b) => a + b, 0),
    finished,
  };
}
