// The official client's own per-event cost, with no server and no network: what one Node process
// driving @eventstore/db-client can reach at best, whatever server answers it.
import { jsonEvent } from '@eventstore/db-client';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import convert from '@eventstore/db-client/dist/utils/convertGrpcEvent.js';
import { randomUUID } from 'node:crypto';
import { eventResponse } from '../../libs/embedded-eventstore/src/grpc/messages.js';

const { BatchAppendReq } = streamsPb;
const { ReadResp } = streamsPb;

/**
 * Events per second the client can turn into BatchAppend requests, as its batchAppend does
 * (dist/streams/appendToStream/batchAppend.js): it serializes every message once on its own to size
 * the batch, then the whole request again when gRPC sends it.
 */
export function clientEncodeCeiling(payload: string, batch: number, batches: number): number {
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const req = new BatchAppendReq();
    const correlation = new sharedPb.UUID();
    correlation.setString(randomUUID());
    req.setCorrelationId(correlation);
    for (let i = 0; i < batch; i++) {
      const event = jsonEvent({ type: 'TouchpointRecorded', data: JSON.parse(payload) });
      const message = new BatchAppendReq.ProposedMessage();
      const id = new sharedPb.UUID();
      id.setString(event.id);
      message.setId(id);
      message.getMetadataMap().set('type', event.type);
      message.getMetadataMap().set('content-type', event.contentType);
      message.setData(Buffer.from(JSON.stringify(event.data), 'utf8').toString('base64'));
      message.serializeBinary(); // the client's batch-size check
      req.addProposedMessages(message);
    }
    req.setIsFinal(true);
    req.serializeBinary();
  }
  return (batch * batches * 1000) / (performance.now() - started);
}

/** Events per second the client can decode from ReadResp messages into resolved events. */
export function clientDecodeCeiling(payload: string, count: number): number {
  const data = Buffer.from(payload);
  const encoded = Array.from({ length: count }, (_, i) =>
    eventResponse(
      {
        position: BigInt(i * 400),
        streamName: `bench-${i % 50}`,
        revision: BigInt(i),
        id: randomUUID(),
        type: 'TouchpointRecorded',
        contentType: 'application/json',
        createdMs: Date.now(),
        data,
        metadata: new Uint8Array(),
      },
      false,
    ).serializeBinary(),
  );
  const started = performance.now();
  for (const bytes of encoded) convert.convertGrpcEvent(ReadResp.deserializeBinary(bytes).getEvent()!);
  return (count * 1000) / (performance.now() - started);
}
