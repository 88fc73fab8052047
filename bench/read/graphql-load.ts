// GraphQL load for the read benchmark: autocannon in this process, the server in another, so
// the load generator and the server do not share an event loop.
import autocannon from 'autocannon';

import { processCpu } from '../support/processes.js';

/** A realistic account page: scalars, stage history, commitments and their stats, health with
 * its factors, the pillar balance and the first 20 timeline entries. */
export const ACCOUNT_VIEW = `query AccountView($id: ID!) {
  account(id: $id) {
    id name tier ownerId openedAt stage phase stageEnteredAt daysInStage cadenceDays
    lastTouchpointAt lastQualifyingTouchAt daysSinceLastQualifyingTouch silent silentSince touchpointCount
    stageHistory { stage enteredAt exitedAt reason lessons }
    commitmentStats { open overdue fulfilledOnTime fulfilledLate missed cancelled onTimeRate }
    health { score band factors { name points maxPoints detail } }
    pillarBalance { windowDays discovery service engagement }
    commitments { id title description ownerId madeAt dueAt status fulfilledAt onTime missedAt renegotiations }
    timeline(first: 20) {
      edges {
        cursor
        node {
          id type occurredAt recordedAt summary
          touchpoint { id channel direction pillar sentiment momentOfTruth stage summary actorId participants source }
          commitment { id title status dueAt }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** A portfolio page of 50, least healthy first, with a few fields of each account. */
export const PORTFOLIO_PAGE = `query Portfolio($filter: AccountFilter) {
  accounts(first: 50, orderBy: HEALTH_ASC, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name tier ownerId stage daysInStage lastTouchpointAt silent touchpointCount
        health { score band }
        commitmentStats { open overdue }
      }
    }
  }
}`;

export const FLOOR = '{ __typename }';

export interface Scenario {
  readonly name: string;
  /** A request body; called for every request. */
  body(): string;
  /** Whether an answer is a proper one (data, no errors). */
  check(body: string): boolean;
}

export interface LoadResult {
  readonly scenario: string;
  readonly seconds: number;
  readonly requests: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Answers with a status other than 200, GraphQL errors, or no data, plus transport errors and timeouts. */
  readonly failures: number;
  readonly failureSample?: string;
  /** Cores each process used over the phase. */
  readonly cores: { readonly load: number; readonly server: number };
  /** Of the accounts' facts asked for over the phase, the share the server held (`/metrics`). */
  readonly viewCacheHits?: number;
}

/** The server's account view cache lookups so far, by result (`/metrics`). */
async function viewCacheLookups(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const lookups = new Map<string, number>();
  for (const [, result, count] of text.matchAll(
    /^account_view_cache_lookups_total\{result="(\w+)"\} (\S+)$/gm,
  )) {
    lookups.set(result, Number(count));
  }
  return lookups;
}

export async function runLoad(
  url: string,
  key: string,
  scenario: Scenario,
  /** Seconds of load, or so many requests in all. */
  span: number | { readonly requests: number },
  connections: number,
  serverPid: number | undefined,
): Promise<LoadResult> {
  let failures = 0;
  let failureSample: string | undefined;
  const lookupsBefore = await viewCacheLookups(url);
  const cpuBefore = [processCpu(process.pid) ?? 0, processCpu(serverPid) ?? 0];
  const started = performance.now();
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections,
    pipelining: 1,
    ...(typeof span === 'number' ? { duration: span } : { amount: span.requests }),
    timeout: 30,
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: scenario.body() }),
        onResponse: (status, body) => {
          if (status === 200 && scenario.check(body)) return;
          failures++;
          failureSample ??= `HTTP ${status}: ${body.slice(0, 400)}`;
        },
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = [processCpu(process.pid) ?? 0, processCpu(serverPid) ?? 0];
  const lookupsAfter = await viewCacheLookups(url);
  const delta = (result: string) => (lookupsAfter.get(result) ?? 0) - (lookupsBefore.get(result) ?? 0);
  const lookups = delta('hit') + delta('miss') + delta('stale');
  const requests = result.requests.total;
  return {
    scenario: scenario.name,
    seconds: result.duration,
    requests,
    rate: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    failures: failures + result.errors + result.timeouts,
    failureSample,
    cores: {
      load: (cpuAfter[0] - cpuBefore[0]) / elapsed,
      server: (cpuAfter[1] - cpuBefore[1]) / elapsed,
    },
    ...(lookups > 0 ? { viewCacheHits: delta('hit') / lookups } : {}),
  };
}

const isAccountView = (body: string) => body.startsWith('{"data":{"account":{') && !body.includes('"errors"');

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/** The floor, the account view of a random account and a portfolio page. */
export function scenarios(accountIds: readonly string[], owners: readonly string[]): Scenario[] {
  const filters = [
    { stages: ['ACTIVE', 'RENEWAL'] },
    { healthBands: ['RED', 'AMBER'] },
    { tiers: ['ENTERPRISE', 'STRATEGIC'] },
    { silent: false, hasOverdueCommitments: true },
    () => ({ ownerId: pick(owners) }),
  ];
  return [
    {
      name: '`{ __typename }` (floor)',
      body: () => JSON.stringify({ query: FLOOR }),
      check: (body) => body.includes('"__typename":"Query"'),
    },
    {
      name: 'account view, random account',
      body: () => JSON.stringify({ query: ACCOUNT_VIEW, variables: { id: pick(accountIds) } }),
      check: isAccountView,
    },
    {
      name: 'portfolio page of 50, `HEALTH_ASC`, a filter',
      body: () => {
        const filter = pick(filters);
        return JSON.stringify({
          query: PORTFOLIO_PAGE,
          variables: { filter: typeof filter === 'function' ? filter() : filter },
        });
      },
      check: (body) => body.startsWith('{"data":{"accounts":{') && !body.includes('"errors"'),
    },
  ];
}

/** The account view of each account in turn: run for as many requests as there are accounts. */
export function everyAccountOnce(accountIds: readonly string[]): Scenario {
  let next = 0;
  return {
    name: 'account view, every account once',
    body: () =>
      JSON.stringify({ query: ACCOUNT_VIEW, variables: { id: accountIds[next++ % accountIds.length] } }),
    check: isAccountView,
  };
}

/**
 * ACCOUNT_VIEW_CACHE_MB with room for every account of the demo: its accounts take about 33 KB each
 * with their first 20-entry timeline page (the cache's own estimate), 40 KB leaves room.
 */
export function viewCacheMbFor(accounts: number): number {
  return Math.ceil((accounts * 40_000) / 2 ** 20);
}
