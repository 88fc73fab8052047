// npm run bench:eventstore [-- --runs 5 --profile]
// The embedded event store against the raw SQLite it stores into, on the same machine and disk.
import { EventStoreProcess, freePort } from '#embedded-eventstore';
import {
  EventStoreDBClient,
  START,
  jsonEvent,
  streamNameFilter,
  type EventData,
} from '@eventstore/db-client';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, machine, median, writeSection } from '../support/report.js';
import { clientDecodeCeiling, clientEncodeCeiling } from './client-ceiling.js';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, profile: { type: 'boolean', default: false } },
});
const RUNS = Number(args.runs);
const PAYLOAD = JSON.stringify({ accountId: 'acct-000123', channel: 'EMAIL', summary: 'x'.repeat(200) });

const event = (): EventData => jsonEvent({ type: 'TouchpointRecorded', data: JSON.parse(PAYLOAD) });
const perSecond = (count: number, ms: number) => (count * 1000) / ms;

async function timed(fn: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const count = await fn();
  return perSecond(count, performance.now() - started);
}

/** Appends from `writers` concurrent writers, each to its own streams; returns events per second. */
async function appends(
  client: EventStoreDBClient,
  writers: number,
  batch: number,
  perWriter: number,
): Promise<number> {
  const run = randomUUID().slice(0, 8);
  return timed(async () => {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const events = Array.from({ length: batch }, event);
          await client.appendToStream(`bench-${run}-${w}-${i % 50}`, events);
        }
      }),
    );
    return writers * batch * perWriter;
  });
}

async function readAll(client: EventStoreDBClient): Promise<number> {
  return timed(async () => {
    let n = 0;
    for await (const _ of client.readAll({ fromPosition: START, maxCount: Number.MAX_SAFE_INTEGER })) n++;
    return n;
  });
}

async function catchUp(client: EventStoreDBClient, total: number): Promise<number> {
  return timed(async () => {
    const sub = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes: ['bench-'] }),
    });
    let n = 0;
    for await (const _ of sub) if (++n >= total) break;
    await sub.unsubscribe();
    return n;
  });
}

/** The same rows straight into SQLite: WAL, synchronous=FULL, one transaction per batch. */
function rawInserts(dir: string, batch: number, batches: number): number {
  const db = new Database(join(dir, `raw-${batch}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    event_id TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL, data BLOB NOT NULL, metadata BLOB NOT NULL)`);
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const data = Buffer.from(PAYLOAD);
  let position = 0;
  const write = db.transaction((stream: string, revision: number) => {
    for (let i = 0; i < batch; i++) {
      insert.run(
        position++,
        stream,
        revision + i,
        randomUUID(),
        'TouchpointRecorded',
        Date.now(),
        data,
        Buffer.alloc(0),
      );
    }
  });
  const started = performance.now();
  for (let b = 0; b < batches; b++) write(`bench-${b % 50}`, b * batch);
  const rate = perSecond(batch * batches, performance.now() - started);
  db.close();
  return rate;
}

function rawReads(dir: string): number {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const started = performance.now();
  let n = 0;
  for (const _ of db.prepare('SELECT * FROM events ORDER BY position').iterate()) n++;
  const rate = perSecond(n, performance.now() - started);
  db.close();
  return rate;
}

const results: Record<string, number[]> = {};
const record = (name: string, value: number) => (results[name] ??= []).push(value);

for (let run = 0; run < RUNS; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-es-'));
  const port = await freePort();
  const server = await EventStoreProcess.start(
    dir,
    port,
    args.profile && run === 0 ? ['--cpu-prof', `--cpu-prof-dir=${dir}/../bench-es-profile`] : [],
  );
  const client = EventStoreDBClient.connectionString(server.connectionString);
  try {
    await client.appendToStream('warmup', event());
    record('single, 1 writer', await appends(client, 1, 1, 500));
    record('single, 8 writers', await appends(client, 8, 1, 500));
    record('batch of 100, 1 writer', await appends(client, 1, 100, 200));
    record('batch of 100, 8 writers', await appends(client, 8, 100, 100));
    const total = 500 + 8 * 500 + 100 * 200 + 8 * 100 * 100;
    record('readAll', await readAll(client));
    record('catch-up subscription', await catchUp(client, total));
  } finally {
    await client.dispose();
    await server.stop();
  }
  record('client encode ceiling', clientEncodeCeiling(PAYLOAD, 100, 200));
  record('client decode ceiling', clientDecodeCeiling(PAYLOAD, 20_000));
  record('raw SQLite reads', rawReads(dir));
  record('raw SQLite inserts, 1 per transaction', rawInserts(dir, 1, 500));
  record('raw SQLite inserts, 100 per transaction', rawInserts(dir, 100, 200));
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `run ${run + 1}/${RUNS}: ${Object.entries(results)
      .map(([k, v]) => `${k} ${fmt(v[v.length - 1])}`)
      .join(', ')}`,
  );
}

const m = (name: string) => median(results[name]);
const rawSingle = m('raw SQLite inserts, 1 per transaction');
const rawBatch = m('raw SQLite inserts, 100 per transaction');
const rawRead = m('raw SQLite reads');
const rows: Array<[string, number, number, string]> = [
  ['appends, single events, 1 writer', m('single, 1 writer'), rawSingle, 'raw inserts, 1 per transaction'],
  ['appends, single events, 8 writers', m('single, 8 writers'), rawSingle, 'raw inserts, 1 per transaction'],
  [
    'appends, batches of 100, 1 writer',
    m('batch of 100, 1 writer'),
    rawBatch,
    'raw inserts, 100 per transaction',
  ],
  [
    'appends, batches of 100, 8 writers',
    m('batch of 100, 8 writers'),
    rawBatch,
    'raw inserts, 100 per transaction',
  ],
  ['readAll', m('readAll'), rawRead, 'raw reads'],
  ['catch-up subscription ($all, filtered)', m('catch-up subscription'), rawRead, 'raw reads'],
];
const ceiling = `| client alone: encode batches of 100 for BatchAppend | ${fmt(m('client encode ceiling'))} | | |
| client alone: decode ReadResp and convert to events | ${fmt(m('client decode ceiling'))} | | |`;
const table = rows
  .map(
    ([name, value, raw, against]) =>
      `| ${name} | ${fmt(value)} | ${fmt(raw)} (${against}) | ${fmt((100 * value) / raw)}% |`,
  )
  .join('\n');
const body = `## Event store (\`npm run bench:eventstore\`)

Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench:eventstore -- --runs ${RUNS}\`.
Medians of ${RUNS} runs; each run starts a fresh store in a child process (its own core) and drives it with
\`@eventstore/db-client\` from the benchmark process. Events carry a 250-byte JSON payload. The raw figures
insert the same rows into a plain SQLite table with the same durability settings (WAL, synchronous=FULL) and
read them back with better-sqlite3 in the same run.

| operation | events/s | raw SQLite limit, events/s | share of raw |
|---|---:|---:|---:|
${table}
${ceiling}

The last two rows are the official client's own work per event, measured in the benchmark process without
any server: building and serializing \`BatchAppendReq\` messages (JSON, base64, protobuf), and deserializing
\`ReadResp\` messages into resolved events. They are a ceiling for any server driven by this client from one
Node process.
`;
writeSection('eventstore', body);
console.log(body);
