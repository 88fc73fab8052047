// Kills the embedded event store with SIGKILL while writers and a subscriber are busy, restarts
// it, and checks that nothing acknowledged was lost, nothing was half-written, and a subscriber
// resumed from its checkpoint sees every event exactly once.
import {
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type Position,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreProcess, freePort } from '#embedded-eventstore';

const ROUNDS = 6;
const WRITERS = 6;
const STREAMS_PER_WRITER = 3;

interface Written {
  stream: string;
  id: string;
  type: string;
  data: { writer: number; seq: number; pad: string };
}

interface AckedAppend {
  events: Written[];
  firstRevision: bigint;
  position: Position;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readStreamAll(client: EventStoreDBClient, stream: string) {
  const out: Array<{ id: string; revision: bigint; type: string; data: unknown; position?: Position }> = [];
  try {
    for await (const e of client.readStream(stream, { fromRevision: START, direction: FORWARDS })) {
      out.push({
        id: e.event!.id,
        revision: e.event!.revision,
        type: e.event!.type,
        data: e.event!.data,
        position: e.event!.position,
      });
    }
  } catch (error) {
    if ((error as Error).constructor.name !== 'StreamNotFoundError') throw error;
  }
  return out;
}

describe('embedded event store under SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-durability-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every acknowledged event through ${ROUNDS} kills at random moments`, async () => {
    const port = await freePort();
    const prefix = `dur-${randomUUID().slice(0, 8)}-`;
    const streams = Array.from({ length: WRITERS }, (_, w) =>
      Array.from({ length: STREAMS_PER_WRITER }, (_, s) => `${prefix}${w}-${s}`),
    );
    const acked: AckedAppend[] = [];
    const unknown: Written[][] = [];
    const revisions = new Map<string, bigint>();
    // What the resumable subscriber has handled, and the checkpoint it would have stored.
    const seen: Array<{ id: string; position: bigint }> = [];
    let checkpoint: Position | undefined;
    let seq = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const server = await EventStoreProcess.start(dataDir, port);
      const client = EventStoreDBClient.connectionString(server.connectionString);
      let running = true;

      if (round > 0) await verify(client);

      // The subscriber resumes after its checkpoint and records everything it is handed.
      const subscription = client.subscribeToAll({
        fromPosition: checkpoint ?? START,
        filter: streamNameFilter({ prefixes: [prefix] }),
      });
      const subscriber = (async () => {
        try {
          for await (const e of subscription) {
            seen.push({ id: e.event!.id, position: e.event!.position.commit });
            checkpoint = e.event!.position;
          }
        } catch {
          // the server was killed under it
        }
      })();

      const writers = streams.map(async (own, w) => {
        while (running) {
          const stream = own[Math.floor(Math.random() * own.length)];
          const size = Math.random() < 0.5 ? 1 : 2 + Math.floor(Math.random() * 9);
          const events: Written[] = Array.from({ length: size }, () => ({
            stream,
            id: randomUUID(),
            type: `Happened${seq % 3}`,
            data: { writer: w, seq: seq++, pad: 'x'.repeat(Math.floor(Math.random() * 300)) },
          }));
          const expected: AppendExpectedRevision = revisions.has(stream) ? revisions.get(stream)! : NO_STREAM;
          try {
            const result = await client.appendToStream(
              stream,
              events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data })),
              { expectedRevision: expected },
            );
            acked.push({
              events,
              firstRevision: result.nextExpectedRevision - BigInt(size - 1),
              position: result.position!,
            });
            revisions.set(stream, result.nextExpectedRevision);
          } catch {
            // Unacknowledged: it may or may not have been written, but never in part.
            unknown.push(events);
            return;
          }
        }
      });

      await sleep(300 + Math.random() * 900);
      await server.kill();
      running = false;
      await Promise.all(writers);
      await subscriber;
      await client.dispose();

      // Writers that lost their answer learn their stream's revision from the store itself.
      const next = await EventStoreProcess.start(dataDir, port);
      const probe = EventStoreDBClient.connectionString(next.connectionString);
      for (const stream of streams.flat()) {
        const events = await readStreamAll(probe, stream);
        if (events.length) revisions.set(stream, events[events.length - 1].revision);
      }
      await probe.dispose();
      await next.stop();
    }

    expect(acked.length).toBeGreaterThan(ROUNDS * 20);

    const server = await EventStoreProcess.start(dataDir, port);
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      await verify(client);
      // The resumed subscriber finally catches up: it has seen the log of our streams exactly once, in order.
      const all: Array<{ id: string; position: bigint }> = [];
      for await (const e of client.readAll({ fromPosition: START })) {
        if (e.event?.streamId.startsWith(prefix))
          all.push({ id: e.event.id, position: e.event.position.commit });
      }
      const subscription = client.subscribeToAll({
        fromPosition: checkpoint ?? START,
        filter: streamNameFilter({ prefixes: [prefix] }),
      });
      if (seen.length < all.length) {
        for await (const e of subscription) {
          seen.push({ id: e.event!.id, position: e.event!.position.commit });
          if (seen.length >= all.length) break;
        }
      }
      await subscription.unsubscribe();
      expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    } finally {
      await client.dispose();
      await server.stop();
    }

    async function verify(c: EventStoreDBClient): Promise<void> {
      const byStream = new Map<string, Awaited<ReturnType<typeof readStreamAll>>>();
      for (const stream of streams.flat()) byStream.set(stream, await readStreamAll(c, stream));
      // Every acknowledged event is there with its revision, position, id, type and data.
      for (const append of acked) {
        const stored = byStream.get(append.events[0].stream)!;
        append.events.forEach((e, i) => {
          const s = stored[Number(append.firstRevision) + i];
          expect(s).toBeDefined();
          expect({ id: s.id, type: s.type, data: s.data }).toEqual({ id: e.id, type: e.type, data: e.data });
          expect(s.revision).toBe(append.firstRevision + BigInt(i));
        });
        const last = stored[Number(append.firstRevision) + append.events.length - 1];
        expect(last.position).toEqual(append.position);
      }
      // An unacknowledged multi-event append is all there, in one run, or not at all.
      for (const events of unknown) {
        const stored = byStream.get(events[0].stream)!;
        const at = stored.findIndex((s) => s.id === events[0].id);
        const present = events.filter((e) => stored.some((s) => s.id === e.id)).length;
        expect([0, events.length]).toContain(present);
        if (present)
          expect(stored.slice(at, at + events.length).map((s) => s.id)).toEqual(events.map((e) => e.id));
      }
      // Positions in $all only grow.
      let previous = -1n;
      let count = 0;
      for await (const e of c.readAll({ fromPosition: START })) {
        expect(e.event!.position.commit).toBeGreaterThan(previous);
        previous = e.event!.position.commit;
        count++;
      }
      expect(count).toBeGreaterThan(0);
      // Reading backwards from the end agrees on the newest position.
      for await (const e of c.readAll({ fromPosition: END, direction: 'backwards', maxCount: 1 })) {
        expect(e.event!.position.commit).toBe(previous);
      }
    }
  }, 240_000);

  it('reports a torn write-ahead-log tail on start and still serves every committed event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-torn-'));
    const port = await freePort();
    try {
      const server = await EventStoreProcess.start(dir, port);
      const client = EventStoreDBClient.connectionString(server.connectionString);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const event = jsonEvent({ type: 'Written', data: { i } });
        ids.push(event.id);
        await client.appendToStream('torn-1', event);
      }
      await client.dispose();
      await server.kill();
      // A crash in the middle of writing a frame leaves a partial frame behind the last commit.
      const wal = join(dir, 'events.sqlite-wal');
      expect(statSync(wal).size).toBeGreaterThan(0);
      const header = readFileSync(wal).subarray(0, 32);
      const fd = openSync(wal, 'a');
      const partial = Buffer.alloc(100, 0xab);
      partial.writeUInt32BE(2, 0);
      header.copy(partial, 8, 16, 24); // same salts as the log: a frame of this generation, cut short
      writeSync(fd, partial);
      closeSync(fd);

      const restarted = await EventStoreProcess.start(dir, port);
      expect(restarted.stderr).toMatch(/unclean shutdown/);
      expect(restarted.stderr).toMatch(/torn tail \(0 frames, 100 bytes\)/);
      const again = EventStoreDBClient.connectionString(restarted.connectionString);
      const read = await readStreamAll(again, 'torn-1');
      expect(read.map((e) => e.id)).toEqual(ids);
      await again.dispose();
      await restarted.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a damaged event rather than serve it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-corrupt-'));
    const port = await freePort();
    try {
      const server = await EventStoreProcess.start(dir, port);
      const client = EventStoreDBClient.connectionString(server.connectionString);
      const marker = 'MARKER-'.repeat(40);
      await client.appendToStream('corrupt-1', jsonEvent({ type: 'Written', data: { marker } }));
      await client.dispose();
      expect(await server.stop()).toBe(0); // a clean stop checkpoints the WAL into the database file

      const file = join(dir, 'events.sqlite');
      const bytes = readFileSync(file);
      const at = bytes.indexOf(Buffer.from(marker));
      expect(at).toBeGreaterThan(0);
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from('X'), 0, 1, at + 10); // one flipped byte inside the event's data
      closeSync(fd);

      const run = await EventStoreProcess.run(dir, port);
      expect(run.code).not.toBe(0);
      expect(run.stdout).not.toMatch(/esdb:\/\//);
      expect(run.stderr).toMatch(/is corrupt/);
      expect(run.stderr).toMatch(/fails its checksum/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
