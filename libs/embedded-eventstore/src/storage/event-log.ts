import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CorruptEventLogError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
import { checkLogIntegrity, type IntegrityReport } from './integrity.js';

/** What an append, delete or tombstone expects of the stream. A bigint is an exact revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

/** One event as stored. `position` is both commit and prepare position. */
export interface StoredEvent {
  position: bigint;
  streamName: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  createdMs: number;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface AppendResult {
  /** The stream's revision after the append (of the last event written, or found on an idempotent retry). */
  nextRevision: bigint;
  /** Position of the last event written; undefined for an empty append to an empty stream. */
  position?: bigint;
}

interface StreamState {
  id: number;
  name: string;
  /** Revision of the last event ever written, -1 when none. */
  lastRevision: number;
  /** Revisions below this are hidden: a soft delete raises it past the last revision. */
  truncateBefore: number;
  tombstoned: boolean;
}

type WriteRequest =
  | { kind: 'append'; stream: string; expected: ExpectedRevision; events: ProposedEvent[] }
  | { kind: 'delete'; stream: string; expected: ExpectedRevision }
  | { kind: 'tombstone'; stream: string; expected: ExpectedRevision };

interface PendingWrite {
  request: WriteRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

/** Listener told about every committed group of events, in log order, after they are durable. */
export type CommitListener = (events: StoredEvent[], previousTail: bigint) => void;

/** Events in the log cost at least this many bytes of "position", as a real log offset would. */
const RECORD_OVERHEAD = 64;
/** Ids remembered for idempotent re-appends with expected revision any/stream_exists, as EventStoreDB does. */
const RECENT_IDS_LIMIT = 100_000;
const TOMBSTONE_TYPE = '$streamDeleted';
const VERIFIED_TAIL_EVENTS = 1000;
const METADATA_TYPE = '$metadata';

interface EventRow {
  position: number;
  stream_id: number;
  revision: number;
  event_id: string;
  type: string;
  content_type: string;
  created: number;
  data: Buffer;
  metadata: Buffer;
  crc: number;
}

/**
 * The durable event log: one SQLite database in WAL mode with synchronous=FULL, so a commit
 * returns only once the write-ahead log is fsynced. Concurrent writes are queued and applied in
 * one transaction per turn of the event loop (group commit): one fsync serves many appends.
 */
export class EventLog {
  private readonly db: Database.Database;
  private readonly streamsByName = new Map<string, StreamState>();
  private readonly streamNamesById = new Map<number, string>();
  private readonly recentIds = new Map<string, { stream: string; revision: number }>();
  private readonly listeners = new Set<CommitListener>();
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private closed = false;
  private tailPosition: bigint;
  private nextStreamId: number;
  readonly integrity: IntegrityReport;

  private readonly stmt: {
    insertEvent: Database.Statement;
    insertStream: Database.Statement;
    updateStream: Database.Statement;
    lastRevision: Database.Statement;
    eventAt: Database.Statement;
    allForward: Database.Statement;
    allBackward: Database.Statement;
    streamForward: Database.Statement;
    streamBackward: Database.Statement;
  };

  private constructor(readonly file: string) {
    this.integrity = checkLogIntegrity(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = OFF');
    // 16 MiB of pages. Appends touch the log's tail and one index leaf per stream; reads are of
    // recent events or sequential, which the operating system's page cache serves as well. A
    // larger cache only grows the process for as long as the file does.
    this.db.pragma('cache_size = -16384');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS streams (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        truncate_before INTEGER NOT NULL DEFAULT 0,
        tombstoned INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS events (
        position INTEGER PRIMARY KEY,
        stream_id INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        content_type TEXT NOT NULL,
        created INTEGER NOT NULL,
        data BLOB NOT NULL,
        metadata BLOB NOT NULL,
        crc INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, revision);
    `);
    const cols = 'position, stream_id, revision, event_id, type, content_type, created, data, metadata, crc';
    this.stmt = {
      insertEvent: this.db.prepare(`INSERT INTO events (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertStream: this.db.prepare('INSERT INTO streams (id, name) VALUES (?, ?)'),
      updateStream: this.db.prepare('UPDATE streams SET truncate_before = ?, tombstoned = ? WHERE id = ?'),
      lastRevision: this.db.prepare('SELECT max(revision) AS r FROM events WHERE stream_id = ?'),
      eventAt: this.db.prepare(`SELECT ${cols} FROM events WHERE stream_id = ? AND revision = ?`),
      allForward: this.db.prepare(`SELECT ${cols} FROM events WHERE position >= ? ORDER BY position LIMIT ?`),
      allBackward: this.db.prepare(
        `SELECT ${cols} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`,
      ),
      streamForward: this.db.prepare(
        `SELECT ${cols} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      streamBackward: this.db.prepare(
        `SELECT ${cols} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
    };
    for (const row of this.db
      .prepare('SELECT id, name, truncate_before, tombstoned FROM streams')
      .iterate() as Iterable<{
      id: number;
      name: string;
      truncate_before: number;
      tombstoned: number;
    }>) {
      this.streamsByName.set(row.name, {
        id: row.id,
        name: row.name,
        lastRevision: Number.NaN, // loaded on first use: an index lookup, not a scan at start-up
        truncateBefore: row.truncate_before,
        tombstoned: row.tombstoned === 1,
      });
      this.streamNamesById.set(row.id, row.name);
    }
    const max = this.db.prepare('SELECT max(id) AS id FROM streams').get() as { id: number | null };
    this.nextStreamId = (max.id ?? 0) + 1;
    const tail = this.db.prepare('SELECT max(position) AS p FROM events').get() as { p: number | null };
    this.tailPosition = BigInt(tail.p ?? -1);
    this.verify();
  }

  /** SQLite's own structural check, then the checksums of the newest events (where a torn write would be). */
  private verify(): void {
    const problems = (this.db.pragma('quick_check') as Array<{ quick_check: string }>)
      .map((r) => r.quick_check)
      .filter((r) => r !== 'ok');
    if (!problems.length) {
      try {
        this.readAllBackward(this.tailPosition + 1n, VERIFIED_TAIL_EVENTS);
      } catch (error) {
        if (error instanceof CorruptEventLogError) problems.push(...error.problems);
        else throw error;
      }
    }
    if (problems.length) {
      this.db.close();
      throw new CorruptEventLogError(this.file, problems);
    }
  }

  static open(dataDir: string): EventLog {
    mkdirSync(dataDir, { recursive: true });
    return new EventLog(join(dataDir, 'events.sqlite'));
  }

  /** Position of the last event in the log; -1 when empty. */
  get tail(): bigint {
    return this.tailPosition;
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(stream: string, expected: ExpectedRevision, events: ProposedEvent[]): Promise<AppendResult> {
    return this.enqueue({ kind: 'append', stream, expected, events });
  }

  deleteStream(stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    return this.enqueue({ kind: 'delete', stream, expected });
  }

  tombstoneStream(stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    return this.enqueue({ kind: 'tombstone', stream, expected });
  }

  /** What a reader of `stream` sees: missing (never written or soft-deleted), deleted (tombstoned), or present. */
  streamStatus(stream: string): 'missing' | 'deleted' | 'present' {
    const state = this.streamsByName.get(stream);
    if (!state) return 'missing';
    if (state.tombstoned) return 'deleted';
    return this.lastRevisionOf(state) >= state.truncateBefore ? 'present' : 'missing';
  }

  /** Lowest revision a reader may see (soft deletes hide what came before). */
  firstVisibleRevision(stream: string): number {
    return this.streamsByName.get(stream)?.truncateBefore ?? 0;
  }

  lastRevision(stream: string): number {
    const state = this.streamsByName.get(stream);
    return state ? this.lastRevisionOf(state) : -1;
  }

  readAllForward(fromPosition: bigint, limit: number): StoredEvent[] {
    const rows = this.stmt.allForward.all(Number(fromPosition < 0n ? 0n : fromPosition), limit) as EventRow[];
    return rows.map((r) => this.toStored(r));
  }

  readAllBackward(beforePosition: bigint, limit: number): StoredEvent[] {
    const rows = this.stmt.allBackward.all(Number(beforePosition), limit) as EventRow[];
    return rows.map((r) => this.toStored(r));
  }

  readStreamForward(stream: string, fromRevision: number, limit: number): StoredEvent[] {
    const state = this.streamsByName.get(stream);
    if (!state) return [];
    const from = Math.max(fromRevision, state.truncateBefore);
    const rows = this.stmt.streamForward.all(state.id, from, limit) as EventRow[];
    return rows.map((r) => this.toStored(r));
  }

  readStreamBackward(stream: string, fromRevision: number, limit: number): StoredEvent[] {
    const state = this.streamsByName.get(stream);
    if (!state) return [];
    const rows = this.stmt.streamBackward.all(state.id, fromRevision, limit) as EventRow[];
    return rows.filter((r) => r.revision >= state.truncateBefore).map((r) => this.toStored(r));
  }

  /** Applies every queued write, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length) this.flush();
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private enqueue(request: WriteRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event log is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate lets every request already received on this turn join the same commit.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length || this.closed) {
      for (const w of batch) w.reject(new Error('event log is closed'));
      return;
    }
    const staged = new Map<string, StreamState>();
    const written: StoredEvent[] = [];
    const outcomes: Array<{ ok: AppendResult } | { error: Error }> = [];
    const previousTail = this.tailPosition;
    let tail = this.tailPosition;
    const createdMs = Date.now();

    const stateFor = (name: string): StreamState | undefined => {
      const s = staged.get(name);
      if (s) return s;
      const known = this.streamsByName.get(name);
      if (!known) return undefined;
      const copy = { ...known, lastRevision: this.lastRevisionOf(known) };
      staged.set(name, copy);
      return copy;
    };
    const createStream = (name: string): StreamState => {
      const s: StreamState = {
        id: this.nextStreamId++,
        name,
        lastRevision: -1,
        truncateBefore: 0,
        tombstoned: false,
      };
      this.stmt.insertStream.run(s.id, name);
      staged.set(name, s);
      return s;
    };
    const write = (s: StreamState, e: ProposedEvent): StoredEvent => {
      const revision = s.lastRevision + 1;
      const position =
        tail < 0n
          ? 0n
          : tail +
            BigInt(RECORD_OVERHEAD + e.type.length + e.data.length + e.metadata.length + s.name.length);
      this.stmt.insertEvent.run(
        Number(position),
        s.id,
        revision,
        e.id,
        e.type,
        e.contentType,
        createdMs,
        e.data,
        e.metadata,
        recordCrc(e),
      );
      s.lastRevision = revision;
      tail = position;
      const stored: StoredEvent = {
        position,
        streamName: s.name,
        revision: BigInt(revision),
        createdMs,
        ...e,
      };
      written.push(stored);
      return stored;
    };

    const apply = (req: WriteRequest): AppendResult => {
      let s = stateFor(req.stream);
      if (s?.tombstoned) throw new StreamDeletedError(req.stream);
      const current = s ? s.lastRevision : -1;
      const visible = s !== undefined && current >= s.truncateBefore;

      if (req.kind === 'append') {
        const retry = this.idempotentRetry(req, s);
        if (retry) return retry;
      }
      checkExpected(req.stream, req.expected, current, visible, s !== undefined);

      if (req.kind === 'append') {
        if (!req.events.length) return { nextRevision: BigInt(current) };
        s ??= createStream(req.stream);
        let last: StoredEvent | undefined;
        for (const e of req.events) last = write(s, e);
        return { nextRevision: BigInt(s.lastRevision), position: last!.position };
      }
      if (req.kind === 'delete') {
        if (!s) return { nextRevision: -1n };
        s.truncateBefore = s.lastRevision + 1;
        this.stmt.updateStream.run(s.truncateBefore, 0, s.id);
        // As EventStoreDB does, a soft delete is recorded as the stream's metadata ($tb).
        const meta = stateFor(`$$${req.stream}`) ?? createStream(`$$${req.stream}`);
        const stored = write(meta, {
          id: randomUuid(),
          type: METADATA_TYPE,
          contentType: 'application/json',
          data: Buffer.from(JSON.stringify({ $tb: s.truncateBefore })),
          metadata: new Uint8Array(),
        });
        return { nextRevision: BigInt(s.lastRevision), position: stored.position };
      }
      s ??= createStream(req.stream);
      const stored = write(s, {
        id: randomUuid(),
        type: TOMBSTONE_TYPE,
        contentType: 'application/octet-stream',
        data: new Uint8Array(),
        metadata: new Uint8Array(),
      });
      s.tombstoned = true;
      this.stmt.updateStream.run(s.truncateBefore, 1, s.id);
      return { nextRevision: BigInt(s.lastRevision), position: stored.position };
    };

    try {
      this.db.transaction(() => {
        for (const w of batch) {
          // Each write stands alone. Its checks all run before it writes anything, so a failed
          // expectation leaves nothing behind and the others in the group still commit.
          try {
            outcomes.push({ ok: apply(w.request) });
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError || error instanceof StreamDeletedError))
              throw error;
            outcomes.push({ error });
          }
        }
      })();
    } catch (error) {
      // The transaction did not commit: nothing of this group is durable, so nobody is told otherwise.
      for (const w of batch) w.reject(error as Error);
      return;
    }

    for (const [name, s] of staged) {
      const known = this.streamsByName.get(name);
      if (known) Object.assign(known, s);
      else {
        this.streamsByName.set(name, s);
        this.streamNamesById.set(s.id, name);
      }
    }
    this.tailPosition = tail;
    for (const e of written) this.rememberId(e);
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if ('ok' in outcome) w.resolve(outcome.ok);
      else w.reject(outcome.error);
    });
    if (written.length) for (const l of this.listeners) l(written, previousTail);
  }

  /**
   * A retry of an append that already happened reports the original result and writes nothing.
   * With an exact revision (or no_stream) the stored events are compared, forever; with any or
   * stream_exists only recently written ids are known, as with EventStoreDB.
   */
  private idempotentRetry(
    req: Extract<WriteRequest, { kind: 'append' }>,
    s: StreamState | undefined,
  ): AppendResult | undefined {
    if (!s || !req.events.length) return undefined;
    let first: number | undefined;
    if (typeof req.expected === 'bigint' || req.expected === 'no_stream') {
      first = req.expected === 'no_stream' ? 0 : Number(req.expected) + 1;
      if (first > s.lastRevision) return undefined;
      const row = this.stmt.eventAt.get(s.id, first) as EventRow | undefined;
      if (!row || row.event_id !== req.events[0].id) return undefined;
    } else {
      const seen = this.recentIds.get(req.events[0].id);
      if (!seen || seen.stream !== req.stream) return undefined;
      first = seen.revision;
    }
    let position = 0n;
    for (let i = 0; i < req.events.length; i++) {
      const row = this.stmt.eventAt.get(s.id, first + i) as EventRow | undefined;
      if (!row || row.event_id !== req.events[i].id) {
        // Some of the ids are there, not all: not a retry of the same append.
        throw new WrongExpectedVersionError(req.stream, req.expected, BigInt(s.lastRevision));
      }
      position = BigInt(row.position);
    }
    return { nextRevision: BigInt(first + req.events.length - 1), position };
  }

  private rememberId(e: StoredEvent): void {
    this.recentIds.set(e.id, { stream: e.streamName, revision: Number(e.revision) });
    if (this.recentIds.size > RECENT_IDS_LIMIT) {
      const oldest = this.recentIds.keys().next().value as string;
      this.recentIds.delete(oldest);
    }
  }

  private lastRevisionOf(state: StreamState): number {
    if (Number.isNaN(state.lastRevision)) {
      const row = this.stmt.lastRevision.get(state.id) as { r: number | null };
      state.lastRevision = row.r ?? -1;
    }
    return state.lastRevision;
  }

  private toStored(r: EventRow): StoredEvent {
    if (recordCrc({ id: r.event_id, type: r.type, data: r.data, metadata: r.metadata }) !== r.crc) {
      // Damaged on disk: refuse to serve it rather than hand out wrong data.
      throw new CorruptEventLogError(this.file, [`event at position ${r.position} fails its checksum`]);
    }
    return {
      position: BigInt(r.position),
      streamName: this.streamNamesById.get(r.stream_id) ?? '',
      revision: BigInt(r.revision),
      id: r.event_id,
      type: r.type,
      contentType: r.content_type,
      createdMs: r.created,
      data: r.data,
      metadata: r.metadata,
    };
  }
}

function checkExpected(
  stream: string,
  expected: ExpectedRevision,
  current: number,
  visible: boolean,
  known: boolean,
): void {
  const fail = () => {
    throw new WrongExpectedVersionError(stream, expected, visible || known ? BigInt(current) : undefined);
  };
  if (expected === 'any') return;
  if (expected === 'no_stream') {
    if (visible) fail();
    return;
  }
  if (expected === 'stream_exists') {
    if (!visible) fail();
    return;
  }
  if (BigInt(current) !== expected) fail();
}

function recordCrc(e: { id: string; type: string; data: Uint8Array; metadata: Uint8Array }): number {
  // zlib's crc32 of a buffer without storage (some empty buffers) restarts at 0: skip empty parts.
  const add = (bytes: Uint8Array, crc: number) => (bytes.length ? crc32(bytes, crc) : crc);
  return add(e.metadata, add(e.data, crc32(`${e.id}\u0000${e.type}`)));
}

function randomUuid(): string {
  return crypto.randomUUID();
}
