// npm run bench:soak [-- --minutes 10 --accounts 500 --ingest-rate 5 --batch-size 10
//   --negative-per-second 0.5 --commitment-rate 1 --fulfil-rate 1 --view-rate 20 --portfolio-rate 2
//   --subscribers 50 --baseline-minute 2] [--database-url postgres://…] [--separate-eventstore]
//   [--service-node-flags="--max-old-space-size=384 …"]: Node and V8 flags for the service's process
//   [--preload-touchpoints N]: recorded before the load (default: as many as the load will record)
//   [--no-write] [--report-only]: writes the section again from the last run's figures (data/bench-soak/)
// A soak: the service as deployed (`node dist/apps/api/src/main.js`, every role in one process,
// embedded event store and PGlite in a temporary DATA_DIR, or a fresh database on the PostgreSQL
// server named by --database-url or BENCH_DATABASE_URL) under a steady mixed load for minutes on
// end: REST ingestion, commitments made and fulfilled, GraphQL account views and portfolio pages,
// and riskAlerts subscribers connected throughout. Per minute: requests sent, answered properly and
// failed by kind, latency percentiles, notifications, the service's memory and CPU. The goals: no
// failed request, a p99 that does not drift, memory that stays flat after warm-up.
// The default rates keep the all-in-one service at about 0.7 of a core on 2 cores: a soak judges
// drift and leaks at a load the service sustains; past its capacity every request ends at the
// timeout and the figures only measure the queue (each touchpoint costs the service about 10 ms of
// CPU with every role in one process, so 200 touchpoints/s alone would need both cores).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { processCpu, waitQuiet } from '../support/processes.js';
import { codeVersion, fmt, machine, writeSection } from '../support/report.js';
import { freshPostgres, pgliteTarget, type ReadModelTarget } from '../read/children.js';
import {
  CHANNELS,
  KINDS,
  PILLARS,
  startLoad,
  type Account,
  type Kind,
  type MomentsSent,
  type Outcome,
  type Rates,
} from './load.js';
import {
  INTEGRATION_KEY,
  LEADER_KEY,
  descendantsOf,
  machineBusy,
  otherHeavyProcesses,
  rssOf,
  scrapeMetrics,
  startService,
  type MetricsSample,
  type Service,
} from './service.js';
import { report, type KindFigures, type Results, type Spread, type WindowFigures } from './soak-report.js';
import { Subscribers } from './subscribers.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    accounts: { type: 'string', default: '500' },
    'ingest-rate': { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '10' },
    'negative-per-second': { type: 'string', default: '0.5' },
    'commitment-rate': { type: 'string', default: '1' },
    'fulfil-rate': { type: 'string', default: '1' },
    'view-rate': { type: 'string', default: '20' },
    'portfolio-rate': { type: 'string', default: '2' },
    subscribers: { type: 'string', default: '50' },
    'baseline-minute': { type: 'string', default: '2' },
    'database-url': { type: 'string' },
    'separate-eventstore': { type: 'boolean', default: false },
    'service-node-flags': { type: 'string', default: '' },
    'preload-touchpoints': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
  },
});

function option(name: keyof typeof args, rule: 'whole' | 'rate', min: number): number {
  const raw = args[name];
  const value = Number(raw);
  const fits =
    rule === 'whole' ? Number.isInteger(value) && value >= min : Number.isFinite(value) && value >= min;
  if (!fits) {
    const what = rule === 'whole' ? 'a whole number' : 'a number';
    console.error(`--${name}: must be ${what}, at least ${min} (got "${String(raw)}")`);
    process.exit(2);
  }
  return value;
}
const MINUTES = option('minutes', 'whole', 1);
const ACCOUNTS = option('accounts', 'whole', 1);
const SUBSCRIBERS = option('subscribers', 'whole', 0);
const BASELINE_MINUTE = Math.min(option('baseline-minute', 'whole', 1), MINUTES);
const RATES: Rates = {
  ingest: option('ingest-rate', 'rate', 0),
  batchSize: option('batch-size', 'whole', 1),
  negativePerSecond: option('negative-per-second', 'rate', 0),
  commitmentsMade: option('commitment-rate', 'rate', 0),
  commitmentsFulfilled: option('fulfil-rate', 'rate', 0),
  accountViews: option('view-rate', 'rate', 0),
  portfolioPages: option('portfolio-rate', 'rate', 0),
};
/**
 * Touchpoints recorded before the load starts, by default as many as the load will record: the
 * run starts on a service with data, as a deployed one does, rather than on an empty store whose
 * bounded caches (the event log's page cache, the read model's memory, the command handlers'
 * states) fill up during the first minutes measured and pass for growth.
 */
const PRELOAD_TOUCHPOINTS =
  args['preload-touchpoints'] === undefined
    ? Math.round(RATES.ingest * RATES.batchSize * 60 * MINUTES)
    : option('preload-touchpoints', 'whole', 0);
if (RATES.batchSize > 1000) {
  console.error(`--batch-size: must be at most 1000, the API's limit per request (got ${RATES.batchSize})`);
  process.exit(2);
}
const DATABASE_URL = (args['database-url'] ?? process.env.BENCH_DATABASE_URL)?.trim() || undefined;
const WINDOW_MS = 60_000;
const RSS_EVERY_MS = 5_000;
const METRICS_EVERY_MS = 10_000;
/** After the last request, notifications still on their way are waited for this long. */
const DRAIN_MS = 15_000;
const RESULTS = join(process.cwd(), 'data', 'bench-soak', 'last-run.json');

const started = performance.now();
/** The code measured: read at the start, before anything in the tree can change while it runs. */
const CODE = codeVersion();
const log = (line: string) => console.log(`[${fmt((performance.now() - started) / 1000)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentiles. */
function spread(values: number[]): Spread {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] };
}

const TIERS = ['STRATEGIC', 'ENTERPRISE', 'ENTERPRISE', 'MIDMARKET', 'MIDMARKET', 'SMB'] as const;
const STAGES = ['DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'RENEWAL'] as const;

async function post(url: string, path: string, key: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Opens the accounts (batches of 500) and waits until the read model lists them all. */
async function openAccounts(url: string, run: string): Promise<{ accounts: Account[]; owners: string[] }> {
  const owners = Array.from({ length: 10 }, (_, i) => `am-soak-${i}`);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: `soak-${run}-a${String(i).padStart(4, '0')}`,
    name: `Soak account ${i}`,
    tier: TIERS[i % TIERS.length],
    stage: STAGES[i % STAGES.length],
    ownerId: owners[i % owners.length],
  }));
  for (let from = 0; from < accounts.length; from += 500) {
    const answer = (await post(url, '/v1/accounts', INTEGRATION_KEY, {
      accounts: accounts.slice(from, from + 500),
    })) as { results: Array<{ status: string }> };
    const refused = answer.results.filter((result) => result.status !== 'created');
    if (refused.length) throw new Error(`opening accounts: ${JSON.stringify(refused[0])}`);
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = (await post(url, '/graphql', LEADER_KEY, {
      query: '{ accounts(first: 1) { totalCount } }',
    })) as { data?: { accounts?: { totalCount: number } } };
    if ((answer.data?.accounts?.totalCount ?? 0) >= ACCOUNTS) break;
    if (Date.now() > deadline) throw new Error('the read model did not list the accounts within 120 s');
    await sleep(250);
  }
  return { accounts: accounts.map(({ id, ownerId }) => ({ id, ownerId })), owners };
}

/**
 * Records `count` touchpoints spread over the accounts (batches of 500, four requests in flight;
 * no negative moments of truth, so no alerts) and waits until every projection has applied them.
 */
async function preloadTouchpoints(
  url: string,
  accounts: readonly Account[],
  run: string,
  count: number,
): Promise<void> {
  const BATCH = 500;
  const sentiments = ['POSITIVE', 'POSITIVE', 'NEUTRAL', undefined];
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + BATCH);
      const occurredAt = new Date().toISOString();
      const touchpoints = Array.from({ length: next - from }, (_, i) => {
        const n = from + i;
        const account = accounts[n % accounts.length];
        const sentiment = sentiments[n % sentiments.length];
        return {
          touchpointId: `soak-${run}-p${n}`,
          accountId: account.id,
          occurredAt,
          channel: CHANNELS[n % CHANNELS.length],
          direction: n % 2 ? 'INBOUND' : 'OUTBOUND',
          pillar: PILLARS[n % PILLARS.length],
          actorId: account.ownerId,
          participants: ['customer-contact'],
          source: 'soak',
          summary: `Soak touchpoint recorded before the load ${n}`,
          ...(sentiment ? { sentiment } : {}),
        };
      });
      const answer = (await post(url, '/v1/touchpoints', INTEGRATION_KEY, { touchpoints })) as {
        results: Array<{ status: string }>;
      };
      const refused = answer.results.filter((result) => result.status !== 'created');
      if (refused.length) throw new Error(`preloading touchpoints: ${JSON.stringify(refused[0])}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, sender));
  // Caught up: every projection's lag measured as 0 twice in a row, neither measurement timed out
  // (a timed-out one leaves the gauge as it was, which may be an old 0).
  const deadline = Date.now() + 600_000;
  let previous = await scrapeMetrics(url);
  for (;;) {
    await sleep(500);
    const now = await scrapeMetrics(url);
    const measured = (now.collectorFailures ?? 0) === (previous.collectorFailures ?? 0);
    if (measured && now.projectionLag === 0 && previous.projectionLag === 0) return;
    if (Date.now() > deadline)
      throw new Error('the projections did not catch up with the preload within 10 min');
    previous = now;
  }
}

interface RssSample {
  /** ms since the load started (negative before). */
  readonly t: number;
  readonly service?: number;
  readonly descendants: number;
  readonly eventStore?: number;
}

interface Snapshot {
  readonly service: number;
  readonly eventStore?: number;
  readonly load: number;
  readonly machine?: number;
  readonly at: number;
}

function snapshot(service: Service): Snapshot {
  return {
    service: processCpu(service.child.pid) ?? 0,
    ...(service.eventStore ? { eventStore: processCpu(service.eventStore.child.pid) ?? 0 } : {}),
    load: processCpu(process.pid) ?? 0,
    machine: machineBusy(),
    at: performance.now(),
  };
}

function memoryNow(service: Service, metrics?: MetricsSample) {
  return {
    rss: rssOf(service.child.pid),
    ...(service.eventStore ? { eventStoreRss: rssOf(service.eventStore.child.pid) } : {}),
    ...(metrics?.heapUsed !== undefined ? { heapUsed: metrics.heapUsed } : {}),
    ...(metrics?.rss !== undefined ? { metricsRss: metrics.rss } : {}),
  };
}

async function run(): Promise<Results> {
  const root = mkdtempSync(join(tmpdir(), 'bench-soak-'));
  const runId = randomBytes(3).toString('hex');
  let target: ReadModelTarget | undefined;
  let service: Service | undefined;
  let subscribers: Subscribers | undefined;
  const stopAll = async () => {
    await subscribers?.close();
    await service?.stop();
    await target?.drop();
    rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    log('interrupted: stopping the service');
    void stopAll().finally(() => process.exit(130));
  });
  try {
    target = DATABASE_URL
      ? await freshPostgres(DATABASE_URL, join(root, 'data'))
      : pgliteTarget(join(root, 'data'));
    log(`starting the service (${target.name}${args['separate-eventstore'] ? ', event store apart' : ''})`);
    service = await startService(target.env, {
      separateEventStore: args['separate-eventstore'],
      dataDir: join(root, 'data'),
      nodeFlags: (args['service-node-flags'] ?? '').split(/\s+/).filter(Boolean),
    });
    const live = service;
    const atBoot = memoryNow(live, await scrapeMetrics(live.url).catch(() => undefined));
    log(`service live, RSS ${fmt((atBoot.rss ?? NaN) / 2 ** 20)} MiB`);

    const setupStarted = performance.now();
    const { accounts, owners } = await openAccounts(live.url, runId);
    const accountsSeconds = (performance.now() - setupStarted) / 1000;
    log(`${fmt(ACCOUNTS)} accounts opened and projected in ${fmt(accountsSeconds, 1)} s`);
    const preloadStarted = performance.now();
    await preloadTouchpoints(live.url, accounts, runId, PRELOAD_TOUCHPOINTS);
    const preloadSeconds = (performance.now() - preloadStarted) / 1000;
    log(
      `${fmt(PRELOAD_TOUCHPOINTS)} touchpoints recorded and projected before the load in ${fmt(preloadSeconds, 1)} s`,
    );

    const moments: MomentsSent = new Map();
    let loadStartedAt = Infinity;
    const windowOf = (at: number) =>
      at < loadStartedAt ? -1 : Math.min(MINUTES, Math.floor((at - loadStartedAt) / WINDOW_MS));
    subscribers = new Subscribers(live.url, SUBSCRIBERS, moments, windowOf);
    const connectStarted = performance.now();
    await subscribers.connect();
    for (let i = 0; i < 100; i++) {
      const count = (await scrapeMetrics(live.url).catch(() => undefined))?.subscribers;
      if (count === undefined || count >= SUBSCRIBERS) break;
      await sleep(100);
    }
    const subscribersSeconds = (performance.now() - connectStarted) / 1000;
    log(`${fmt(SUBSCRIBERS)} subscribers connected in ${fmt(subscribersSeconds, 1)} s`);
    await waitQuiet([live.child.pid, live.eventStore?.child.pid]);
    const atLoadStart = memoryNow(live, await scrapeMetrics(live.url).catch(() => undefined));

    // Sampling over the load: RSS every 5 s, /metrics every 10 s, CPU and other work at each minute.
    const rssSamples: RssSample[] = [];
    const metricsSamples: Array<MetricsSample & { t: number }> = [];
    let metricsFailures = 0;
    const own = new Set(
      [process.pid, live.child.pid, live.eventStore?.child.pid].filter((p) => p !== undefined),
    );
    const othersByWindow: string[][] = [];
    const sampleRss = () => {
      const descendants = descendantsOf(live.child.pid).reduce((sum, pid) => sum + (rssOf(pid) ?? 0), 0);
      rssSamples.push({
        t: performance.now() - loadStartedAt,
        service: rssOf(live.child.pid),
        descendants,
        eventStore: rssOf(live.eventStore?.child.pid),
      });
    };
    const sampleMetrics = async () => {
      try {
        const sample = await scrapeMetrics(live.url);
        metricsSamples.push({ ...sample, t: performance.now() - loadStartedAt });
      } catch {
        metricsFailures++;
      }
    };

    const outcomes: Outcome[][] = Array.from({ length: MINUTES }, () => []);
    const snapshots: Snapshot[] = [];
    log(
      `load for ${MINUTES} min: ${fmt(RATES.ingest, 1)} touchpoint batches of ${RATES.batchSize}/s, ` +
        `${fmt(RATES.commitmentsMade, 1)} commitments made and ${fmt(RATES.commitmentsFulfilled, 1)} fulfilled/s, ` +
        `${fmt(RATES.accountViews, 1)} account views/s, ${fmt(RATES.portfolioPages, 1)} portfolio pages/s`,
    );
    loadStartedAt = performance.now();
    snapshots.push(snapshot(live));
    sampleRss();
    void sampleMetrics();
    const rssTimer = setInterval(sampleRss, RSS_EVERY_MS);
    const metricsTimer = setInterval(() => void sampleMetrics(), METRICS_EVERY_MS);
    const load = startLoad({
      url: live.url,
      rates: RATES,
      accounts,
      owners,
      run: runId,
      durationMs: MINUTES * WINDOW_MS,
      windowMs: WINDOW_MS,
      startedAt: loadStartedAt,
      moments,
      onOutcome: (outcome) => {
        const window = Math.min(MINUTES - 1, Math.floor((outcome.dueAt - loadStartedAt) / WINDOW_MS));
        outcomes[window].push(outcome);
      },
    });
    const progress = (minute: number) => {
      const done = outcomes[minute - 1];
      const failed = done.filter((o) => o.error).length;
      const views = spread(done.filter((o) => o.kind === 'account view').map((o) => o.latencyMs));
      const rss = rssSamples.at(-1)?.service;
      log(
        `minute ${minute}: ${fmt(done.length)} answered so far, ${fmt(failed)} failed; account view p99 ` +
          `${fmt(views.p99)} ms; ${fmt(subscribers?.received.get(minute - 1) ?? 0)} notifications; ` +
          `RSS ${fmt((rss ?? NaN) / 2 ** 20)} MiB; ${fmt(load.inFlight())} in flight`,
      );
    };
    for (let minute = 1; minute <= MINUTES; minute++) {
      await sleep(Math.max(0, loadStartedAt + minute * WINDOW_MS - performance.now()));
      snapshots.push(snapshot(live));
      sampleRss();
      await sampleMetrics();
      othersByWindow.push(otherHeavyProcesses(own));
      progress(minute);
      const early = live.exitedEarly();
      if (early) throw new Error(early);
    }
    clearInterval(rssTimer);
    clearInterval(metricsTimer);
    await load.finished;
    const drainStarted = performance.now();
    await sleep(DRAIN_MS);
    const atEnd = memoryNow(live, await scrapeMetrics(live.url).catch(() => undefined));
    log(
      `load over; last answers in ${fmt((drainStarted - loadStartedAt) / 1000 - MINUTES * 60, 1)} s after the end`,
    );

    // Per minute: requests by their due instant, notifications by their arrival.
    const windows: WindowFigures[] = outcomes.map((done, w) => {
      const kinds = {} as Record<Kind, KindFigures>;
      for (const kind of KINDS) {
        const mine = done.filter((o) => o.kind === kind);
        const errors: Record<string, number> = {};
        for (const o of mine) if (o.error) errors[o.error] = (errors[o.error] ?? 0) + 1;
        kinds[kind] = {
          sent: mine.length,
          ok: mine.filter((o) => !o.error).length,
          errors,
          latency: spread(mine.filter((o) => !o.error?.startsWith('not sent')).map((o) => o.latencyMs)),
          lateP99: spread(mine.map((o) => o.lateMs)).p99,
        };
      }
      const from = w * WINDOW_MS;
      const to = (w + 1) * WINDOW_MS;
      const inWindow = <T extends { t: number }>(samples: T[]) =>
        samples.filter((s) => s.t > from && s.t <= to);
      const rss = inWindow(rssSamples);
      const metrics = inWindow(metricsSamples);
      const before = snapshots[w];
      const after = snapshots[w + 1];
      const seconds = (after.at - before.at) / 1000;
      const serviceCores = (after.service - before.service) / seconds;
      const eventStoreCores =
        after.eventStore !== undefined && before.eventStore !== undefined
          ? (after.eventStore - before.eventStore) / seconds
          : undefined;
      const loadCores = (after.load - before.load) / seconds;
      const restCores =
        after.machine !== undefined && before.machine !== undefined
          ? Math.max(
              0,
              (after.machine - before.machine) / seconds - serviceCores - (eventStoreCores ?? 0) - loadCores,
            )
          : undefined;
      const sentMoments = [...moments.entries()].filter(([, m]) => m.window === w);
      const heard = sentMoments.map(([summary]) => subscribers!.moments.get(summary));
      const lastOf = <T>(items: T[]) => items[items.length - 1];
      const heapUsed = metrics.map((s) => s.heapUsed).filter((v): v is number => v !== undefined);
      const heapLive = metrics.map((s) => s.heapLive).filter((v): v is number => v !== undefined);
      const lags = metrics.map((s) => s.eventLoopLagP99).filter((v): v is number => v !== undefined);
      const projectionLags = metrics.map((s) => s.projectionLag).filter((v): v is number => v !== undefined);
      const logs = live.logs.filter((entry) => {
        const at = entry.at - (performance.timeOrigin + loadStartedAt);
        return at > from && at <= to;
      });
      return {
        minute: w + 1,
        kinds,
        notifications: subscribers!.received.get(w) ?? 0,
        notificationsByKind: Object.fromEntries(subscribers!.byKind.get(w) ?? []),
        subscriberFailures: subscribers!.failures.filter((f) => f.window === w).length,
        moments: {
          sent: sentMoments.length,
          heardByAll: heard.filter((h) => h && h.count >= SUBSCRIBERS).length,
          first: spread(heard.map((h) => h?.firstMs ?? NaN)),
          last: spread(heard.map((h) => h?.lastMs ?? NaN)),
        },
        rss: {
          end: lastOf(rss)?.service ?? NaN,
          max: Math.max(...rss.map((s) => s.service ?? NaN)),
          descendants: lastOf(rss)?.descendants ?? 0,
          ...(live.eventStore ? { eventStore: lastOf(rss)?.eventStore ?? NaN } : {}),
        },
        ...(metrics.length
          ? {
              metrics: {
                rss: lastOf(metrics).rss ?? NaN,
                heapUsedEnd: lastOf(heapUsed) ?? NaN,
                heapTotalEnd: lastOf(metrics).heapTotal ?? NaN,
                heapLiveEnd: lastOf(heapLive) ?? NaN,
                externalEnd: lastOf(metrics).external ?? NaN,
                eventLoopLagP99Max: lags.length ? Math.max(...lags) * 1000 : NaN,
                projectionLagMax: projectionLags.length ? Math.max(...projectionLags) : NaN,
              },
            }
          : {}),
        cores: {
          service: serviceCores,
          ...(eventStoreCores !== undefined ? { eventStore: eventStoreCores } : {}),
          load: loadCores,
          ...(restCores !== undefined ? { rest: restCores } : {}),
        },
        serviceLog: {
          warnings: logs.filter((entry) => entry.level === 40).length,
          errors: logs.filter((entry) => entry.level >= 50).length,
        },
        othersSeen: othersByWindow[w] ?? [],
      };
    });

    const errorSamples: Record<string, string> = {};
    for (const done of outcomes) {
      for (const o of done) if (o.error && o.sample) errorSamples[`${o.kind}: ${o.error}`] ??= o.sample;
    }
    const deliveries = [...subscribers.deliveries.values()];
    // The minutes after warm-up in two halves of equal length (the middle one left out when odd).
    const halfLength = Math.floor((MINUTES - BASELINE_MINUTE + 1) / 2);
    const early = { from: BASELINE_MINUTE, to: BASELINE_MINUTE + halfLength - 1 };
    const late = { from: MINUTES - halfLength + 1, to: MINUTES };
    const pooled = (kind: Kind, from: number, to: number) =>
      spread(
        outcomes
          .slice(from - 1, to)
          .flat()
          .filter((o) => o.kind === kind && !o.error?.startsWith('not sent'))
          .map((o) => o.latencyMs),
      );
    const halves =
      halfLength > 0
        ? {
            early,
            late,
            byKind: Object.fromEntries(
              KINDS.map((kind) => [
                kind,
                { early: pooled(kind, early.from, early.to), late: pooled(kind, late.from, late.to) },
              ]),
            ),
          }
        : undefined;
    const results: Results = {
      command: `npm run bench:soak -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      code: CODE,
      readModel: target.name,
      separateEventStore: args['separate-eventstore'],
      minutes: MINUTES,
      baselineMinute: BASELINE_MINUTE,
      accounts: ACCOUNTS,
      subscribers: SUBSCRIBERS,
      rates: RATES,
      wallSeconds: 0,
      setup: { accountsSeconds, preloadTouchpoints: PRELOAD_TOUCHPOINTS, preloadSeconds, subscribersSeconds },
      memory: { atBoot, atLoadStart, atEnd },
      windows,
      ...(halves ? { halves } : {}),
      rssSamples: rssSamples.map((s) => [Math.round(s.t), s.service ?? null]),
      heapSamples: metricsSamples.map((s) => [Math.round(s.t), s.heapUsed ?? null]),
      totals: {
        skipped: load.skipped(),
        notificationsBeforeLoad: subscribers.received.get(-1) ?? 0,
        notificationsAfterLoad: subscribers.received.get(MINUTES) ?? 0,
        distinctNotifications: deliveries.length,
        notificationsNotAtEverySubscriber: deliveries.filter((count) => count < SUBSCRIBERS).length,
        subscriberFailures: subscribers.failures.map((f) => f.what).slice(0, 5),
        metricsFailures,
        errorSamples,
        serviceLogSamples: live.logs
          .filter((entry) => entry.level >= 40)
          .map((entry) => entry.line)
          .slice(0, 5),
      },
    };
    return results;
  } finally {
    const stopping = performance.now();
    await stopAll();
    log(`subscribers closed and service stopped in ${fmt((performance.now() - stopping) / 1000, 1)} s`);
  }
}

let results: Results;
if (args['report-only']) {
  if (!existsSync(RESULTS)) {
    console.error(`--report-only: no ${RESULTS}; run the benchmark first`);
    process.exit(2);
  }
  results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
} else {
  results = { ...(await run()), wallSeconds: (performance.now() - started) / 1000 };
  mkdirSync(join(process.cwd(), 'data', 'bench-soak'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(results, null, 2));
}

const body = report(results);
if (process.env.BENCH_NO_WRITE || args['no-write']) {
  console.log('(docs/benchmarks.md left as it is: --no-write or BENCH_NO_WRITE)');
} else writeSection('soak', body);
console.log(body);
// The gRPC channel and the HTTP pool may hold the event loop open a while longer.
process.exit(0);
