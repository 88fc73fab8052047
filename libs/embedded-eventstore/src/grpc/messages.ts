import type { ExpectedRevision, StoredEvent } from '../storage/event-log.js';
import { ReadResp, StreamIdentifier, UUID, type ReadRespT, type UUIDT } from './protocol.js';

export function parseUuid(id: UUIDT | undefined): string {
  if (!id) throw new Error('event id is missing');
  if (id.hasStructured()) {
    // Other clients send the two-int64 form (most, least significant bits, signed).
    const s = id.getStructured()!;
    const buf = Buffer.alloc(16);
    buf.writeBigInt64BE(BigInt(s.getMostSignificantBits()), 0);
    buf.writeBigInt64BE(BigInt(s.getLeastSignificantBits()), 8);
    const hex = buf.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return id.getString().toLowerCase();
}

export function toUuid(id: string, structured: boolean): UUIDT {
  const uuid = new UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const buf = Buffer.from(id.replace(/-/g, ''), 'hex');
  const s = new UUID.Structured();
  s.setMostSignificantBits(buf.readBigInt64BE(0).toString());
  s.setLeastSignificantBits(buf.readBigInt64BE(8).toString());
  uuid.setStructured(s);
  return uuid;
}

export function streamIdentifier(name: string): InstanceType<typeof StreamIdentifier> {
  const id = new StreamIdentifier();
  id.setStreamName(Buffer.from(name, 'utf8'));
  return id;
}

export function streamName(id: InstanceType<typeof StreamIdentifier> | undefined): string {
  if (!id) throw new Error('stream identifier is missing');
  return Buffer.from(id.getStreamName_asU8()).toString('utf8');
}

export function eventResponse(e: StoredEvent, structuredIds: boolean): ReadRespT {
  const position = e.position.toString();
  const record = new ReadResp.ReadEvent.RecordedEvent();
  record.setId(toUuid(e.id, structuredIds));
  record.setStreamIdentifier(streamIdentifier(e.streamName));
  record.setStreamRevision(e.revision.toString());
  record.setPreparePosition(position);
  record.setCommitPosition(position);
  const meta = record.getMetadataMap();
  meta.set('type', e.type);
  meta.set('content-type', e.contentType);
  // .NET ticks (100 ns) since the Unix epoch, as the client expects.
  meta.set('created', `${e.createdMs}0000`);
  record.setCustomMetadata(e.metadata);
  record.setData(e.data);
  const read = new ReadResp.ReadEvent();
  read.setEvent(record);
  read.setCommitPosition(position);
  const resp = new ReadResp();
  resp.setEvent(read);
  return resp;
}

/** The number EventStoreDB puts in the `expected-version` trailer for each kind of expectation. */
export function expectedVersionNumber(expected: ExpectedRevision): string {
  switch (expected) {
    case 'any':
      return '-2';
    case 'no_stream':
      return '-1';
    case 'stream_exists':
      return '-4';
    default:
      return expected.toString();
  }
}
