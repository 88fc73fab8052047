// npm run bench:alerts [-- --sizes 10000,100000 --due 200 --repeats 7 --subscribers 1000
//   --commitments 1000 --span-seconds 40 --scan-interval-ms 1000 --lead-seconds 45
//   --control-subscribers 50] [--skip-scan] [--skip-fanout] [--skip-postgres] [--profile]
//   [--report-only]: writes the section again from the last run's figures (data/bench-alerts/)
// Risk alerts, in two parts:
//  1. the deadline monitor's scan (DeadlineMonitor.scanOnce) at two portfolio sizes with the same
//     things due: its nomination queries, their plans, a first scan that records everything and
//     repeated scans that find nothing new;
//  2. from a commitment's due instant to its COMMITMENT_MISSED notification at 1,000 riskAlerts
//     subscribers over WebSocket, with the API booted as deployed; then the same with a few
//     subscribers (control), to tell the fan-out's cost from the rest of the path.
// PostgreSQL runs where BENCH_DATABASE_URL or TEST_DATABASE_URL names a server: a fresh database
// per run, dropped afterwards.
import 'reflect-metadata';

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { codeVersion, fmt, machine, writeSection } from '../support/report.js';
import { freshPostgres, pgliteTarget, type ReadModelTarget } from '../read/children.js';
import { report } from './alerts-report.js';
import { scanPart, type ScanRun } from './deadline-scan.js';
import { fanOutRun, type FanOutRun } from './fan-out.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    due: { type: 'string', default: '200' },
    repeats: { type: 'string', default: '7' },
    'query-runs': { type: 'string', default: '15' },
    subscribers: { type: 'string', default: '1000' },
    commitments: { type: 'string', default: '1000' },
    'span-seconds': { type: 'string', default: '40' },
    'scan-interval-ms': { type: 'string', default: '1000' },
    'lead-seconds': { type: 'string', default: '45' },
    'control-subscribers': { type: 'string', default: '50' },
    'skip-scan': { type: 'boolean', default: false },
    'skip-fanout': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
  },
});
const whole = (name: string, raw: string | undefined, min: number): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name}: must be a whole number, at least ${fmt(min)} (got "${String(raw)}")`);
    process.exit(2);
  }
  return value;
};
const DUE = whole('due', args.due, 1);
const SIZES = (args.sizes ?? '').split(',').map((s) => whole('sizes', s.trim(), 3 * DUE + 2));
const REPEATS = whole('repeats', args.repeats, 1);
const QUERY_RUNS = whole('query-runs', args['query-runs'], 1);
const SUBSCRIBERS = whole('subscribers', args.subscribers, 1);
const COMMITMENTS = whole('commitments', args.commitments, 1);
const SPAN_SECONDS = whole('span-seconds', args['span-seconds'], 1);
const SCAN_INTERVAL_MS = whole('scan-interval-ms', args['scan-interval-ms'], 100);
const LEAD_SECONDS = whole('lead-seconds', args['lead-seconds'], 3);
const CONTROL_SUBSCRIBERS = whole('control-subscribers', args['control-subscribers'], 0);
const POSTGRES_URL = args['skip-postgres']
  ? undefined
  : (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)?.trim() || undefined;

const started = performance.now();
/** The code measured: read at the start, before anything in the tree can change while it runs. */
const CODE = codeVersion();
const log = (line: string) => console.log(`[${fmt((performance.now() - started) / 1000)} s] ${line}`);

/** The raw figures of the last run, so that the report can be written again without running. */
const RESULTS = join(process.cwd(), 'data', 'bench-alerts', 'last-run.json');

interface Results {
  readonly command: string;
  readonly date: string;
  readonly machine: string;
  readonly code: string;
  readonly postgres: boolean;
  readonly wallSeconds: number;
  readonly due: number;
  readonly scans?: ScanRun[];
  readonly fanOuts: FanOutRun[];
}

async function run(): Promise<Results> {
  if (!POSTGRES_URL) {
    console.log(
      args['skip-postgres']
        ? 'PostgreSQL skipped: --skip-postgres'
        : 'PostgreSQL skipped: no BENCH_DATABASE_URL or TEST_DATABASE_URL names a server',
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const targets: Array<{ name: string; make: (label: string) => Promise<ReadModelTarget> }> = [
    { name: 'PGlite', make: async (label) => pgliteTarget(join(root, `pglite-${label}`)) },
  ];
  if (POSTGRES_URL) {
    const url = POSTGRES_URL;
    targets.push({ name: 'PostgreSQL', make: (label) => freshPostgres(url, join(root, `pg-${label}`)) });
  }

  let scans: ScanRun[] | undefined;
  const fanOuts: FanOutRun[] = [];
  try {
    if (!args['skip-scan']) {
      log('deadline scan');
      scans = await scanPart(
        targets,
        root,
        { sizes: SIZES, due: DUE, repeats: REPEATS, queryRuns: QUERY_RUNS },
        log,
      );
    }
    if (!args['skip-fanout']) {
      for (const { name, make } of targets) {
        log(`latency and fan-out, ${name}`);
        const target = await make('fan-out');
        try {
          fanOuts.push(
            await fanOutRun(
              target,
              root,
              {
                subscribers: SUBSCRIBERS,
                commitments: COMMITMENTS,
                spanSeconds: SPAN_SECONDS,
                scanIntervalMs: SCAN_INTERVAL_MS,
                leadSeconds: LEAD_SECONDS,
                // The server's main thread profiled over the measured window of the PGlite run.
                profile: args.profile && name === 'PGlite',
              },
              log,
            ),
          );
        } finally {
          await target.drop();
        }
      }
      if (CONTROL_SUBSCRIBERS > 0) {
        // The same commitments with few subscribers, on the first read model: the path without the
        // fan-out's load.
        log(`latency and fan-out, ${targets[0].name}, ${fmt(CONTROL_SUBSCRIBERS)} subscribers`);
        const target = await targets[0].make('fan-out-control');
        try {
          fanOuts.push(
            await fanOutRun(
              target,
              root,
              {
                subscribers: CONTROL_SUBSCRIBERS,
                commitments: COMMITMENTS,
                spanSeconds: SPAN_SECONDS,
                scanIntervalMs: SCAN_INTERVAL_MS,
                leadSeconds: LEAD_SECONDS,
                profile: false,
                control: true,
              },
              log,
            ),
          );
        } finally {
          await target.drop();
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const wallSeconds = (performance.now() - started) / 1000;
  log('done');
  return {
    command: `npm run bench:alerts -- ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    code: CODE,
    postgres: POSTGRES_URL !== undefined,
    wallSeconds,
    due: DUE,
    ...(scans ? { scans } : {}),
    fanOuts,
  };
}

let results: Results;
if (args['report-only']) {
  if (!existsSync(RESULTS)) {
    console.error(`--report-only: no ${RESULTS}; run the benchmark first`);
    process.exit(2);
  }
  results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
} else {
  results = await run();
  mkdirSync(join(process.cwd(), 'data', 'bench-alerts'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(results, null, 2));
}

const body = report(results);
const partial = !results.scans?.length || !results.fanOuts.length;
if (process.env.BENCH_NO_WRITE || partial) {
  console.log('(docs/benchmarks.md left as it is: BENCH_NO_WRITE set, or a part skipped)');
} else writeSection('alerts', body);
console.log(body);
