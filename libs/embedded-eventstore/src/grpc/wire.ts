// Hand-written protobuf for the Streams messages that carry events, the hot paths of the server.
// google-protobuf builds a tree of message objects per event and (de)serializes it field by field
// through generic code: profiles showed it as the largest share of the server's CPU on reads and a
// tenth of it on appends. These functions write and read the same wire format directly. Field numbers
// are those of EventStoreDB's streams.proto / shared.proto, as in
// @eventstore/db-client/generated/streams_pb.js; wire.spec.ts checks them against the generated classes.
import type { ExpectedRevision, StoredEvent } from '../storage/event-log.js';
import { StreamsService as GeneratedStreamsService, type ReadRespT } from './protocol.js';

// Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. A tag is (field << 3) | type.
const LEN = 2;
const tag = (field: number, type: number) => (field << 3) | type;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Length of a length-delimited field (tag, length, payload) with a one-byte tag. */
const fieldSize = (payload: number) => 1 + varintSize(payload) + payload;

class Writer {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  varint(n: number): void {
    // Positions and revisions stay below 2^53: plain arithmetic, no BigInt.
    while (n >= 128) {
      this.buf[this.offset++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.buf[this.offset++] = n;
  }

  /** A 64-bit two's complement varint (signed int64 fields). */
  int64(n: bigint): void {
    let v = BigInt.asUintN(64, n);
    while (v >= 128n) {
      this.buf[this.offset++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    this.buf[this.offset++] = Number(v);
  }

  header(t: number, length: number): void {
    this.buf[this.offset++] = t;
    this.varint(length);
  }

  bytes(t: number, value: Uint8Array): void {
    this.header(t, value.length);
    this.buf.set(value, this.offset);
    this.offset += value.length;
  }

  string(t: number, value: string, byteLength: number): void {
    this.header(t, byteLength);
    this.offset += this.buf.write(value, this.offset, byteLength, 'utf8');
  }
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

// The three metadata keys every returned event carries (EventStoreDB's required properties).
const KEY_TYPE = 'type';
const KEY_CONTENT_TYPE = 'content-type';
const KEY_CREATED = 'created';

/** Size of one map<string, string> entry's payload: key = 1, value = 2. */
const entrySize = (keyLength: number, valueLength: number) => fieldSize(keyLength) + fieldSize(valueLength);

/** Signed halves of a UUID, as the structured form carries them. */
function uuidHalves(id: string): [bigint, bigint] {
  const hex = id.replace(/-/g, '');
  return [
    BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)),
    BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)),
  ];
}

const int64Size = (n: bigint) => {
  let v = BigInt.asUintN(64, n);
  let size = 1;
  while (v >= 128n) {
    v >>= 7n;
    size++;
  }
  return size;
};

/**
 * `ReadResp { event: ReadEvent { event: RecordedEvent, commit_position } }` for one stored event,
 * as protobuf bytes: what `eventResponse(e, structuredIds).serializeBinary()` produces, without
 * building the message objects.
 */
export function encodeReadEvent(e: StoredEvent, structuredIds: boolean): Buffer {
  const position = Number(e.position);
  const revision = Number(e.revision);
  const created = `${e.createdMs}0000`; // .NET ticks (100 ns) since the Unix epoch

  // UUID: string = 2, or structured = 1 { most = 1, least = 2 } (zero halves are omitted, as proto3 does).
  const halves = structuredIds ? uuidHalves(e.id) : undefined;
  const structuredSize = halves
    ? (halves[0] ? 1 + int64Size(halves[0]) : 0) + (halves[1] ? 1 + int64Size(halves[1]) : 0)
    : 0;
  const idStringLength = halves ? 0 : utf8Length(e.id);
  const idLength = fieldSize(halves ? structuredSize : idStringLength);

  const nameLength = utf8Length(e.streamName);
  const streamIdSize = nameLength ? fieldSize(nameLength) : 0; // StreamIdentifier { stream_name = 3 }
  const typeLength = utf8Length(e.type);
  const contentTypeLength = utf8Length(e.contentType);
  const typeEntry = entrySize(KEY_TYPE.length, typeLength);
  const contentTypeEntry = entrySize(KEY_CONTENT_TYPE.length, contentTypeLength);
  const createdEntry = entrySize(KEY_CREATED.length, created.length);

  // RecordedEvent: id = 1, stream_identifier = 2, stream_revision = 3, prepare_position = 4,
  // commit_position = 5, metadata = 6 (map), custom_metadata = 7, data = 8. Zero numbers and empty
  // bytes are left out, as the generated serializer does.
  const recordSize =
    fieldSize(idLength) +
    fieldSize(streamIdSize) +
    (revision ? 1 + varintSize(revision) : 0) +
    (position ? 2 * (1 + varintSize(position)) : 0) +
    fieldSize(typeEntry) +
    fieldSize(contentTypeEntry) +
    fieldSize(createdEntry) +
    (e.metadata.length ? fieldSize(e.metadata.length) : 0) +
    (e.data.length ? fieldSize(e.data.length) : 0);
  // ReadEvent: event = 1, commit_position = 3 (always set, so written even when 0).
  const readEventSize = fieldSize(recordSize) + 1 + varintSize(position);
  // ReadResp: event = 1.
  const w = new Writer(Buffer.allocUnsafe(fieldSize(readEventSize)));

  w.header(tag(1, LEN), readEventSize);
  w.header(tag(1, LEN), recordSize);
  w.header(tag(1, LEN), idLength);
  if (halves) {
    w.header(tag(1, LEN), structuredSize);
    if (halves[0]) {
      w.buf[w.offset++] = tag(1, 0);
      w.int64(halves[0]);
    }
    if (halves[1]) {
      w.buf[w.offset++] = tag(2, 0);
      w.int64(halves[1]);
    }
  } else w.string(tag(2, LEN), e.id, idStringLength);
  w.header(tag(2, LEN), streamIdSize);
  if (nameLength) w.string(tag(3, LEN), e.streamName, nameLength);
  if (revision) {
    w.buf[w.offset++] = tag(3, 0);
    w.varint(revision);
  }
  if (position) {
    w.buf[w.offset++] = tag(4, 0);
    w.varint(position);
    w.buf[w.offset++] = tag(5, 0);
    w.varint(position);
  }
  w.header(tag(6, LEN), typeEntry);
  w.string(tag(1, LEN), KEY_TYPE, KEY_TYPE.length);
  w.string(tag(2, LEN), e.type, typeLength);
  w.header(tag(6, LEN), contentTypeEntry);
  w.string(tag(1, LEN), KEY_CONTENT_TYPE, KEY_CONTENT_TYPE.length);
  w.string(tag(2, LEN), e.contentType, contentTypeLength);
  w.header(tag(6, LEN), createdEntry);
  w.string(tag(1, LEN), KEY_CREATED, KEY_CREATED.length);
  w.string(tag(2, LEN), created, created.length);
  if (e.metadata.length) w.bytes(tag(7, LEN), e.metadata);
  if (e.data.length) w.bytes(tag(8, LEN), e.data);
  w.buf[w.offset++] = tag(3, 0);
  w.varint(position);
  return w.buf;
}

// ---------------------------------------------------------------------------------------------
// Requests

/** A proposed event as it arrived: the server validates it (type required, id present). */
export interface WireProposedEvent {
  /** Parsed UUID; undefined when the message carries no id. */
  id?: string;
  type?: string;
  contentType?: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface WireAppendOptions {
  /** undefined when the options carry no stream identifier. */
  stream?: string;
  expected: ExpectedRevision;
}

/** BatchAppendReq: correlation_id = 1, options = 2, proposed_messages = 3, is_final = 4. */
export interface WireBatchAppendReq {
  /** The correlation UUID parsed, and its bytes as sent (echoed verbatim in the response). */
  correlationId?: string;
  correlationBytes?: Uint8Array;
  options?: WireAppendOptions;
  events: WireProposedEvent[];
  isFinal: boolean;
}

/** AppendReq: options = 1, proposed_message = 2 (one message per event on the client stream). */
export interface WireAppendReq {
  options?: WireAppendOptions;
  event?: WireProposedEvent;
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get more(): boolean {
    return this.pos < this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 127) * scale;
      if (b < 128) return result;
      scale *= 128;
      if (scale > 2 ** 63) throw new Error('varint too long');
    }
  }

  /** A varint as an exact 64-bit unsigned value (for int64 fields that may be negative). */
  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 127) << shift;
      if (b < 128) return BigInt.asUintN(64, result);
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  }

  /** Bounds of a length-delimited field's payload; the reader moves past it. */
  delimited(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new Error('truncated field');
    this.pos = end;
    return [start, end];
  }

  skip(type: number): void {
    if (type === 0) this.varint();
    else if (type === 1) this.pos += 8;
    else if (type === LEN) this.delimited();
    else if (type === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${type}`);
    if (this.pos > this.end) throw new Error('truncated field');
  }
}

const text = (buf: Buffer, [start, end]: [number, number]) => buf.toString('utf8', start, end);

/** UUID { structured = 1 { most = 1, least = 2 }, string = 2 }: the form the event id arrived in, parsed. */
function readUuid(buf: Buffer, [start, end]: [number, number]): string {
  const r = new Reader(buf, start, end);
  let id = '';
  while (r.more) {
    const t = r.varint();
    if (t === tag(2, LEN)) id = text(buf, r.delimited()).toLowerCase();
    else if (t === tag(1, LEN)) {
      const s = new Reader(buf, ...r.delimited());
      let most = 0n;
      let least = 0n;
      while (s.more) {
        const st = s.varint();
        if (st === tag(1, 0)) most = s.varint64();
        else if (st === tag(2, 0)) least = s.varint64();
        else s.skip(st & 7);
      }
      // Other clients send the two-int64 form (most, least significant bits).
      const hex = most.toString(16).padStart(16, '0') + least.toString(16).padStart(16, '0');
      id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    } else r.skip(t & 7);
  }
  return id;
}

/** StreamIdentifier { stream_name = 3 (bytes) }. */
function readStreamName(buf: Buffer, [start, end]: [number, number]): string {
  const r = new Reader(buf, start, end);
  let name = '';
  while (r.more) {
    const t = r.varint();
    if (t === tag(3, LEN)) name = text(buf, r.delimited());
    else r.skip(t & 7);
  }
  return name;
}

/**
 * Options of Append and BatchAppend share their numbering: stream_identifier = 1,
 * revision / stream_position = 2, no_stream = 3, any = 4, stream_exists = 5 (a oneof: the last one
 * sent wins). Deadlines (6, 7) are ignored, as before.
 */
function readOptions(buf: Buffer, bounds: [number, number]): WireAppendOptions {
  const r = new Reader(buf, ...bounds);
  const options: WireAppendOptions = { expected: 'any' };
  while (r.more) {
    const t = r.varint();
    if (t === tag(1, LEN)) options.stream = readStreamName(buf, r.delimited());
    else if (t === tag(2, 0)) options.expected = r.varint64();
    else if (t === tag(3, LEN)) {
      r.delimited();
      options.expected = 'no_stream';
    } else if (t === tag(4, LEN)) {
      r.delimited();
      options.expected = 'any';
    } else if (t === tag(5, LEN)) {
      r.delimited();
      options.expected = 'stream_exists';
    } else r.skip(t & 7);
  }
  return options;
}

const EMPTY = new Uint8Array(0);

/** ProposedMessage: id = 1, metadata = 2 (map), custom_metadata = 3, data = 4; the same in both requests. */
function readProposed(buf: Buffer, bounds: [number, number]): WireProposedEvent {
  const r = new Reader(buf, ...bounds);
  const e: WireProposedEvent = { data: EMPTY, metadata: EMPTY };
  while (r.more) {
    const t = r.varint();
    if (t === tag(1, LEN)) e.id = readUuid(buf, r.delimited());
    else if (t === tag(2, LEN)) {
      const m = new Reader(buf, ...r.delimited());
      let key = '';
      let value = '';
      while (m.more) {
        const mt = m.varint();
        if (mt === tag(1, LEN)) key = text(buf, m.delimited());
        else if (mt === tag(2, LEN)) value = text(buf, m.delimited());
        else m.skip(mt & 7);
      }
      // Only these two keys mean anything to the server; EventStoreDB sets the rest itself.
      if (key === KEY_TYPE) e.type = value;
      else if (key === KEY_CONTENT_TYPE) e.contentType = value;
    } else if (t === tag(3, LEN)) e.metadata = buf.subarray(...r.delimited());
    else if (t === tag(4, LEN)) e.data = buf.subarray(...r.delimited());
    else r.skip(t & 7);
  }
  return e;
}

export function decodeBatchAppendReq(buf: Buffer): WireBatchAppendReq {
  const r = new Reader(buf);
  const req: WireBatchAppendReq = { events: [], isFinal: false };
  while (r.more) {
    const t = r.varint();
    if (t === tag(1, LEN)) {
      const bounds = r.delimited();
      req.correlationId = readUuid(buf, bounds);
      req.correlationBytes = buf.subarray(...bounds);
    } else if (t === tag(2, LEN)) req.options = readOptions(buf, r.delimited());
    else if (t === tag(3, LEN)) req.events.push(readProposed(buf, r.delimited()));
    else if (t === tag(4, 0)) req.isFinal = r.varint() !== 0;
    else r.skip(t & 7);
  }
  return req;
}

export function decodeAppendReq(buf: Buffer): WireAppendReq {
  const r = new Reader(buf);
  const req: WireAppendReq = {};
  while (r.more) {
    const t = r.varint();
    if (t === tag(1, LEN)) req.options = readOptions(buf, r.delimited());
    else if (t === tag(2, LEN)) req.event = readProposed(buf, r.delimited());
    else r.skip(t & 7);
  }
  return req;
}

/** A Read response: pre-encoded event bytes, or a message object for the rare kinds (confirmation, CaughtUp…). */
export type ReadResponse = Buffer | ReadRespT;

/**
 * The Streams service definition with the hand-written codecs on the event-carrying methods. Paths
 * and the other methods are the generated ones, so clients see no difference.
 */
export const StreamsServiceDefinition = {
  ...GeneratedStreamsService,
  read: {
    ...GeneratedStreamsService.read,
    responseSerialize: (value: ReadResponse): Buffer =>
      Buffer.isBuffer(value) ? value : Buffer.from((value as ReadRespT).serializeBinary()),
  },
  append: { ...GeneratedStreamsService.append, requestDeserialize: decodeAppendReq },
  batchAppend: { ...GeneratedStreamsService.batchAppend, requestDeserialize: decodeBatchAppendReq },
};
