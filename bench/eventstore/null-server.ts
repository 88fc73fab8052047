// A Streams server whose store costs nothing: Read streams events held in memory through the same
// codec and pump as the embedded store, BatchAppend acknowledges at once. Driving it with the official
// client measures what the client and the gRPC transport alone reach: the ceiling for any server.
//   node dist/bench/eventstore/null-server.js --port P --events N
import { Server, ServerCredentials, type ServerDuplexStream, type ServerWritableStream } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { serverFeaturesImplementation } from '../../libs/embedded-eventstore/src/grpc/cluster-services.js';
import {
  AllStreamPosition,
  BatchAppendResp,
  GoogleEmpty,
  ServerFeaturesService,
  UUID,
  type BatchAppendRespT,
  type ReadReqT,
} from '../../libs/embedded-eventstore/src/grpc/protocol.js';
import {
  encodeReadEvent,
  StreamsServiceDefinition,
  type ReadResponse,
  type WireBatchAppendReq,
} from '../../libs/embedded-eventstore/src/grpc/wire.js';
import type { StoredEvent } from '../../libs/embedded-eventstore/src/storage/event-log.js';
import { EventPump } from '../../libs/embedded-eventstore/src/subscriptions/event-pump.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, events: { type: 'string' } } });
const data = Buffer.from(
  JSON.stringify({ accountId: 'acct-000123', channel: 'EMAIL', summary: 'x'.repeat(200) }),
);
const events: StoredEvent[] = Array.from({ length: Number(values.events) }, (_, i) => ({
  position: BigInt(i * 400),
  streamName: `bench-${i % 50}`,
  revision: BigInt(Math.floor(i / 50)),
  id: randomUUID(),
  type: 'TouchpointRecorded',
  contentType: 'application/json',
  createdMs: Date.now(),
  data,
  metadata: new Uint8Array(),
}));

let position = 0;
const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
server.addService(StreamsServiceDefinition, {
  read: (call: ServerWritableStream<ReadReqT, ReadResponse>) => {
    let next = 0;
    const pump = new EventPump(call, (e) => encodeReadEvent(e, false), { live: false });
    void pump.run((limit) => events.slice(next, (next += limit)));
  },
  batchAppend: (call: ServerDuplexStream<WireBatchAppendReq, BatchAppendRespT>) => {
    const counts = new Map<string, number>();
    call.on('data', (req: WireBatchAppendReq) => {
      const id = req.correlationId!;
      counts.set(id, (counts.get(id) ?? 0) + req.events.length);
      if (!req.isFinal) return;
      position += counts.get(id)! * 400;
      counts.delete(id);
      const success = new BatchAppendResp.Success();
      success.setCurrentRevision('0');
      const p = new AllStreamPosition();
      p.setCommitPosition(String(position));
      p.setPreparePosition(String(position));
      success.setPosition(p);
      const resp = new BatchAppendResp();
      resp.setCorrelationId(UUID.deserializeBinary(req.correlationBytes!));
      resp.setAny(new GoogleEmpty());
      resp.setSuccess(success);
      call.write(resp);
    });
    call.on('end', () => call.end());
  },
});
server.addService(ServerFeaturesService, serverFeaturesImplementation());
server.bindAsync(`127.0.0.1:${values.port}`, ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(`esdb://127.0.0.1:${port}?tls=false`);
});
process.on('SIGTERM', () => server.forceShutdown());
