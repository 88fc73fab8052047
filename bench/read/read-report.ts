// The read benchmark's section of docs/benchmarks.md.
import type { ProfileSummary } from '../support/cpu-profile.js';
import { fmt } from '../support/report.js';
import { viewCacheMbFor, type LoadResult } from './graphql-load.js';
import type { GraphqlRun, ProjectionPart, SeededDemo } from './read.bench.js';

export interface ReportInput {
  readonly machine: string;
  readonly date: string;
  readonly command: string;
  readonly postgres: boolean;
  readonly wallSeconds: number;
  readonly seconds: number;
  readonly clients: number;
  readonly runLength: number;
  readonly projection?: ProjectionPart;
  readonly graphql?: { readonly demo: SeededDemo; readonly runs: GraphqlRun[] };
}

const PROJECTION_GOAL = 30;
const VIEW_SHARE_GOAL = 25;
const P99_GOAL_MS = 50;

const met = (ok: boolean) => (ok ? 'met' : '**not met**');
const us = (seconds: number | undefined, events: number) =>
  seconds === undefined ? '' : fmt((seconds * 1e6) / events, 1);

function busyShares(summary: ProfileSummary, top = 8): string {
  const busy = summary.totalMs - (summary.areas.find(([a]) => a === 'idle')?.[1] ?? 0);
  return summary.areas
    .filter(([a]) => a !== 'idle')
    .slice(0, top)
    .map(([a, ms]) => `| ${a} | ${fmt((100 * ms) / busy)}% |`)
    .join('\n');
}

function projectionSection(p: ProjectionPart, postgres: boolean, runLength: number): string {
  const cells = (pick: (run: ProjectionPart['runs'][number]) => string) =>
    p.runs.map((run) => ` ${pick(run)} |`).join('');
  const header = `| | ${p.runs.map((r) => r.target).join(' | ')} |\n|---|${p.runs.map(() => '---:|').join('')}`;
  const share = (run: ProjectionPart['runs'][number]) => (100 * run.catchUp.rate) / run.raw.rate;
  const rows = [
    `| account events projected |${cells((r) => fmt(r.catchUp.events))}`,
    `| raw \`readAll\` of the same events, events/s (same run, just before) |${cells((r) => fmt(r.raw.rate))}`,
    `| projection catch-up, events/s |${cells((r) => `**${fmt(r.catchUp.rate)}**`)}`,
    `| projection as a share of raw (goal ≥ ${PROJECTION_GOAL}%) |${cells((r) => `**${fmt(share(r))}%** (${met(share(r) >= PROJECTION_GOAL)})`)}`,
    `| catch-up time, s (projector boot and migrations before it, s) |${cells((r) => `${fmt(r.catchUp.seconds, 1)} (${fmt(r.catchUp.bootSeconds, 1)})`)}`,
    `| projector process CPU, µs per event (both threads) |${cells((r) => us(r.catchUp.cpu.projector, r.catchUp.events))}`,
    `| PostgreSQL server CPU (its backends), µs per event |${cells((r) => us(r.catchUp.cpu.database, r.catchUp.events) || 'in the projector (PGlite thread)')}`,
    `| event store CPU, µs per event |${cells((r) => us(r.catchUp.cpu.store, r.catchUp.events))}`,
    `| raw read: client / store CPU, µs per event |${cells((r) => `${us(r.raw.cpu.client, r.raw.events)} / ${us(r.raw.cpu.store, r.raw.events)}`)}`,
  ];
  const profiles = p.profiles
    .map(({ target, threads }) => {
      const tables = threads
        .map((thread, i) => {
          const busy = thread.totalMs - (thread.areas.find(([a]) => a === 'idle')?.[1] ?? 0);
          const name = i === 0 ? 'main thread' : 'PGlite worker thread';
          return `| ${target}, ${name} (busy ${fmt(busy / 1000, 1)} s of ${fmt(thread.totalMs / 1000, 1)} s) | share |\n|---|---:|\n${busyShares(thread)}`;
        })
        .join('\n\n');
      return tables;
    })
    .join('\n\n');
  return `### Projection catch-up

${fmt(p.written)} account events of ${fmt(p.accounts)} accounts (\`bench/read/account-events.ts\`: opened, about 5 stage
changes, 5% commitments made and 4% fulfilled, missed or cancelled, the rest touchpoints with summaries, participants and
sentiments, as the service records them) are appended with \`@eventstore/db-client\` straight to the embedded event store
(its own process), ${runLength} events of one account per append, 32 appends in flight, so that \`$all\` interleaves the
accounts as live traffic does (${fmt(p.writeSeconds)} s). Then, for each read model, the raw \`readAll\` of the whole
\`$all\` by the benchmark process, and the projector as deployed: \`node dist/apps/projector/src/main.js --progress\` (a child
process, default batches: up to 5,000 events until it has caught up) on a fresh read model (a PGlite data dir, or a new database on the local PostgreSQL server${
    postgres ? '' : ' (not run: no BENCH_DATABASE_URL or TEST_DATABASE_URL)'
  }), timed from its \`started\` line (booted, migrated, subscribed) to the progress line that reaches the last event.
Three processes (store, projector, PostgreSQL) share the 2 cores.

${header}
${rows.join('\n')}
${profiles ? `\nCPU profiles of one more catch-up per read model (\`--profile\`: \`node --cpu-prof\`, every thread), shares of busy time:\n\n${profiles}\n` : ''}`;
}

function graphqlSection(g: NonNullable<ReportInput['graphql']>, seconds: number, clients: number): string {
  const { demo, runs } = g;
  const header = `| query | ${runs.map((r) => `${r.target}: requests/s | p50 ms | p99 ms`).join(' | ')} |\n|---|${runs.map(() => '---:|---:|---:|').join('')}`;
  const names = runs[0]?.results.map((r) => r.scenario) ?? [];
  const rows = names.map((name, i) => {
    const cells = runs
      .map((run) => {
        const r: LoadResult | undefined = run.results[i];
        return r ? `**${fmt(r.rate)}** | ${fmt(r.p50)} | ${fmt(r.p99)}` : ' | | ';
      })
      .join(' | ');
    return `| ${name} | ${cells} |`;
  });
  const goals = runs
    .map((run) => {
      const [floor, view, page] = run.results;
      if (!floor || !view) return '';
      const share = (100 * view.rate) / floor.rate;
      return (
        `- ${run.target}: account view at **${fmt(share)}%** of the floor's throughput (goal ≥ ${VIEW_SHARE_GOAL}%: ${met(share >= VIEW_SHARE_GOAL)}), ` +
        `p99 **${fmt(view.p99)} ms** (goal < ${P99_GOAL_MS} ms: ${met(view.p99 < P99_GOAL_MS)})` +
        (page
          ? `; portfolio page at ${fmt((100 * page.rate) / floor.rate)}% of the floor, p99 ${fmt(page.p99)} ms`
          : '') +
        `. Server process ${runs.length ? run.results.map((r) => fmt(r.cores.server, 2)).join(' / ') : ''} cores, load generator ${run.results.map((r) => fmt(r.cores.load, 2)).join(' / ')} cores (floor / view / page / view at the default cache)` +
        `. Accounts' facts the server held and the database confirmed: ${run.results
          .filter((r) => r.viewCacheHits !== undefined)
          .map((r) => `${fmt(100 * r.viewCacheHits!)}%`)
          .join(' / ')} (view / page / view at the default cache).`
      );
    })
    .filter(Boolean)
    .join('\n');
  const failures = runs.flatMap((run) => run.results.map((r) => r.failures)).reduce((a, b) => a + b, 0);
  const sample = runs.flatMap((run) => run.results).find((r) => r.failureSample)?.failureSample;
  const projections = runs
    .filter((run) => run.projection)
    .map((run) => {
      const { raw, catchUp, cached } = run.projection!;
      return (
        `- ${run.target}: ${fmt(catchUp.events)} events in ${fmt(catchUp.seconds)} s = **${fmt(catchUp.rate)} events/s**` +
        (raw
          ? ` (raw \`readAll\` just before: ${fmt(raw.rate)} events/s, so ${fmt((100 * catchUp.rate) / raw.rate)}%)`
          : '') +
        (cached ? ` — measured on ${cached}, when the cache was filled` : '')
      );
    })
    .join('\n');
  const profiles = runs
    .filter((run) => run.profile)
    .map((run) => {
      const p = run.profile!;
      return `| ${run.target} server, account view (busy ${fmt((p.totalMs - (p.areas.find(([a]) => a === 'idle')?.[1] ?? 0)) / 1000, 1)} s of ${fmt(p.totalMs / 1000, 1)} s) | share |\n|---|---:|\n${busyShares(p, 10)}\n\n| function | area | ms |\n|---|---|---:|\n${p.top.map((f) => `| \`${f.name}\` | ${f.area} | ${fmt(f.ms)} |`).join('\n')}`;
    })
    .join('\n\n');
  return `### GraphQL under ${clients} concurrent clients

The demo portfolio (\`apps/seed-demo\`, seed \`${demo.seed}\`, as of ${demo.asOf.slice(0, 10)}): ${fmt(demo.accounts)} accounts and
${fmt(demo.touchpoints)} touchpoints with their stage walks and commitments, loaded through the public REST API by \`seedDemo()\`
into the embedded event store (${fmt(demo.seedSeconds)} s on ${demo.seededOn}; cached in \`data/bench-read/demo-${demo.accounts}/\`,
so later runs skip it). The deadline monitor is off (\`RISK_SCAN_INTERVAL_MS\` of a day), so commitments past due stay OPEN
(overdue) rather than recorded missed. The projector (child process) catches up first:
${projections}

Then the API alone serves (\`node dist/apps/api/src/main.js\`, \`ROLES=api\`, \`NODE_ENV=production\`, \`LOG_LEVEL=warn\`: no projector,
nothing written), with its account view cache sized for the portfolio as \`docs/deployment.md\` advises
(\`ACCOUNT_VIEW_CACHE_MB\` at 40 KB an account, ${fmt(viewCacheMbFor(demo.accounts))} MiB here). Each server first views every account once
(as a service that has been up a while has), then autocannon in the benchmark process keeps ${clients} connections busy, one request in flight each,
for ${seconds} s per query, each right after 5 s of warm-up with the same query, with an admin key. The account view asks for the scalars, stage
history, commitment stats, health with its factors, the pillar balance, the commitments and \`timeline(first: 20)\` of a
random account; the portfolio page for \`accounts(first: 50, orderBy: HEALTH_ASC, filter: …)\` with one of five filters
(stages, health bands, tiers, overdue, owner) and a few fields of each account, health included. \`{ __typename }\` on the
same server is the floor: HTTP, auth and GraphQL without reading anything. The last row is the account view again, on a
second server that keeps the default cache (room for about 3,800 of the accounts). ${failures} failed or erroneous answers${
    sample ? ` (e.g. ${sample})` : ''
  }.

${header}
${rows.join('\n')}

${goals}
${profiles ? `\nA CPU profile of the server's main thread during one more ${15} s account-view phase (\`--profile\`):\n\n${profiles}\n` : ''}`;
}

export const PROJECTION_NOTES = `#### How a batch is applied, and where the time goes

The projector stores a batch (what arrived while it stored the last one, or within 20 ms; at most 5,000 events until it has
caught up once, 500 after) in one transaction with a fixed number of
statements per kind of event rather than per event: every timeline entry in one insert, every touchpoint in one
insert (their accounts' counts and latest touches are written by the refresh below), each other event type in one statement per step (step k holds each
account's k-th event of the batch, so each account's order is kept), one refresh of all the batch's accounts (their
rows locked in id order, then commitments, newest sentiments, pillars in the health window and open alerts read for
all of them, one update), the portfolio versions copied inside the database, the checkpoint. Rows travel as one JSON
parameter (\`json_to_recordset\`). Before (2026-11-23, 20,000 events, same harness) the projector ran about three
statements per touchpoint and five per account touched: 550 events/s into PGlite and 790 into PostgreSQL, 3-4% of raw.
\`test/read-model/batched-projection.int-spec.ts\` checks that any batch size ends with the same tables as one event at a
time, and a before/after comparison of every table on 4,000 generated events (batch sizes 1, 7 and 500, both databases)
found them identical.

PGlite runs no autovacuum, so nothing analyzed its tables: with no statistics the planner joined a batch's accounts
with every touchpoint (a 700 ms scan per batch at a million touchpoints) and the GraphQL sentiment query scanned the
table (300 ms for a page of 50). The per-account reads now go through the account's index whatever the statistics, and
the projector, on PGlite, analyzes its tables after 20,000 events and again each time the count it had then has doubled
(the timeline and the touchpoints with a tenth of the default sample, which is all their per-account reads need: at the
full sample the analysis of a million events held PGlite's one session for about four seconds).

Since 2026-12-07 the catch-up subscription (\`libs/eventstore\`, \`CatchUpSubscriptionRunner\`) reads one batch ahead: while
the handler stores a batch, the next one is received and decoded (gRPC, protobuf, JSON), and fills until the handler is
done rather than being cut at 20 ms. Before, decoding and storing took turns and each side idled about half the time
(PGlite's thread busy 40 s of a 64 s catch-up of 200,000 events). The same day each account's row is updated once per
batch rather than twice (the touch counts joined the refresh's update) and the timeline lost an index no query read
(on \`(account, recorded_at)\`, about a tenth of its insert). 200,000 events, same harness, before and after the three:
PGlite 2,900-2,960 events/s to 3,700-3,940, PostgreSQL 3,490-4,165 to 4,620-5,060 (5,180 at batch size 1,000); the raw \`readAll\` rate of the same
run moved between 12,000 and 20,000 events/s from run to run on this shared machine, so the shares move more than the
catch-up.

Since 2026-12-08, from per-statement timings of PGlite's thread (200,000 events, each change measured alone):
- the updates that join a batch's rows to a table by key name the batch's accounts as a list too: the planner takes a
  JSON row set for 100 rows, so once the tables had statistics each such update read the whole table (three fulfilled
  commitments, a scan of 9,000; the commitment updates went from 6.2 s to 2.0 s of the thread's time;
  \`test/read-model/batch-plans.int-spec.ts\` explains every such statement of a batch on thousands of accounts);
- a touch's timeline entry no longer carries a copy of the touch as jsonb: the timeline reads it from the touchpoint
  row, which it joined already (timeline insert 15.4 s to 11.5 s);
- until it has caught up once, the projector takes batches of up to 5,000 events, not 500 (the process is not ready
  then anyway; once caught up, batches are what arrived while the last was stored, at most 500). Every statement
  costs the same however many rows it carries: at 500, 2,000 and 5,000 the same catch-up ran at about 3,400, 4,100
  and 5,000 events/s, batches averaging 470, 1,370 and 2,440 events.

What is left: the timeline and touchpoint inserts are still about half of PGlite's busy time, much of it in parsing
the JSON parameter (\`json_to_recordset\`, 30-50 µs a row of PostgreSQL in WASM before anything is written; column
arrays with \`unnest\` measured no faster), then the stage changes and the accounts' refresh. On PostgreSQL the
server's backend and the projector take about equal CPU per event; the timeline insert is the largest statement there
too.`;

export const GRAPHQL_NOTES = `#### Where a request's time goes

An account view runs two statements: the account's facts (its row, stage history, commitments, newest sentiments,
qualifying touches per pillar in the health window and open alerts, one subquery each through the account's index,
lists aggregated as JSON by the database; a page of accounts asks for all of theirs in one statement) and its
timeline page. Both are fixed SQL prepared once per connection, so nothing builds SQL per request, and both are planned
once: PostgreSQL plans a prepared statement anew on each call until a plan made without the parameters' values is
estimated to cost no more. Until the evening of 2026-12-07 a view asked for its facts with the accounts' statement, whose
list of ids (\`unnest\`) is estimated at 100 accounts without its values, so it was planned on every call: on the demo,
on PGlite, 2.2 ms a held account against 0.35 ms with the plan kept, and the bench's view rows moved between 184 and 486
requests/s with whether a portfolio page (large lists, whose plans made the generic one look cheap) had run first on the
connection. A view now has a statement of its own for one account, with the window's instants behind \`(select …)\` so
that no plan knows them, and keeps its plan after five calls. Until 2026-12-07 a view ran seven
statements, each built by drizzle per request: 125 (PGlite) and 193 (PostgreSQL) requests/s that day against the same
demo, less than half of today's. A portfolio page runs three (the page, its total, the accounts' facts); its page and
total both read every current \`account_versions\` row matching the filter (no index orders them by health), a few
thousand at 10,000 accounts, which is what limits it.

Without the cache, on PGlite its one session is the limit: on the demo read model, measured alone, the facts statement
takes about 0.5 ms and the timeline page about 1.9 ms (it joins each entry's touchpoint and commitment), of which about
0.15 ms is the round trip any statement pays through the worker thread's ports (\`select 1\`), so about 400 views a
second at most; on PostgreSQL the API's event loop is (GraphQL execution, node-postgres parsing rows, garbage
collection).

With the accounts held, the API's main thread is the limit. At 860-950 views a second on PGlite (2026-12-07, every
account held) it was busy 0.97 of a core and PGlite's thread 0.23: about 1.05 ms of the main thread a view, against
0.3 ms for \`{ __typename }\`. A CPU profile spreads that thin: garbage collection about 13% (V8's default 16 MiB
young generation; \`--max-semi-space-size=64\` halves it, see \`docs/deployment.md\`), Nest's wrapping of each of the eight
resolvers a view called (its pipes run for every argument, the global validation pipe among them) about 7%, the request
logger's async context (a promise hook on every promise) about 5%, serialising the answer about 5%, node-postgres
parsing about 5%, the rest GraphQL execution, HTTP and the headers. With 32 requests in flight, each waits
behind the others, so the p50 is about 32 × 1.05 ms and the p99 about twice it; a p99 under 50 ms needs a view to cost
the main thread about 0.75 ms. Since then the account's fields without arguments (stage history, commitment stats,
health, open alerts) are properties of the account's node, computed on first read, so a view calls four resolvers
through Nest instead of eight.

Since 2026-12-07 the API keeps accounts' facts and first timeline pages between requests (\`ACCOUNT_VIEW_CACHE_MB\`,
default 128 MiB, about 35 KB an account, so about 3,800 of the 10,000 accounts here). Each request still sends its
facts statement, with the version of the facts it holds for the account (\`accounts.view_version\`, set by the
projections in the transaction that changes anything the view shows); the database answers an account whose version
has not moved with the version alone, without running the subqueries, and the timeline page held for that version is
used as it is. The health window's counts also hold only until a touch leaves the window or a later-dated one enters
it, and are read again then. So a view is never older than one read in full at the same moment
(\`test/graphql/account-view-cache.int-spec.ts\`). With the cache sized for the portfolio (the view's row), a random
account is held after the first view of it, and each view costs the facts statement's answer of one version plus the
GraphQL work; at the default size (the last row) about a third of the accounts are held, and the rest are read in
full, about 2 ms of PGlite's one session each. Until 2026-12-07 the bench ran the default cache only, with a row for a
working set of 1,000 accounts that it held whole: on PGlite 846-922 views a second in quiet runs of that query alone.

The floor itself is lower than on 2026-11-23 (11,728 requests/s then): the code of that day, built and run the same way
on this machine today, answered 7,325 \`{ __typename }\` a second, today's code 2,859. Every request now also passes
the request logger (a child logger per request, with its request binding redacted and serialised, about 50 µs), the
query depth, NUL and cost checks (about 35 µs), the metrics (about 13 µs), the security headers (about 23 µs) and the
JSON body parser (about 20 µs), from a CPU profile of the floor.`;

export function report(input: ReportInput): string {
  const parts = [
    `## Read side (\`npm run bench:read\`)

Machine: ${input.machine}. Date: ${input.date}. Command: \`${input.command}\`. Whole run: ${fmt(input.wallSeconds / 60, 1)} min.
The machine is shared: other work ran on it during the run, so rates move between runs; the CPU figures move less.`,
  ];
  if (input.projection) {
    parts.push(projectionSection(input.projection, input.postgres, input.runLength), PROJECTION_NOTES);
  }
  if (input.graphql) parts.push(graphqlSection(input.graphql, input.seconds, input.clients), GRAPHQL_NOTES);
  return `${parts.join('\n\n')}\n`;
}
