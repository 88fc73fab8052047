// The Soak section of docs/benchmarks.md, from a run's figures (also saved, so that it can be
// written again with --report-only).
import { fmt } from '../support/report.js';
import { KINDS, REQUEST_TIMEOUT_MS, type Kind, type Rates } from './load.js';

/** Milliseconds; NaN (null once saved) where nothing was measured. */
export interface Spread {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface KindFigures {
  readonly sent: number;
  readonly ok: number;
  /** Failed requests by cause (`HTTP 500`, `GraphQL INTERNAL`, `timeout`, ...). */
  readonly errors: Record<string, number>;
  /** From due to answered, every request that was sent (failed ones too). */
  readonly latency: Spread;
  /** From due to sent: how late the load generator was. */
  readonly lateP99: number;
}

export interface WindowFigures {
  readonly minute: number;
  readonly kinds: Record<Kind, KindFigures>;
  readonly notifications: number;
  readonly notificationsByKind: Record<string, number>;
  readonly subscriberFailures: number;
  /** Negative moments of truth sent in the minute: their alert at the first and at the last subscriber. */
  readonly moments: {
    readonly sent: number;
    readonly heardByAll: number;
    readonly first: Spread;
    readonly last: Spread;
  };
  /** VmRSS, bytes: the service at the minute's end and its most; its child processes; the event store apart. */
  readonly rss: {
    readonly end: number;
    readonly max: number;
    readonly descendants: number;
    readonly eventStore?: number;
  };
  /** From the service's /metrics. */
  readonly metrics?: {
    readonly rss: number;
    readonly heapUsedEnd: number;
    readonly heapTotalEnd: number;
    /** The heap after the last full garbage collection of the minute: the live set. */
    readonly heapLiveEnd: number;
    readonly externalEnd: number;
    readonly eventLoopLagP99Max: number;
    readonly projectionLagMax: number;
  };
  /** CPU seconds per wall second over the minute. */
  readonly cores: {
    readonly service: number;
    readonly eventStore?: number;
    readonly load: number;
    readonly rest?: number;
  };
  readonly serviceLog: { readonly warnings: number; readonly errors: number };
  /** Test runs and other benchmarks seen on the machine at the minute's end. */
  readonly othersSeen: string[];
}

interface Memory {
  readonly rss?: number;
  readonly eventStoreRss?: number;
  readonly heapUsed?: number;
  readonly metricsRss?: number;
}

export interface Results {
  readonly command: string;
  readonly date: string;
  readonly machine: string;
  readonly code: string;
  readonly readModel: string;
  readonly separateEventStore: boolean;
  readonly minutes: number;
  readonly baselineMinute: number;
  readonly accounts: number;
  readonly subscribers: number;
  readonly rates: Rates;
  readonly wallSeconds: number;
  readonly setup: {
    readonly accountsSeconds: number;
    /** Touchpoints recorded before the load (absent from runs before it existed: none). */
    readonly preloadTouchpoints?: number;
    readonly preloadSeconds?: number;
    readonly subscribersSeconds: number;
  };
  readonly memory: { readonly atBoot: Memory; readonly atLoadStart: Memory; readonly atEnd: Memory };
  readonly windows: WindowFigures[];
  /**
   * Latency of each kind pooled over the first and the last half of the minutes after warm-up
   * (absent from runs before it existed): a few hundred requests each, where a minute's p99 of a
   * kind sent once a second is nearly its slowest request.
   */
  readonly halves?: {
    readonly early: { readonly from: number; readonly to: number };
    readonly late: { readonly from: number; readonly to: number };
    readonly byKind: Partial<Record<Kind, { readonly early: Spread; readonly late: Spread }>>;
  };
  /** [ms since the load started, bytes]. */
  readonly rssSamples: Array<[number, number | null]>;
  readonly heapSamples: Array<[number, number | null]>;
  readonly totals: {
    /** Fulfilments due before any commitment was old enough to fulfil (not sent, not failures). */
    readonly skipped: number;
    readonly notificationsBeforeLoad: number;
    readonly notificationsAfterLoad: number;
    readonly distinctNotifications: number;
    readonly notificationsNotAtEverySubscriber: number;
    readonly subscriberFailures: string[];
    readonly metricsFailures: number;
    readonly errorSamples: Record<string, string>;
    readonly serviceLogSamples: string[];
  };
}

/** A figure that may have been saved as null (NaN, ±Infinity). */
const num = (value: number | null | undefined): number =>
  value === null || value === undefined || !Number.isFinite(value) ? NaN : value;
const ms = (value: number | null | undefined) => (Number.isNaN(num(value)) ? '–' : fmt(num(value)));
const mib = (bytes: number | null | undefined, digits = 0) =>
  Number.isNaN(num(bytes)) ? '–' : fmt(num(bytes) / 2 ** 20, digits);
const cores = (value: number | null | undefined) => (Number.isNaN(num(value)) ? '–' : fmt(num(value), 2));
const dec = (value: number | null | undefined) => (Number.isNaN(num(value)) ? '–' : fmt(num(value), 1));
const pct = (part: number, whole: number) =>
  `${fmt((100 * part) / whole, whole && part / whole < 0.01 ? 2 : 1)}%`;

function ratio(values: number[]): number {
  const known = values.map(num).filter((v) => !Number.isNaN(v) && v > 0);
  return known.length ? Math.max(...known) / Math.min(...known) : NaN;
}

/** Least-squares slope of [ms, bytes] samples, in MiB per minute. */
function slope(samples: Array<[number, number | null]>): number {
  const points = samples.filter((s): s is [number, number] => s[1] !== null);
  if (points.length < 3) return NaN;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx ? (sxy / sxx) * (60_000 / 2 ** 20) : NaN;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function report(r: Results): string {
  const w = r.windows;
  const first = w[0];
  const last = w[w.length - 1];
  const base = w[r.baselineMinute - 1];
  const afterWarmUp = w.slice(r.baselineMinute - 1);
  const rate = r.rates;
  const kindTotals = KINDS.map((kind) => {
    const errors: Record<string, number> = {};
    for (const window of w) {
      for (const [cause, count] of Object.entries(window.kinds[kind].errors))
        errors[cause] = (errors[cause] ?? 0) + count;
    }
    return {
      kind,
      sent: sum(w.map((x) => x.kinds[kind].sent)),
      ok: sum(w.map((x) => x.kinds[kind].ok)),
      errors,
      p99First: num(first.kinds[kind].latency.p99),
      p99Last: num(last.kinds[kind].latency.p99),
      p99Base: num(base.kinds[kind].latency.p99),
      ratioAll: ratio(w.map((x) => x.kinds[kind].latency.p99)),
      ratioAfter: ratio(afterWarmUp.map((x) => x.kinds[kind].latency.p99)),
      p99Early: num(r.halves?.byKind[kind]?.early.p99),
      p99Late: num(r.halves?.byKind[kind]?.late.p99),
      p99Max: Math.max(...w.map((x) => num(x.kinds[kind].latency.p99)).filter((v) => !Number.isNaN(v))),
    };
  }).filter((k) => k.sent > 0);
  const sent = sum(kindTotals.map((k) => k.sent));
  const ok = sum(kindTotals.map((k) => k.ok));
  const failed = sent - ok;
  const causes = kindTotals.flatMap((k) =>
    Object.entries(k.errors).map(([cause, count]) => ({ kind: k.kind, cause, count })),
  );
  causes.sort((a, b) => b.count - a.count);

  const touchpoints = sum(w.map((x) => x.kinds.touchpoints.ok)) * rate.batchSize;
  const notifications = sum(w.map((x) => x.notifications)) + r.totals.notificationsAfterLoad;
  const momentsSent = sum(w.map((x) => x.moments.sent));
  const momentsHeard = sum(w.map((x) => x.moments.heardByAll));
  const subscriberFailures = sum(w.map((x) => x.subscriberFailures));
  const rssBase = num(base.rss.end);
  const rssEnd = num(last.rss.end);
  const rssGrowth = rssEnd - rssBase;
  const rssSlope = slope(r.rssSamples.filter(([t]) => t >= r.baselineMinute * 60_000));
  const heapBase = num(base.metrics?.heapLiveEnd);
  const heapEnd = num(last.metrics?.heapLiveEnd);
  const committedBase = num(base.metrics?.heapTotalEnd);
  const committedEnd = num(last.metrics?.heapTotalEnd);
  const rest = w.map((x) => num(x.cores.rest)).filter((v) => !Number.isNaN(v));
  const restMean = rest.length ? sum(rest) / rest.length : NaN;
  const restMax = rest.length ? Math.max(...rest) : NaN;
  const othersSeen = [...new Set(w.flatMap((x) => x.othersSeen))];
  const minutesWithOthers = w.filter((x) => x.othersSeen.length).map((x) => x.minute);
  const logWarnings = sum(w.map((x) => x.serviceLog.warnings));
  const logErrors = sum(w.map((x) => x.serviceLog.errors));

  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out('## Soak (`npm run bench:soak`)');
  out();
  out(
    `Machine: ${r.machine}; 2 cores shared with other people's work (tests, benchmarks), so the "rest of the machine" ` +
      `column says how busy it was besides this run. Date: ${r.date}. Command: \`${r.command}\`. Code: ${r.code}. ` +
      `Whole run: ${fmt(r.wallSeconds / 60, 1)} min.`,
  );
  out();
  out(
    `The service as deployed in one process (\`node dist/apps/api/src/main.js\`, \`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, ` +
      `\`RATE_LIMIT_PER_MINUTE=0\` since one key drives all the load; every role: ` +
      `${r.separateEventStore ? 'the event store in its own process (`EVENTSTORE_CONNECTION_STRING`)' : 'the embedded event store'}, ` +
      `${r.readModel === 'PGlite' ? 'PGlite (its worker thread) in a temporary DATA_DIR' : 'a fresh PostgreSQL database'}, ` +
      `projectors, alert policy, deadline monitor every 5 s, GraphQL over HTTP and WebSocket) in a child process. ` +
      `${fmt(r.accounts)} accounts are opened first (\`POST /v1/accounts\`, ${fmt(r.setup.accountsSeconds, 1)} s until the read model listed them), ` +
      `${
        r.setup.preloadTouchpoints
          ? `${fmt(r.setup.preloadTouchpoints)} touchpoints are recorded in them (batches of 500, ${fmt(r.setup.preloadSeconds ?? NaN, 1)} s until every projection had applied them) ` +
            `so that the load meets a service with data, its caches warm, as a deployed one would be, `
          : ''
      }` +
      `then ${fmt(r.subscribers)} \`riskAlerts\` subscribers connect (graphql-ws, a leader's key, no filter: every alert event) and stay ` +
      `connected to the end. For ${r.minutes} min the benchmark process sends, open-loop at fixed rates whatever the answers: ` +
      `${fmt(rate.ingest, 1)}/s \`POST /v1/touchpoints\` of ${rate.batchSize} touchpoints to random accounts ` +
      `(${fmt(rate.negativePerSecond, 1)}/s of them negative moments of truth, each raising a NEGATIVE_MOMENT_OF_TRUTH alert that later ` +
      `positive touches resolve), ${fmt(rate.commitmentsMade, 1)}/s \`POST /v1/commitments\` (due in 1–72 h: two in three raise ` +
      `COMMITMENT_DUE_SOON) and ${fmt(rate.commitmentsFulfilled, 1)}/s \`POST …/fulfil\` of commitments made at least 5 s before, ` +
      `${fmt(rate.accountViews, 1)}/s GraphQL account views (\`ACCOUNT_VIEW\` of the read benchmark, random account) and ` +
      `${fmt(rate.portfolioPages, 1)}/s portfolio pages (\`PORTFOLIO_PAGE\`, 50 accounts by health, one of five filters). ` +
      `${fmt(touchpoints)} touchpoints were recorded over the run, about ${fmt(touchpoints / r.accounts)} per account${
        r.setup.preloadTouchpoints
          ? ` (${fmt((touchpoints + r.setup.preloadTouchpoints) / r.accounts)} with those recorded before)`
          : ''
      }, so the data ` +
      `each view reads grows as the run goes on. A request counts in the minute it was due and is timed from that instant to ` +
      `its answer read in full (a late load generator counts against the service, not for it); it fails on any status other ` +
      `than 2xx, a GraphQL error or no data, an item not \`created\`, or no answer within ${REQUEST_TIMEOUT_MS / 1000} s. ` +
      `Memory: VmRSS of the service's process from \`/proc\` every 5 s and heap from its \`/metrics\` every 10 s.`,
  );
  out();
  out('|  | figure | goal |');
  out('| --- | ---: | --- |');
  out(
    `| requests sent / answered properly / **failed** | ${fmt(sent)} / ${fmt(ok)} / **${fmt(failed)}**${failed ? ` (${pct(failed, sent)})` : ''} | 0 failed |`,
  );
  if (causes.length) {
    out(
      `| failed, by kind and cause | ${causes
        .slice(0, 6)
        .map((c) => `${c.kind}: ${c.cause} × ${fmt(c.count)}`)
        .join('; ')} | |`,
    );
  }
  for (const k of kindTotals) {
    out(
      `| ${k.kind}: p99 ms, minute 1 / ${r.baselineMinute} / ${r.minutes}; max ÷ min over minutes (over ${r.baselineMinute}–${r.minutes}) | ` +
        `${ms(k.p99First)} / ${ms(k.p99Base)} / ${ms(k.p99Last)}; ${dec(k.ratioAll)} (${dec(k.ratioAfter)}) | |`,
    );
    if (r.halves) {
      const { early, late } = r.halves;
      out(
        `| ${k.kind}: p99 ms of minutes ${early.from}–${early.to} → of minutes ${late.from}–${late.to} (all their requests together) | ` +
          `${ms(k.p99Early)} → **${ms(k.p99Late)}** | stable: at most 1.5× |`,
      );
    }
  }
  out(
    `| negative moment of truth sent → its alert at the last subscriber, p99 ms, minute 1 / ${r.minutes}; heard by all | ` +
      `${ms(first.moments.last.p99)} / ${ms(last.moments.last.p99)}; ${fmt(momentsHeard)} of ${fmt(momentsSent)} | |`,
  );
  out(
    `| notifications received by the subscribers; distinct ones not received by every subscriber; subscriptions failed | ` +
      `${fmt(notifications)}; ${fmt(r.totals.notificationsNotAtEverySubscriber)} of ${fmt(r.totals.distinctNotifications)}; ${fmt(subscriberFailures)} | 0 lost, 0 failed |`,
  );
  out(
    `| service RSS MiB: booted / load starts / end of minute ${r.baselineMinute} / end of minute ${r.minutes} / 15 s after the load | ` +
      `${mib(r.memory.atBoot.rss)} / ${mib(r.memory.atLoadStart.rss)} / ${mib(rssBase)} / **${mib(rssEnd)}** / ${mib(r.memory.atEnd.rss)} | flat after warm-up |`,
  );
  out(
    `| service RSS from minute ${r.baselineMinute} to ${r.minutes}: change MiB (%); least-squares slope MiB/min | ` +
      `${Number.isNaN(rssGrowth) ? '–' : `${rssGrowth >= 0 ? '+' : ''}${mib(rssGrowth)}`} (${Number.isNaN(rssGrowth) ? '–' : pct(rssGrowth, rssBase)}); **${dec(rssSlope)}** | ≈ 0 |`,
  );
  out(
    `| V8 live heap MiB (in use after the last full garbage collection), end of minute ${r.baselineMinute} / of minute ${r.minutes} | ` +
      `${mib(heapBase)} / **${mib(heapEnd)}** | flat |`,
  );
  out(
    `| rest of the machine, cores: mean / busiest minute | ${cores(restMean)} / ${cores(restMax)} | ≈ 0 for clean figures |`,
  );
  out(`| service log lines at warn / error level | ${fmt(logWarnings)} / ${fmt(logErrors)} | 0 |`);
  out();

  const triple = (s: Spread) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
  const active = KINDS.filter((kind) => kindTotals.some((k) => k.kind === kind));
  out('Requests per minute (latency in ms, p50 / p95 / p99):');
  out();
  out(`| minute | sent | failed | ${active.join(' | ')} | load generator late, p99 ms |`);
  out(`| ---: | ---: | ---: | ${active.map(() => '---:').join(' | ')} | ---: |`);
  for (const x of w) {
    const s = sum(active.map((kind) => x.kinds[kind].sent));
    const o = sum(active.map((kind) => x.kinds[kind].ok));
    const late = Math.max(
      ...active.map((kind) => num(x.kinds[kind].lateP99)).filter((v) => !Number.isNaN(v)),
    );
    out(
      `| ${x.minute} | ${fmt(s)} | ${s - o ? `**${fmt(s - o)}**` : '0'} | ${active.map((kind) => triple(x.kinds[kind].latency)).join(' | ')} | ${ms(late)} |`,
    );
  }
  out();
  out('Subscribers, memory and CPU per minute:');
  out();
  out(
    '| minute | notifications | moment of truth → first / last subscriber, p99 ms | service RSS MiB, end (most) | V8 heap MiB, live / used / committed, end | ' +
      'event-loop lag p99, worst, ms | projection lag, events, most | cores: service / load generator / rest of the machine |',
  );
  out('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const x of w) {
    out(
      `| ${x.minute} | ${fmt(x.notifications)} | ${ms(x.moments.first.p99)} / ${ms(x.moments.last.p99)} | ${mib(x.rss.end)} (${mib(x.rss.max)}) | ` +
        `${mib(x.metrics?.heapLiveEnd)} / ${mib(x.metrics?.heapUsedEnd)} / ${mib(x.metrics?.heapTotalEnd)} | ${ms(x.metrics?.eventLoopLagP99Max)} | ` +
        `${Number.isNaN(num(x.metrics?.projectionLagMax)) ? '–' : fmt(num(x.metrics?.projectionLagMax))} | ` +
        `${cores(x.cores.service)} / ${cores(x.cores.load)} / ${cores(x.cores.rest)} |`,
    );
  }
  out();
  const kinds = Object.entries(
    w.reduce<Record<string, number>>((all, x) => {
      for (const [label, count] of Object.entries(x.notificationsByKind))
        all[label] = (all[label] ?? 0) + count;
      return all;
    }, {}),
  ).sort((a, b) => b[1] - a[1]);
  if (kinds.length) {
    out(
      `Notifications by alert kind and event: ${kinds.map(([label, count]) => `${label} ${fmt(count)}`).join(', ')}.`,
    );
    out();
  }
  if (Object.keys(r.totals.errorSamples).length) {
    out('A sample answer per failure cause:');
    out();
    for (const [cause, sample] of Object.entries(r.totals.errorSamples).slice(0, 8)) {
      out(`- ${cause}: \`${sample.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 240)}\``);
    }
    out();
  }
  if (othersSeen.length) {
    out(
      `Other tests and benchmarks seen on the machine at the end of minute${minutesWithOthers.length > 1 ? 's' : ''} ` +
        `${minutesWithOthers.join(', ')}: ${othersSeen
          .slice(0, 4)
          .map((c) => `\`${c.slice(0, 100)}\``)
          .join(', ')}` +
        `${othersSeen.length > 4 ? ` and ${othersSeen.length - 4} more` : ''}.`,
    );
    out();
  }

  out('### Verdict');
  out();
  out(
    verdict(r, {
      sent,
      failed,
      causes,
      kindTotals,
      rssBase,
      rssEnd,
      rssGrowth,
      rssSlope,
      heapBase,
      heapEnd,
      committedBase,
      committedEnd,
      restMean,
      restMax,
      minutesWithOthers,
      notificationLoss: r.totals.notificationsNotAtEverySubscriber,
      subscriberFailures,
      momentsSent,
      momentsHeard,
      touchpoints,
    }),
  );
  return lines.join('\n');
}

interface Facts {
  readonly sent: number;
  readonly failed: number;
  readonly causes: Array<{ kind: string; cause: string; count: number }>;
  readonly kindTotals: Array<{
    kind: string;
    p99First: number;
    p99Last: number;
    p99Base: number;
    ratioAll: number;
    ratioAfter: number;
    p99Early: number;
    p99Late: number;
    p99Max: number;
  }>;
  readonly rssBase: number;
  readonly rssEnd: number;
  readonly rssGrowth: number;
  readonly rssSlope: number;
  readonly heapBase: number;
  readonly heapEnd: number;
  /** V8's committed heap at the end of the baseline minute and of the last. */
  readonly committedBase: number;
  readonly committedEnd: number;
  readonly restMean: number;
  readonly restMax: number;
  readonly minutesWithOthers: number[];
  readonly notificationLoss: number;
  readonly subscriberFailures: number;
  readonly momentsSent: number;
  readonly momentsHeard: number;
  readonly touchpoints: number;
}

/** One paragraph, from the figures by fixed rules, so that it says the same of the same figures. */
function verdict(r: Results, f: Facts): string {
  const parts: string[] = [];
  parts.push(
    f.failed === 0
      ? `No request failed: ${fmt(f.sent)} of ${fmt(f.sent)} were answered properly over ${r.minutes} min.`
      : `${fmt(f.failed)} of ${fmt(f.sent)} requests failed (${pct(f.failed, f.sent)}; the goal is none), most of them ` +
          `${f.causes[0].kind}: ${f.causes[0].cause} (${fmt(f.causes[0].count)}).`,
  );
  // A p99 at the timeout is the timeout's, not the service's: such a run was over capacity.
  const capped = f.kindTotals.filter((k) => k.p99Max >= 0.9 * REQUEST_TIMEOUT_MS);
  // Drift is the later half's pooled p99 above 1.5 times the earlier half's; runs without halves
  // (older results) fall back to the per-minute p99s moving by more than a factor of 2.
  const drifts = (k: Facts['kindTotals'][number]) =>
    r.halves ? k.p99Late > 1.5 * k.p99Early : k.ratioAfter > 2;
  const drifting = f.kindTotals.filter(drifts);
  const steady = f.kindTotals.filter((k) => !drifts(k));
  if (r.minutes < r.baselineMinute + 2) {
    parts.push(
      `The run is too short to judge drift: fewer than 3 minutes after warm-up (account view p99 ${describe(f.kindTotals, 'account view')}).`,
    );
  }
  if (capped.length) {
    parts.push(
      `The service did not keep up with this load: ${capped.map((k) => k.kind).join(', ')} reached the ` +
        `${REQUEST_TIMEOUT_MS / 1000} s timeout at p99, so requests queued faster than they were answered and the ` +
        `latency figures say how long the queue was, not how fast a request is; stability cannot be judged from this run.`,
    );
  } else if (r.minutes < r.baselineMinute + 2) {
    // said above
  } else if (!drifting.length) {
    parts.push(
      r.halves
        ? `Latency held: no kind's p99 over minutes ${r.halves.late.from}–${r.halves.late.to} was more than 1.5 times its p99 over ` +
            `minutes ${r.halves.early.from}–${r.halves.early.to} (${f.kindTotals
              .map((k) => `${k.kind} ${ms(k.p99Early)} → ${ms(k.p99Late)} ms`)
              .join(
                ', ',
              )}); per minute, where a kind sent once a second has about 60 requests and its p99 is nearly ` +
            `its slowest one, the p99s moved by up to a factor of ` +
            `${dec(Math.max(...f.kindTotals.map((k) => k.ratioAfter).filter((v) => !Number.isNaN(v))))}.`
        : `Latency held: from minute ${r.baselineMinute} on, no kind's per-minute p99 moved by more than a factor of ` +
            `${dec(Math.max(...f.kindTotals.map((k) => k.ratioAfter).filter((v) => !Number.isNaN(v))))} ` +
            `(account view p99 ${describe(f.kindTotals, 'account view')}).`,
    );
  } else {
    parts.push(
      `Latency was not stable: ${drifting
        .map((k) =>
          r.halves
            ? `${k.kind} p99 went from ${ms(k.p99Early)} ms (minutes ${r.halves.early.from}–${r.halves.early.to}) to ${ms(k.p99Late)} ms (minutes ${r.halves.late.from}–${r.halves.late.to})`
            : `${k.kind} p99 went from ${ms(k.p99Base)} ms (minute ${r.baselineMinute}) to ${ms(k.p99Last)} ms (minute ${r.minutes}), worst ${ms(k.p99Max)} ms`,
        )
        .join('; ')}` +
        `${steady.length ? `, while ${steady.map((k) => k.kind).join(', ')} stayed within ${r.halves ? '1.5 times' : 'a factor of 2'}` : ''}.`,
    );
    const rising = r.halves ? drifting : drifting.filter((k) => k.p99Last > 1.5 * k.p99Base);
    if (rising.length) {
      parts.push(
        `A p99 that rises to the last minute rather than spiking and falling back points at something that grows ` +
          `with the run: the data each request reads (${fmt(f.touchpoints / r.accounts)} touchpoints per account by the end), a queue, or memory.`,
      );
    }
  }
  const growthShare = f.rssGrowth / f.rssBase;
  const heapGrowth = f.heapEnd - f.heapBase;
  if (Number.isNaN(growthShare)) {
    parts.push('Memory was not measured (no /proc).');
  } else if (r.minutes <= r.baselineMinute) {
    parts.push(
      `Memory cannot be judged either: the run ends at the minute it is compared from (RSS ${mib(f.rssEnd)} MiB at the end).`,
    );
  } else if (Math.abs(growthShare) <= 0.05) {
    parts.push(
      `Memory stayed flat after warm-up: RSS ${mib(f.rssBase)} MiB at the end of minute ${r.baselineMinute}, ${mib(f.rssEnd)} MiB at minute ${r.minutes} ` +
        `(slope ${dec(f.rssSlope)} MiB/min)${Number.isNaN(heapGrowth) ? '' : `, heap live set ${mib(f.heapBase)} → ${mib(f.heapEnd)} MiB`}.`,
    );
  } else {
    parts.push(
      `Memory ${f.rssGrowth > 0 ? 'grew' : 'shrank'} after warm-up: RSS ${mib(f.rssBase)} → ${mib(f.rssEnd)} MiB from minute ${r.baselineMinute} to ${r.minutes} ` +
        `(${pct(f.rssGrowth, f.rssBase)}, ${dec(f.rssSlope)} MiB/min, about ${fmt((f.rssSlope * 60) / 1024, 2)} GiB an hour if it went on)` +
        `${Number.isNaN(heapGrowth) ? '' : `; the V8 heap's live set went ${mib(f.heapBase)} → ${mib(f.heapEnd)} MiB`}, ` +
        `${
          !Number.isNaN(heapGrowth) && Math.abs(heapGrowth) >= 0.25 * Math.abs(f.rssGrowth)
            ? 'so the JavaScript heap accounts for much of it'
            : f.committedEnd - f.committedBase >= 0.5 * f.rssGrowth
              ? `and V8's committed heap ${mib(f.committedBase)} → ${mib(f.committedEnd)} MiB, so most of the growth is garbage V8 let accumulate before collecting, not live objects`
              : "so most of the growth is outside the JavaScript heap (PGlite's WebAssembly memory, which never shrinks, native buffers, the allocator)"
        }` +
        `; ${r.minutes} min cannot tell a leak from a working set that is still filling up with a growing data set.`,
    );
  }
  const momentsLate = f.momentsSent - f.momentsHeard;
  if (f.subscriberFailures || f.notificationLoss) {
    parts.push(
      `The subscribers saw ${fmt(f.subscriberFailures)} failures, and ${fmt(f.notificationLoss)} notifications reached some of them but not all.`,
    );
  } else {
    parts.push(
      'Every subscriber stayed connected, and every notification that reached one reached all of them.',
    );
  }
  if (momentsLate > 0) {
    parts.push(
      `But only ${fmt(f.momentsHeard)} of ${fmt(f.momentsSent)} negative moments of truth had their alert delivered to every ` +
        `subscriber by 15 s after the load: the alert path (policy, alerts projection, feed) fell behind.`,
    );
  } else if (f.momentsSent) {
    parts.push(
      `Every one of the ${fmt(f.momentsSent)} negative moments of truth had its alert delivered to every subscriber.`,
    );
  }
  parts.push(
    f.restMean > 0.25 || f.minutesWithOthers.length
      ? `The machine was shared: other work kept ${cores(f.restMean)} cores busy on average (${cores(f.restMax)} in the busiest minute)` +
          `${f.minutesWithOthers.length ? `, and tests or benchmarks were running at the end of ${f.minutesWithOthers.length} of ${r.minutes} minutes` : ''}, so latency includes waiting for a core.`
      : `The rest of the machine stayed nearly idle (${cores(f.restMean)} cores on average), so these figures are the service's own.`,
  );
  return parts.join(' ');
}

function describe(kinds: Facts['kindTotals'], kind: string): string {
  const k = kinds.find((x) => x.kind === kind);
  return k ? `${ms(k.p99First)} ms in minute 1, ${ms(k.p99Last)} ms in the last` : 'not measured';
}
