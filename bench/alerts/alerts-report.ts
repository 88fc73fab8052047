// The alerts benchmark's section of docs/benchmarks.md.
import type { ProfileSummary } from '../support/cpu-profile.js';
import { fmt } from '../support/report.js';
import type { ScanFigures, ScanRun } from './deadline-scan.js';
import { WAIT_AFTER_LAST_DUE_MS, type FanOutRun, type Spread } from './fan-out.js';

export interface ReportInput {
  readonly machine: string;
  readonly date: string;
  readonly command: string;
  /** The commit measured, and whether the working tree had changes to tracked files. */
  readonly code: string;
  readonly postgres: boolean;
  readonly wallSeconds: number;
  readonly due: number;
  readonly scans?: ScanRun[];
  readonly fanOuts: FanOutRun[];
}

const FAN_OUT_GOAL_MS = 1000;
const WAIT_AFTER_LAST_DUE_S = WAIT_AFTER_LAST_DUE_MS / 1000;
/** The plans shown: those of the queries the monitor's own partial indexes were made for. */
const PLANS_SHOWN = 3;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');
/** Whether a latency (null or Infinity: never arrived) is at most `limit`. */
const within = (n: number | null, limit: number) => n !== null && n <= limit;
const ms = (n: number, digits = 0) => (Number.isFinite(n) ? fmt(n, digits) : '–');
/** A latency: Infinity (null once saved) is one still under way when the window closed. */
const lat = (n: number | null) => (n === null || n === Infinity ? 'not yet' : ms(n));
/** The same with its unit, for sentences. */
const latMs = (n: number | null) =>
  n === null || n === Infinity ? 'not reached within the window' : `${ms(n)} ms`;
const triple = (s: Spread) => `${lat(s.p50)} / ${lat(s.p99)} / ${lat(s.max)}`;
const pair = (s: Spread) => `${lat(s.p50)} / ${lat(s.p99)}`;
/** `low-high` of the values, or the one value when they read the same. */
function span(values: number[], digits = 0): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '–';
  const [low, high] = [fmt(Math.min(...finite), digits), fmt(Math.max(...finite), digits)];
  return low === high ? low : `${low}-${high}`;
}

/** What a scan found and recorded (its numeric fields other than 0), whatever fields its result has. */
function described(result: Record<string, unknown>): string {
  const counts = Object.entries(result)
    .filter(([, value]) => typeof value === 'number' && value !== 0)
    .map(([key, value]) => `${key} ${fmt(value as number)}`);
  return counts.length ? counts.join(', ') : 'nothing';
}

/** The things a scan acted on: every count in its result except those of what it found. */
function handled(result: Record<string, unknown>): number {
  return Object.entries(result)
    .filter(([key, value]) => typeof value === 'number' && !key.endsWith('Found'))
    .reduce((sum, [, value]) => sum + (value as number), 0);
}

function scanSection(runs: ScanRun[], due: number, postgres: boolean): string {
  const sizes = runs[0]?.sizes ?? [];
  const scanRows = runs.flatMap((run) =>
    run.sizes.map(
      (s) =>
        `| ${run.target} | ${fmt(s.accounts)} | ${fmt(s.commitments)} | **${ms(s.first.ms)}**: ${described(s.first.result)} | ` +
        `${ms(s.next.ms)}: ${described(s.next.result)} | ` +
        `**${ms(s.repeated.medianMs, 1)}** (${ms(s.repeated.minMs, 1)} – ${ms(s.repeated.maxMs, 1)}): ${[...new Set(s.repeated.results.map(described))].join('; ')} |`,
    ),
  );
  const cpuRows = runs.flatMap((run) =>
    run.sizes.map((s) => {
      const perThing = s.first.ms / Math.max(1, handled(s.first.result));
      return (
        `| ${run.target} | ${fmt(s.accounts)} | ${ms(s.first.ms)} | ${fmt(handled(s.first.result))} | ${ms(perThing, 1)} | ` +
        `${fmt(s.firstCpu.process, 2)} | ${fmt(s.firstCpu.store, 2)} | ${s.firstCpu.database === undefined ? 'in the process (PGlite thread)' : fmt(s.firstCpu.database, 2)} | ${fmt(s.load[0], 1)} |`
      );
    }),
  );
  const queryNames = sizes[0]?.queries.map((q) => q.name) ?? [];
  const perSize = (run: ScanRun, pick: (s: ScanFigures) => string) => run.sizes.map(pick).join(' / ');
  const queryRows = runs.flatMap((run) =>
    queryNames.map((name, i) => {
      const uses = run.sizes.every((s) => s.queries[i]?.usesIndex);
      const withoutStats = run.sizes.every((s) => s.queries[i]?.usesIndexWithoutStatistics);
      const index = run.sizes[run.sizes.length - 1]?.queries[i]?.index ?? '';
      return (
        `| ${run.target} | ${name} | \`${index}\`: ${uses ? 'yes' : '**no**'} (before ANALYZE: ${withoutStats ? 'yes' : '**no**'}) | ` +
        `${perSize(run, (s) => fmt(s.queries[i]?.rows ?? 0))} | ` +
        `**${perSize(run, (s) => ms(s.queries[i]?.roundTripMs ?? NaN, 2))}** | ` +
        `${perSize(run, (s) => ms(s.queries[i]?.executionMs ?? NaN, 2))} | ` +
        `${perSize(run, (s) => ms(s.queries[i]?.withoutIndexMs ?? NaN, 1))} |`
      );
    }),
  );
  const sizeLabel = sizes.map((s) => fmt(s.accounts)).join(' / ');
  const plans = runs
    .map((run) => {
      const largest = run.sizes[run.sizes.length - 1];
      if (!largest) return '';
      const text = largest.queries
        .slice(0, PLANS_SHOWN)
        .map(
          (q) =>
            `-- ${q.name}\n${q.plan
              .split('\n')
              .filter((line) => !/^\s*(Planning|Buffers:)/.test(line))
              .join('\n')}`,
        )
        .join('\n\n');
      return `${run.target}, ${fmt(largest.accounts)} accounts:\n\n\`\`\`text\n${text}\n\`\`\``;
    })
    .filter(Boolean)
    .join('\n\n');
  const growth = runs
    .map((run) => {
      const [small, large] = [run.sizes[0], run.sizes[run.sizes.length - 1]];
      if (!small || !large || small === large) return '';
      const ratio = (a: number, b: number) => `${fmt(b / a, 1)}×`;
      const total = (s: ScanFigures, pick: (q: ScanFigures['queries'][number]) => number) =>
        s.queries.reduce((sum, q) => sum + pick(q), 0);
      const executing = (s: ScanFigures) => total(s, (q) => q.executionMs);
      const roundTrips = (s: ScanFigures) => total(s, (q) => q.roundTripMs);
      const unindexed = (s: ScanFigures) => total(s, (q) => q.withoutIndexMs);
      return (
        `${run.target}: at ${fmt(large.accounts / small.accounts)}× the accounts, the later scans take ${ratio(small.repeated.medianMs, large.repeated.medianMs)} ` +
        `as long and the first scan ${ratio(small.first.ms, large.first.ms)}; the ${small.queries.length} nomination queries execute in ` +
        `${ms(executing(small), 1)} → ${ms(executing(large), 1)} ms together (round trips ${ms(roundTrips(small), 1)} → ${ms(roundTrips(large), 1)} ms, ` +
        `which the shared machine's load moves more than the size does); without their indexes they would execute in ` +
        `${ms(unindexed(small))} → ${ms(unindexed(large))} ms (${ratio(unindexed(small), unindexed(large))}).`
      );
    })
    .filter(Boolean)
    .map((line) => `- ${line}`)
    .join('\n');
  return `### Deadline scan

\`DeadlineMonitor.scanOnce(now)\` at ${sizeLabel} accounts with the same things due. The API's application module in
the worker role (\`createApp\` with \`ROLES=projector\`, then \`init\`, not listening: account and alerts projectors, alert
policy, deadline and health monitors) runs in the benchmark process, against the embedded event store in its own
process (\`EventStoreProcess\`), with a fresh store and read model for each size: PGlite (in its worker thread) and
PostgreSQL (a new database on the local server${postgres ? '' : '; not run: no BENCH_DATABASE_URL or TEST_DATABASE_URL'}).

What is due goes through the commands, as in production, since the monitor's commands re-check each account's
stream: ${fmt(due)} accounts with a commitment overdue by 1-3 h, ${fmt(due)} with a commitment due within the next
1-47 h, ${fmt(due)} SMB accounts opened 120 days ago and never touched (past the 90-day cadence). The health monitor
then catches up on these new accounts (\`HealthMonitor.review\`, as the running monitor would have while they were
made). The rest of the portfolio is written straight into the read model with \`generate_series\`, as the projectors
and the monitor would have left it: silence deadlines 5-89 days ahead; three commitments each (one OPEN due 3-202
days ahead, one fulfilled on time and one fulfilled late after being missed, both due in the past, so that an index on
due dates alone would still hold them); the resolved COMMITMENT_MISSED alert of that miss; a current account version
the health monitor has seen; a health-watch row whose next review is 1-30 days ahead. Then \`ANALYZE\` (on PGlite the
projector analyzes by itself only after 20,000 projected events). The monitor's own timer is off
(\`RISK_SCAN_INTERVAL_MS\` of a day). The first scan records everything due (its commands run 8 at a time against the
account streams, whose states are cached from the setup). Health reviews run on a timer of their own, which is off
here as well, so the scans' figures are the deadlines' alone. The later scans find nothing to record. Each cell shows the scan's \`ScanResult\` as returned (its counts
other than 0); \`deadlinesArmed\` counts the due times and silence deadlines within two scan intervals (two days here:
the commitments due within 47 h) armed as timers, which fire after this benchmark has ended.

| read model | accounts | commitments | first scan, ms: found and recorded | next scan, ms: found and recorded | later scans, median ms (min – max): found and recorded |
|---|---:|---:|---|---|---|
${scanRows.join('\n')}

${growth}

The first scan's time is the commands it sends, one append each to the event store (durable before it returns): per
thing recorded it costs about the same at both sizes. CPU over the first scan, in seconds (the benchmark process holds the monitor, the projectors and the alert
policy, which apply what the scan records while it runs):

| read model | accounts | first scan, ms | recorded + reviewed | ms each | benchmark process CPU, s | event store CPU, s | PostgreSQL CPU, s | load average (1 min) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${cpuRows.join('\n')}

${firstScanNote(runs)}

The nomination queries as the monitor builds them (drizzle; the monitor's limit of 1,000 rows, the health monitor's
chunk of 50), before the first scan: round trip through drizzle and node-postgres as the monitor sends them (median of
runs), PostgreSQL's execution time from \`EXPLAIN ANALYZE\`, and the execution time of the same query with index scans
turned off (\`enable_indexscan\`, \`enable_bitmapscan\`, \`enable_indexonlyscan\`): what it would cost without its partial
index. Per portfolio size (${sizeLabel} accounts).

| read model | query | partial index in the plan | rows | round trip, ms | executing, ms | without the index, ms |
|---|---|---|---:|---:|---:|---:|
${queryRows.join('\n')}

The plans at the larger size (\`EXPLAIN (ANALYZE, COSTS OFF)\`, buffers left out) of the queries the partial indexes
\`commitments_open_due_idx\` and \`accounts_silence_deadline_idx\` serve:

${plans}
`;
}

/** Whether the first scans waited or computed: the CPU all processes spent over their wall time. */
function firstScanNote(runs: ScanRun[]): string {
  return runs
    .map((run) => {
      const shares = run.sizes.map((s) => {
        const cpu = s.firstCpu.process + s.firstCpu.store + (s.firstCpu.database ?? 0);
        return cpu / (s.first.ms / 1000);
      });
      const busy = Math.max(...shares) >= 0.8;
      const database =
        run.target === 'PGlite'
          ? "PGlite's database work, in this process's worker thread"
          : "PostgreSQL's backends";
      return (
        `- ${run.target}: the processes involved used ${span(shares, 1)} cores over the first scan` +
        (busy
          ? ` (of the machine's 2, shared): mostly CPU, that of the commands, of the projectors and the policy applying ` +
            `what the scan records meanwhile, and ${database}; other work on the machine slows it as much.`
          : `: it mostly waits (each command's append is durable before it returns, 8 in flight; the health reviews go ` +
            `one account after another, 50 per transaction).`)
      );
    })
    .join('\n');
}

function busyShares(summary: ProfileSummary, top = 10): string {
  const busy = summary.totalMs - (summary.areas.find(([a]) => a === 'idle')?.[1] ?? 0);
  return summary.areas
    .filter(([a]) => a !== 'idle')
    .slice(0, top)
    .map(([a, t]) => `| ${a} | ${fmt((100 * t) / busy)}% |`)
    .join('\n');
}

/** Server CPU per commitment over the window, ms (everything the server did, divided). */
const cpuPerCommitment = (r: FanOutRun) => (r.cores.server * r.windowSeconds * 1e3) / r.options.commitments;
/** Server CPU per notification delivered over the window, µs (everything the server did, divided). */
const cpuPerDelivery = (r: FanOutRun) => (r.cores.server * r.windowSeconds * 1e6) / Math.max(1, r.deliveries);

function fanOutSection(runs: FanOutRun[]): string {
  const main = runs.filter((r) => !r.options.control);
  if (main.length === 0) return '';
  const shown = [...main, ...runs.filter((r) => r.options.control)];
  const profiled = runs.find((r) => r.options.profile && r.profile);
  const o = main[0].options;
  const goalMs = o.scanIntervalMs + 1000;
  const label = (r: FanOutRun) =>
    `${r.target}${r.options.control ? `, ${fmt(r.options.subscribers)} subscribers (control)` : ''}`;
  const cells = (pick: (r: FanOutRun) => string) => shown.map((r) => ` ${pick(r)} |`).join('');
  const header = `| | ${shown.map(label).join(' | ')} |\n|---|${shown.map(() => '---:|').join('')}`;
  const rows = [
    `| commitments whose notification reached every subscriber |${cells((r) => `${fmt(r.complete)} / ${fmt(r.options.commitments)}${r.missingArrivals ? ` (${fmt(r.missingArrivals)} arrivals missing)` : ''}`)}`,
    `| due → first subscriber, ms: p50 / p99 / max |${cells((r) => triple(r.firstArrival))}`,
    `| due → last subscriber, ms: p50 / p99 / max |${cells((r) => `**${triple(r.lastArrival)}**`)}`,
    `| fan-out (last − first subscriber, of those that reached one), ms: p50 / p99 / max |${cells((r) => `**${triple(r.fanOut)}**`)}`,
    `| due → first subscriber, p50 of the first / the last tenth of the commitments, ms |${cells((r) => `${lat(r.tenths.first)} / ${lat(r.tenths.last)}`)}`,
    `| stage: due → recorded missed (the timer the scan before armed, or a scan; the command), ms: p50 / p99 |${cells((r) => (r.stages ? pair(r.stages.missed) : '–'))}`,
    `| stage: missed → alert raised (alert policy), ms: p50 / p99 |${cells((r) => (r.stages ? pair(r.stages.raised) : '–'))}`,
    `| stage: raised → first subscriber (alerts projection, feed poll, delivery), ms: p50 / p99 |${cells((r) => (r.stages ? pair(r.stages.delivered) : '–'))}`,
    `| monitor scans that recorded something: count; duration p50 / max, ms; start to start p50 / max, ms |${cells((r) => (r.scans ? `${fmt(r.scans.count)}; ${ms(r.scans.durationMs.p50)} / ${ms(r.scans.durationMs.max)}; ${ms(r.scans.periodMs.p50)} / ${ms(r.scans.periodMs.max)}` : '–'))}`,
    `| server process, cores (CPU s / wall s over the window) |${cells((r) => fmt(r.cores.server, 2))}`,
    `| server CPU per commitment, ms (all its work, divided) |${cells((r) => fmt(cpuPerCommitment(r), 1))}`,
    `| server CPU per notification delivered, µs (all its work, divided) |${cells((r) => fmt(cpuPerDelivery(r)))}`,
    `| server main thread busy (event-loop utilisation), mean / worst second |${cells((r) => (r.serverLoop ? `${fmt(100 * r.serverLoop.eluMean)}% / ${fmt(100 * r.serverLoop.eluMax)}%` : '–'))}`,
    `| server timers late, worst second's p99, ms |${cells((r) => (r.serverLoop ? ms(r.serverLoop.delayP99Max) : '–'))}`,
    `| subscriber process, cores |${cells((r) => fmt(r.cores.subscribers, 2))}`,
    `| subscriber process timers late, ms: p50 / p99 / max |${cells((r) => `${ms(r.subscriberLoop.p50, 1)} / ${ms(r.subscriberLoop.p99, 1)} / ${ms(r.subscriberLoop.max)}`)}`,
    `| rest of the machine (other people's work), cores |${cells((r) => (r.otherCores === undefined ? '–' : fmt(r.otherCores, 2)))}`,
    `| measured window, s (first due instant to last arrival, or ${fmt(WAIT_AFTER_LAST_DUE_S)} s after the last due instant) |${cells((r) => fmt(r.windowSeconds, 1))}`,
    `| one commitment at a time on a quiet server (5 probes): due → first / last subscriber, median ms |${cells((r) => `${ms(r.probe.firstMs)} / ${ms(r.probe.lastMs)}`)}`,
    `| setup: subscribers connected in, s; server cores over the 2 s before the first due instant |${cells((r) => `${fmt(r.connectSeconds, 1)}; ${fmt(r.quietCores, 2)}`)}`,
  ];
  const goals = main
    .map(
      (r) =>
        `- ${r.target}: p99 due → last subscriber **${latMs(r.lastArrival.p99)}** (goal ≤ ${fmt(goalMs)} ms, the scan interval + 1 s: ${met(within(r.lastArrival.p99, goalMs))}; ` +
        `to the first subscriber p99 ${latMs(r.firstArrival.p99)}: ${met(within(r.firstArrival.p99, goalMs))}); fan-out p99 **${latMs(r.fanOut.p99)}**, ` +
        `max ${latMs(r.fanOut.max)} (goal < ${fmt(FAN_OUT_GOAL_MS)} ms: ${met(within(r.fanOut.p99, FAN_OUT_GOAL_MS - 1))} at p99, ${met(within(r.fanOut.max, FAN_OUT_GOAL_MS - 1))} at max).`,
    )
    .concat(
      runs
        .filter((r) => r.options.control)
        .map(
          (r) =>
            `- ${label(r)}: p99 due → last subscriber ${latMs(r.lastArrival.p99)} (${met(within(r.lastArrival.p99, goalMs))} against the same goal).`,
        ),
    )
    .join('\n');
  const profile = profiled?.profile
    ? `

A CPU profile of the server's main thread over the ${profiled.target} run's window (\`--profile\`: the inspector's
sampling profiler, started and stopped by signal around the window), shares of busy time:

| ${profiled.target} server, main thread (busy ${fmt((profiled.profile.totalMs - (profiled.profile.areas.find(([a]) => a === 'idle')?.[1] ?? 0)) / 1000, 1)} s of ${fmt(profiled.profile.totalMs / 1000, 1)} s) | share |
|---|---:|
${busyShares(profiled.profile)}

| function | area | ms |
|---|---|---:|
${profiled.profile.top.map((f) => `| \`${f.name}\` | ${f.area} | ${fmt(f.ms)} |`).join('\n')}`
    : '';
  return `### Latency and fan-out

The API as \`npm start\` runs it (\`node dist/apps/api/src/main.js\`, every role in one process: the embedded event
store, account and alerts projectors, alert policy, deadline and health monitors with \`RISK_SCAN_INTERVAL_MS=${o.scanIntervalMs}\`,
GraphQL; \`NODE_ENV=production\`; \`LOG_LEVEL=info\`, so that the monitor logs each scan that records something) in a
child process: PGlite (its worker thread) in a temporary DATA_DIR, or a new PostgreSQL database. The benchmark process
opens ${fmt(o.subscribers)} WebSocket connections (\`graphql-ws\` clients, graphql-transport-ws, an admin key in
\`connection_init\`), each subscribed to \`riskAlerts(filter: { kinds: [COMMITMENT_MISSED] })\`, and stamps each
notification as it arrives; the server runs no subscriber code. Setup: ${fmt(o.commitments)} accounts through
\`POST /v1/accounts\`, the subscribers in waves of 50, 5 probe commitments one at a time (each due 1.5 s after it is
made, heard by every subscriber before the next: every subscription is live, and they give the path's latency on a quiet
server), then ${fmt(o.commitments)} commitments through \`POST /v1/commitments\`, one per account, due at instants spread
evenly over ${fmt(o.spanSeconds)} s (one every ${fmt((o.spanSeconds * 1000) / o.commitments)} ms), the first ${fmt(o.leadSeconds)} s later:
being due within 48 h, they get their COMMITMENT_DUE_SOON alerts at once, and the server is left to settle (under 0.2
cores) before the first is due. For each commitment: the time from its due instant to its COMMITMENT_MISSED RAISED
notification at the first and at the last subscriber, and the spread between the two; percentiles over the
${fmt(o.commitments)} commitments; "not yet" is a commitment still under way when the benchmark stopped waiting,
${fmt(WAIT_AFTER_LAST_DUE_S)} s after the last due instant. The stages use the commitment's \`missedAt\` (when the monitor's command decided) and the
alert's \`raisedAt\` (when the policy's command decided). The server's event-loop figures come from a preload
(\`bench/alerts/loop-preload.ts\`) sampling it every second. The server and the subscribers share the 2 cores with
whatever else the machine runs (the "rest of the machine" row: all CPU time in \`/proc/stat\` less these two processes).

${header}
${rows.join('\n')}

${goals}${profile}

${fanOutAnalysis(
  main,
  runs.find((r) => r.options.control),
  profiled,
)}
`;
}

const share = (summary: ProfileSummary | undefined, area: RegExp): string => {
  if (!summary) return '';
  const busy = summary.totalMs - (summary.areas.find(([a]) => a === 'idle')?.[1] ?? 0);
  const ms = summary.areas.filter(([a]) => area.test(a)).reduce((sum, [, t]) => sum + t, 0);
  return `${fmt((100 * ms) / busy)}%`;
};

/** Where the time goes, from the figures above; the mechanisms named are those of the code measured. */
function fanOutAnalysis(
  main: FanOutRun[],
  control: FanOutRun | undefined,
  profiled: FanOutRun | undefined,
): string {
  const o = main[0].options;
  const goalMs = o.scanIntervalMs + 1000;
  if (main.every((r) => within(r.lastArrival.p99, goalMs) && within(r.fanOut.p99, FAN_OUT_GOAL_MS - 1)))
    return '';
  const range = (pick: (r: FanOutRun) => number | null, digits = 0) =>
    span(
      main.map((r) => pick(r) ?? Infinity),
      digits,
    );
  const rate = o.commitments / o.spanSeconds;
  const lines = [
    `#### Where the time goes`,
    `- **The fan-out itself meets its goal.** Once a notification is in the feed it reaches all ${fmt(o.subscribers)} ` +
      `subscribers within ${range((r) => r.fanOut.p99)} ms (p99; ${range((r) => r.fanOut.max)} ms at worst, among the ` +
      `commitments every subscriber heard of before the window closed). The subscriber ` +
      `process used ${range((r) => r.cores.subscribers, 2)} cores and its timers ran ${range((r) => r.subscriberLoop.p99, 1)} ms late at p99, ` +
      `${range((r) => r.subscriberLoop.max)} ms at worst: a stamp is late by no more than that.`,
    (main.every((r) => (r.tenths.last ?? Infinity) <= 1.5 * (r.tenths.first ?? Infinity))
      ? `- **The path keeps up with ${fmt(rate)} commitments a second: no backlog builds.** `
      : `- **The path does not keep up with ${fmt(rate)} commitments a second, so a backlog builds.** `) +
      `One commitment at a time on a quiet server takes ${range((r) => r.probe.lastMs)} ms to reach the last ` +
      `subscriber. Under the load, the first tenth of the commitments reached their first subscriber after ` +
      `${range((r) => r.tenths.first)} ms (p50) and the last tenth ` +
      (main.some((r) => !Number.isFinite(r.tenths.last ?? Infinity))
        ? `had mostly not arrived when the window closed`
        : `after ${range((r) => r.tenths.last)} ms`) +
      `; the measured window ran ${range((r) => r.windowSeconds)} s for commitments due over ${fmt(o.spanSeconds)} s. ` +
      `A commitment is recorded missed by the timer a scan (every ${fmt(o.scanIntervalMs)} ms) armed for its due ` +
      `instant, or failing that by the next scan; then come the stages after it, in the table above.`,
  ];
  if (control) {
    lines.push(
      `- **Even with ${fmt(control.options.subscribers)} subscribers the goal is ${within(control.lastArrival.p99, goalMs) ? 'met' : 'missed'} ` +
        `(p99 ${latMs(control.lastArrival.p99)}).** The server spends about ${fmt(cpuPerCommitment(control), 1)} ms of CPU per ` +
        `commitment there (${fmt((cpuPerCommitment(control) * rate) / 1000, 2)} cores at ${fmt(rate)} a second), on one event loop: ` +
        `the scan that records the miss and re-checks every commitment due within 48 h; the health reviews of the ` +
        `accounts that changed (on a timer of their own, 50 per transaction); the miss appended; the account projection; the policy ` +
        `(the alert raised, the due-soon alert resolved); the alert events projected and the accounts refreshed for their open ` +
        `alerts, which the next health review then looks at again. Scans that record something take ` +
        `${control.scans ? `${ms(control.scans.durationMs.p50)} ms (p50), up to ${ms(control.scans.durationMs.max)} ms` : 'seconds'}, ` +
        `and a miss no timer caught waits for the next one: due → recorded missed p50 ` +
        `${control.stages ? lat(control.stages.missed.p50) : '–'} ms.`,
    );
  }
  const graphqlShare = share(profiled?.profile, /graphql-js|graphql-ws|alert feed|WebSocket/);
  const socketShare = share(profiled?.profile, /^Node: streams, sockets/);
  lines.push(
    `- **With ${fmt(o.subscribers)} subscribers each notification costs the server's main thread about ` +
      `${fmt(o.subscribers)} × ${range(cpuPerDelivery)} µs** (server CPU per delivery, everything included). A ` +
      `notification's selection is executed and serialised once per distinct subscription; once a subscription has ` +
      `sent its backlog, the feed's listener writes each live notification to its connection itself (its id, then ` +
      `the shared JSON), and the frames a connection gets in one turn of the event loop leave in one socket write. ` +
      `What is left per subscriber is its filter, the frame and the socket` +
      `${graphqlShare ? ` (${graphqlShare} of the profiled main thread's busy time for the feed, graphql-ws and ws together)` : ''}` +
      `${socketShare ? `, and Node's streams, microtasks and async hooks (${socketShare})` : ''}. ` +
      `${fmt(o.commitments)} notifications × ${fmt(o.subscribers)} subscribers is about ${fmt((o.commitments * o.subscribers * Math.min(...main.map(cpuPerDelivery))) / 1e6)} s ` +
      `of CPU for commitments due over ${fmt(o.spanSeconds)} s, on the same event loop as the embedded event store, the ` +
      `projectors, the alert policy and the monitor, which wait behind it. ` +
      main
        .map((r) =>
          r.serverLoop
            ? `${r.target}: main thread busy ${fmt(100 * r.serverLoop.eluMean)}% of the window on average, timers up to ${fmt(r.serverLoop.delayP99Max)} ms late (worst second's p99).`
            : '',
        )
        .join(' ') +
      ` PGlite's worker thread is reached through that same event loop, so every statement waits for deliveries ` +
      `queued before its answer is read; where the main thread is far from busy on average, it is waiting for PGlite.`,
    `- **PGlite has one session for everything.** The alert policy holds a read-model transaction for a batch of up ` +
      `to 100 events while it appends each alert to the event store; the projectors, the monitor and the feed wait ` +
      `meanwhile. Raised → first subscriber, p50: ` +
      main.map((r) => `${r.target} ${r.stages ? lat(r.stages.delivered.p50) : '–'} ms`).join(', ') +
      `.`,
    `- **Contention:** the rest of the machine kept ${range((r) => r.otherCores ?? NaN, 2)} cores busy over these windows ` +
      `(load average ${range((r) => r.load[0], 1)}); the server got ${range((r) => r.cores.server, 2)} cores.`,
    ``,
    `Where more would come from (not tried here): the worker role (projectors, policy, monitor) in a thread of its ` +
      `own, so that deliveries and HTTP do not hold it up (the PGlite thread already serves connections over ` +
      `MessagePorts, so a second thread could share it); prepared statements for the pipeline's queries (drizzle builds ` +
      `each one again); the policy not holding a read-model transaction across its event-store appends, which on ` +
      `PGlite holds up the projectors and the monitor meanwhile.`,
  );
  return lines.join('\n');
}

export function report(input: ReportInput): string {
  const parts = [
    `## Alerts (\`npm run bench:alerts\`)`,
    `Machine: ${input.machine}, shared with other people's work (see the load and "rest of the machine" figures). ` +
      `Date: ${input.date}. Code: ${input.code}. Command: \`${input.command}\` (${fmt(input.wallSeconds / 60, 1)} min).`,
  ];
  if (input.scans?.length) parts.push(scanSection(input.scans, input.due, input.postgres));
  if (input.fanOuts.length) parts.push(fanOutSection(input.fanOuts));
  return parts.join('\n\n');
}
