import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../storage/event-log.js';
import { eventResponse, toUuid } from './messages.js';
import {
  AppendReq,
  BatchAppendReq,
  Empty,
  GoogleEmpty,
  ReadResp,
  StreamIdentifier,
  UUID,
} from './protocol.js';
import { decodeAppendReq, decodeBatchAppendReq, encodeReadEvent } from './wire.js';

const stored = (over: Partial<StoredEvent> = {}): StoredEvent => ({
  position: 123_456_789_012n,
  streamName: 'customer-42',
  revision: 7n,
  id: randomUUID(),
  type: 'TouchpointRecorded',
  contentType: 'application/json',
  createdMs: 1_763_000_000_123,
  data: Buffer.from('{"a":1}'),
  metadata: Buffer.from('{"m":"ü"}'),
  ...over,
});

describe('encodeReadEvent', () => {
  const cases: Array<[string, Partial<StoredEvent>]> = [
    ['a typical event', {}],
    [
      'position, revision 0 and empty bytes',
      { position: 0n, revision: 0n, data: new Uint8Array(), metadata: new Uint8Array() },
    ],
    [
      'large numbers and unicode names',
      { position: 2n ** 52n + 3n, revision: 300_000n, streamName: 'kunde-ü-😀', type: 'Événement' },
    ],
    ['an empty stream name', { streamName: '' }],
    ['an id with high bits set', { id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }],
    ['an id with a zero half', { id: '00000000-0000-0000-8000-000000000001' }],
  ];
  for (const structured of [false, true]) {
    for (const [name, over] of cases) {
      it(`matches the generated serializer for ${name} (${structured ? 'structured' : 'string'} ids)`, () => {
        const e = stored(over);
        const expected = eventResponse(e, structured);
        const bytes = encodeReadEvent(e, structured);
        // Decodes with the client's classes into exactly the same message.
        expect(ReadResp.deserializeBinary(bytes).toObject()).toEqual(expected.toObject());
        // Map entries aside (their order is not significant), the bytes are the generated ones.
        expect(bytes.length).toBe(expected.serializeBinary().length);
      });
    }
  }
});

const proposedMessage = (
  Kind: typeof BatchAppendReq.ProposedMessage | typeof AppendReq.ProposedMessage,
  id: string,
  structured: boolean,
) => {
  const m = new Kind();
  m.setId(toUuid(id, structured));
  m.getMetadataMap().set('type', 'Thing');
  m.getMetadataMap().set('content-type', 'application/json');
  m.getMetadataMap().set('other', 'ignored');
  m.setData(Buffer.from('{"x":2}'));
  m.setCustomMetadata(Buffer.from('meta'));
  return m;
};

describe('decodeBatchAppendReq', () => {
  for (const structured of [false, true]) {
    it(`reads what the client's classes write (${structured ? 'structured' : 'string'} ids)`, () => {
      const req = new BatchAppendReq();
      const correlation = randomUUID();
      req.setCorrelationId(toUuid(correlation, structured));
      const options = new BatchAppendReq.Options();
      const sid = new StreamIdentifier();
      sid.setStreamName(Buffer.from('orders-ü'));
      options.setStreamIdentifier(sid);
      options.setStreamPosition('18446744073709551615');
      req.setOptions(options);
      const ids = [randomUUID(), 'ffffffff-ffff-4fff-bfff-ffffffffffff'];
      for (const id of ids)
        req.addProposedMessages(proposedMessage(BatchAppendReq.ProposedMessage, id, structured));
      const bare = new BatchAppendReq.ProposedMessage();
      bare.setId(toUuid(randomUUID(), structured));
      req.addProposedMessages(bare);
      req.setIsFinal(true);

      const decoded = decodeBatchAppendReq(Buffer.from(req.serializeBinary()));
      expect(decoded.correlationId).toBe(correlation);
      expect(UUID.deserializeBinary(decoded.correlationBytes!).toObject()).toEqual(
        req.getCorrelationId()!.toObject(),
      );
      expect(decoded.options).toEqual({ stream: 'orders-ü', expected: 18446744073709551615n });
      expect(decoded.isFinal).toBe(true);
      expect(decoded.events.slice(0, 2)).toEqual(
        ids.map((id) => ({
          id,
          type: 'Thing',
          contentType: 'application/json',
          data: Buffer.from('{"x":2}'),
          metadata: Buffer.from('meta'),
        })),
      );
      expect(decoded.events[2].type).toBeUndefined();
      expect(decoded.events[2].data.length).toBe(0);
    });
  }

  it('reads each expectation, the last of the oneof winning', () => {
    const expectations: Array<[(o: InstanceType<typeof BatchAppendReq.Options>) => void, unknown]> = [
      [(o) => o.setAny(new GoogleEmpty()), 'any'],
      [(o) => o.setNoStream(new GoogleEmpty()), 'no_stream'],
      [(o) => o.setStreamExists(new GoogleEmpty()), 'stream_exists'],
      [(o) => o.setStreamPosition('0'), 0n],
      [(o) => (o.setStreamPosition('5'), o.setNoStream(new GoogleEmpty())), 'no_stream'],
      [() => undefined, 'any'],
    ];
    for (const [set, expected] of expectations) {
      const req = new BatchAppendReq();
      req.setCorrelationId(toUuid(randomUUID(), false));
      const o = new BatchAppendReq.Options();
      set(o);
      req.setOptions(o);
      const decoded = decodeBatchAppendReq(Buffer.from(req.serializeBinary()));
      expect(decoded.options).toEqual({ stream: undefined, expected });
      expect(decoded.isFinal).toBe(false);
    }
  });
});

describe('decodeAppendReq', () => {
  it('reads options and proposed messages', () => {
    const head = new AppendReq();
    const options = new AppendReq.Options();
    const sid = new StreamIdentifier();
    sid.setStreamName(Buffer.from('s-1'));
    options.setStreamIdentifier(sid);
    options.setRevision('41');
    head.setOptions(options);
    expect(decodeAppendReq(Buffer.from(head.serializeBinary()))).toEqual({
      options: { stream: 's-1', expected: 41n },
    });

    const noStream = new AppendReq.Options();
    noStream.setStreamIdentifier(sid);
    noStream.setNoStream(new Empty());
    const req2 = new AppendReq();
    req2.setOptions(noStream);
    expect(decodeAppendReq(Buffer.from(req2.serializeBinary())).options?.expected).toBe('no_stream');

    const id = randomUUID();
    const body = new AppendReq();
    body.setProposedMessage(proposedMessage(AppendReq.ProposedMessage, id, true));
    expect(decodeAppendReq(Buffer.from(body.serializeBinary()))).toEqual({
      event: {
        id,
        type: 'Thing',
        contentType: 'application/json',
        data: Buffer.from('{"x":2}'),
        metadata: Buffer.from('meta'),
      },
    });
  });

  it('rejects truncated input', () => {
    const body = new AppendReq();
    body.setProposedMessage(proposedMessage(AppendReq.ProposedMessage, randomUUID(), false));
    const bytes = Buffer.from(body.serializeBinary());
    expect(() => decodeAppendReq(bytes.subarray(0, bytes.length - 3))).toThrow();
  });
});
