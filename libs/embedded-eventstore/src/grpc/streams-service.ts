import {
  Metadata,
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { CorruptEventLogError, StreamDeletedError, WrongExpectedVersionError } from '../errors.js';
import type {
  AppendResult,
  EventLog,
  ExpectedRevision,
  ProposedEvent,
  StoredEvent,
} from '../storage/event-log.js';
import { EventFilter } from '../subscriptions/event-filter.js';
import { EventPump } from '../subscriptions/event-pump.js';
import { expectedVersionNumber, streamIdentifier, streamName } from './messages.js';
import {
  AllStreamPosition,
  Any,
  AppendResp,
  BatchAppendResp,
  DeleteResp,
  Empty,
  GoogleEmpty,
  ReadReq,
  ReadResp,
  Status,
  StreamDeleted,
  TombstoneResp,
  UUID,
  WrongExpectedVersion,
  type AppendRespT,
  type BatchAppendRespT,
  type DeleteReqT,
  type DeleteRespT,
  type ReadReqT,
  type TombstoneReqT,
  type TombstoneRespT,
} from './protocol.js';
import {
  encodeReadEvent,
  type ReadResponse,
  type WireAppendReq,
  type WireBatchAppendReq,
  type WireProposedEvent,
} from './wire.js';

/** EventStoreDB's default filter window when the client asks for none. */
const DEFAULT_FILTER_WINDOW = 32;
/** EventStoreDB's default maximum append size. */
const MAX_APPEND_BYTES = 16 * 1024 * 1024;

interface ExpectationCarrier {
  hasRevision?(): boolean;
  getRevision?(): string;
  hasStreamPosition?(): boolean;
  getStreamPosition?(): string;
  hasNoStream(): boolean;
  hasAny(): boolean;
  hasStreamExists(): boolean;
}

function expectationOf(o: ExpectationCarrier): ExpectedRevision {
  if (o.hasRevision?.()) return BigInt(o.getRevision!());
  if (o.hasStreamPosition?.()) return BigInt(o.getStreamPosition!());
  if (o.hasNoStream()) return 'no_stream';
  if (o.hasStreamExists()) return 'stream_exists';
  return 'any';
}

/** A gRPC error that the client turns into its typed errors through the `exception` trailer. */
function grpcError(code: status, details: string, trailers: Record<string, string> = {}) {
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(trailers)) metadata.set(k, v);
  return Object.assign(new Error(details), { code, details, metadata });
}

function toGrpcError(error: unknown) {
  if (error instanceof StreamDeletedError) {
    return grpcError(status.FAILED_PRECONDITION, error.message, {
      exception: 'stream-deleted',
      'stream-name': error.stream,
    });
  }
  if (error instanceof WrongExpectedVersionError) {
    const trailers: Record<string, string> = {
      exception: 'wrong-expected-version',
      'stream-name': error.stream,
      'expected-version': expectedVersionNumber(error.expected),
    };
    if (error.current !== undefined) trailers['actual-version'] = error.current.toString();
    return grpcError(status.FAILED_PRECONDITION, error.message, trailers);
  }
  if (error instanceof CorruptEventLogError) return grpcError(status.DATA_LOSS, error.message);
  return grpcError(status.UNKNOWN, error instanceof Error ? error.message : String(error));
}

function proposed(msg: WireProposedEvent): ProposedEvent {
  const type = msg.type;
  if (!type)
    throw grpcError(status.INVALID_ARGUMENT, 'event type is required', {
      exception: 'missing-required-metadata-property',
    });
  if (msg.id === undefined) throw new Error('event id is missing');
  return {
    id: msg.id,
    type,
    contentType: msg.contentType ?? 'application/octet-stream',
    data: msg.data,
    metadata: msg.metadata,
  };
}

function streamOf(options: { stream?: string }): string {
  if (options.stream === undefined) throw new Error('stream identifier is missing');
  return options.stream;
}

/** The Streams service of EventStoreDB's gRPC protocol, over the embedded event log. */
export class StreamsService {
  private readonly pumps = new Set<EventPump>();
  private readonly duplexCalls = new Set<ServerDuplexStream<WireBatchAppendReq, BatchAppendRespT>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly log: EventLog) {
    this.unsubscribe = log.onCommit(() => {
      for (const pump of this.pumps) pump.notify();
    });
  }

  /** Ends every open read and subscription so the server can shut down; clients see UNAVAILABLE. */
  closeAll(): void {
    this.unsubscribe();
    const shuttingDown = () => grpcError(status.UNAVAILABLE, 'the event store is shutting down');
    for (const pump of this.pumps) pump.abort(shuttingDown());
    this.pumps.clear();
    for (const call of this.duplexCalls) call.emit('error', shuttingDown());
    this.duplexCalls.clear();
  }

  implementation(): UntypedServiceImplementation {
    return {
      read: (call: ServerWritableStream<ReadReqT, ReadResponse>) => this.read(call),
      append: (call: ServerReadableStream<WireAppendReq, AppendRespT>, cb: sendUnaryData<AppendRespT>) =>
        this.append(call, cb),
      batchAppend: (call: ServerDuplexStream<WireBatchAppendReq, BatchAppendRespT>) => this.batchAppend(call),
      delete: (call: ServerUnaryCall<DeleteReqT, DeleteRespT>, cb: sendUnaryData<DeleteRespT>) =>
        this.remove(call.request.getOptions(), 'delete', cb),
      tombstone: (call: ServerUnaryCall<TombstoneReqT, TombstoneRespT>, cb: sendUnaryData<TombstoneRespT>) =>
        this.remove(call.request.getOptions(), 'tombstone', cb),
    };
  }

  private read(call: ServerWritableStream<ReadReqT, ReadResponse>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', grpcError(status.INVALID_ARGUMENT, 'read options are required'));
      return;
    }
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const live = options.hasSubscription();
    const maxCount = options.hasCount() ? Number(BigInt(options.getCount())) : undefined;
    const encode = (e: StoredEvent) => encodeReadEvent(e, structuredIds);

    let filter: EventFilter | undefined;
    if (options.hasFilter()) {
      const f = options.getFilter()!;
      const expr = f.hasStreamIdentifier() ? f.getStreamIdentifier()! : f.getEventType()!;
      const window = f.hasMax() ? f.getMax() : DEFAULT_FILTER_WINDOW;
      try {
        filter = new EventFilter(
          f.hasStreamIdentifier() ? 'stream' : 'type',
          expr.getPrefixList(),
          expr.getRegex() || undefined,
          Math.max(1, f.getCheckpointintervalmultiplier()) * window,
        );
      } catch (error) {
        call.emit('error', grpcError(status.INVALID_ARGUMENT, `invalid filter: ${(error as Error).message}`));
        return;
      }
    }
    const pump = new EventPump(call, encode, {
      live,
      maxCount,
      matches: filter ? (e) => filter.matches(e) : undefined,
      checkpointInterval: live ? filter?.checkpointInterval : undefined,
    });

    let reader: (limit: number) => StoredEvent[];
    if (options.hasAll()) {
      const all = options.getAll()!;
      // Cursor semantics: reads include their start; subscriptions start after it.
      if (backwards) {
        let before = all.hasPosition()
          ? BigInt(all.getPosition()!.getCommitPosition())
          : all.hasStart()
            ? 0n
            : this.log.tail + 1n;
        reader = (limit) => {
          const page = this.log.readAllBackward(before, limit);
          if (page.length) before = page[page.length - 1].position;
          return page;
        };
      } else {
        let from: bigint;
        if (all.hasPosition()) {
          const p = BigInt(all.getPosition()!.getCommitPosition());
          from = live ? p + 1n : p;
        } else from = all.hasEnd() ? this.log.tail + 1n : 0n;
        reader = (limit) => {
          const page = this.log.readAllForward(from, limit);
          if (page.length) from = page[page.length - 1].position + 1n;
          return page;
        };
      }
    } else {
      const stream = options.getStream()!;
      const name = streamName(stream.getStreamIdentifier());
      const state = this.log.streamStatus(name);
      if (state === 'deleted') {
        call.emit('error', toGrpcError(new StreamDeletedError(name)));
        return;
      }
      if (state === 'missing' && !live) {
        const resp = new ReadResp();
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(name));
        resp.setStreamNotFound(notFound);
        call.write(resp);
        call.end();
        return;
      }
      if (backwards) {
        let at = stream.hasRevision()
          ? Number(BigInt(stream.getRevision()))
          : stream.hasStart()
            ? 0
            : this.log.lastRevision(name);
        reader = (limit) => {
          if (at < 0) return [];
          const page = this.log.readStreamBackward(name, at, limit);
          at = page.length ? Number(page[page.length - 1].revision) - 1 : -1;
          return page;
        };
      } else {
        let next: number;
        if (stream.hasRevision()) next = Number(BigInt(stream.getRevision())) + (live ? 1 : 0);
        else next = stream.hasEnd() ? this.log.lastRevision(name) + 1 : 0;
        reader = (limit) => {
          const page = this.log.readStreamForward(name, next, limit);
          if (page.length) next = Number(page[page.length - 1].revision) + 1;
          return page;
        };
      }
    }

    if (live) {
      const confirmation = new ReadResp();
      const c = new ReadResp.SubscriptionConfirmation();
      c.setSubscriptionId(randomUUID());
      confirmation.setConfirmation(c);
      call.write(confirmation);
    }
    this.pumps.add(pump);
    pump
      .run(reader)
      .catch((error) => {
        if (!pump.isClosed) call.emit('error', toGrpcError(error));
      })
      .finally(() => this.pumps.delete(pump));
  }

  private append(
    call: ServerReadableStream<WireAppendReq, AppendRespT>,
    cb: sendUnaryData<AppendRespT>,
  ): void {
    let stream: string | undefined;
    let expected: ExpectedRevision = 'any';
    const events: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    call.on('data', (req: WireAppendReq) => {
      if (failed) return;
      try {
        if (req.options) {
          stream = streamOf(req.options);
          expected = req.options.expected;
        } else if (req.event) {
          const e = proposed(req.event);
          size += e.data.length + e.metadata.length;
          events.push(e);
        }
      } catch (error) {
        failed = true;
        cb(error as Error);
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (stream === undefined) return cb(grpcError(status.INVALID_ARGUMENT, 'append options are required'));
      if (size > MAX_APPEND_BYTES) {
        return cb(
          grpcError(status.INVALID_ARGUMENT, `append exceeds ${MAX_APPEND_BYTES} bytes`, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(MAX_APPEND_BYTES),
          }),
        );
      }
      const name = stream;
      this.log.append(name, expected, events).then(
        (result) => cb(null, appendSuccess(result)),
        (error) => {
          if (error instanceof WrongExpectedVersionError) return cb(null, appendWrongExpectedVersion(error));
          cb(toGrpcError(error));
        },
      );
    });
  }

  private batchAppend(call: ServerDuplexStream<WireBatchAppendReq, BatchAppendRespT>): void {
    this.duplexCalls.add(call);
    const open = new Map<
      string,
      { req: WireBatchAppendReq; stream: string; expected: ExpectedRevision; events: ProposedEvent[] }
    >();
    call.on('data', (req: WireBatchAppendReq) => {
      const correlation = req.correlationId ?? '';
      let entry = open.get(correlation);
      try {
        if (req.correlationId === undefined) throw new Error('the batch append has no correlation id');
        if (!entry) {
          const o = req.options;
          if (!o) throw new Error('the first message of a batch append needs options');
          entry = { req, stream: streamOf(o), expected: o.expected, events: [] };
          open.set(correlation, entry);
        }
        for (const m of req.events) entry.events.push(proposed(m));
      } catch (error) {
        open.delete(correlation);
        call.emit('error', toGrpcError(error));
        return;
      }
      if (!req.isFinal) return;
      open.delete(correlation);
      const { stream, expected, events } = entry;
      const first = entry.req;
      this.log.append(stream, expected, events).then(
        (result) =>
          call.write(batchResponse(first, stream, expected, (resp) => resp.setSuccess(batchSuccess(result)))),
        (error) =>
          call.write(
            batchResponse(first, stream, expected, (resp) => resp.setError(batchError(error, stream))),
          ),
      );
    });
    call.on('end', () => {
      this.duplexCalls.delete(call);
      call.end();
    });
    call.on('error', () => this.duplexCalls.delete(call));
  }

  private remove(
    options: ReturnType<DeleteReqT['getOptions']> | ReturnType<TombstoneReqT['getOptions']>,
    kind: 'delete' | 'tombstone',
    cb: sendUnaryData<DeleteRespT & TombstoneRespT>,
  ): void {
    if (!options) return cb(grpcError(status.INVALID_ARGUMENT, `${kind} options are required`));
    const name = streamName(options.getStreamIdentifier());
    const expected = expectationOf(options);
    const op =
      kind === 'delete' ? this.log.deleteStream(name, expected) : this.log.tombstoneStream(name, expected);
    op.then(
      (result) => {
        const resp = kind === 'delete' ? new DeleteResp() : new TombstoneResp();
        if (result.position === undefined) resp.setNoPosition(new Empty());
        else {
          const p = new (kind === 'delete' ? DeleteResp.Position : TombstoneResp.Position)();
          p.setCommitPosition(result.position.toString());
          p.setPreparePosition(result.position.toString());
          resp.setPosition(p as never);
        }
        cb(null, resp as DeleteRespT & TombstoneRespT);
      },
      (error) => cb(toGrpcError(error)),
    );
  }
}

function appendSuccess(result: AppendResult): AppendRespT {
  const success = new AppendResp.Success();
  if (result.nextRevision < 0n) success.setNoStream(new Empty());
  else success.setCurrentRevision(result.nextRevision.toString());
  if (result.position === undefined) success.setNoPosition(new Empty());
  else {
    const p = new AppendResp.Position();
    p.setCommitPosition(result.position.toString());
    p.setPreparePosition(result.position.toString());
    success.setPosition(p);
  }
  const resp = new AppendResp();
  resp.setSuccess(success);
  return resp;
}

function appendWrongExpectedVersion(error: WrongExpectedVersionError): AppendRespT {
  const w = new AppendResp.WrongExpectedVersion();
  if (error.current === undefined) w.setCurrentNoStream(new Empty());
  else w.setCurrentRevision(error.current.toString());
  const expected = error.expected;
  if (expected === 'any') w.setExpectedAny(new Empty());
  else if (expected === 'no_stream') w.setExpectedNoStream(new Empty());
  else if (expected === 'stream_exists') w.setExpectedStreamExists(new Empty());
  else w.setExpectedRevision(expected.toString());
  const resp = new AppendResp();
  resp.setWrongExpectedVersion(w);
  return resp;
}

function batchResponse(
  first: WireBatchAppendReq,
  stream: string,
  expected: ExpectedRevision,
  fill: (resp: BatchAppendRespT) => void,
): BatchAppendRespT {
  const resp = new BatchAppendResp();
  // Echoed as the client sent it (string or structured form).
  resp.setCorrelationId(UUID.deserializeBinary(first.correlationBytes!));
  // The client reads the stream name from here when it raises an error: it must be present.
  resp.setStreamIdentifier(streamIdentifier(stream));
  if (expected === 'any') resp.setAny(new GoogleEmpty());
  else if (expected === 'no_stream') resp.setNoStream(new GoogleEmpty());
  else if (expected === 'stream_exists') resp.setStreamExists(new GoogleEmpty());
  else resp.setStreamPosition(expected.toString());
  fill(resp);
  return resp;
}

function batchSuccess(result: AppendResult) {
  const success = new BatchAppendResp.Success();
  if (result.nextRevision < 0n) success.setNoStream(new GoogleEmpty());
  else success.setCurrentRevision(result.nextRevision.toString());
  if (result.position === undefined) success.setNoPosition(new GoogleEmpty());
  else {
    const p = new AllStreamPosition();
    p.setCommitPosition(result.position.toString());
    p.setPreparePosition(result.position.toString());
    success.setPosition(p);
  }
  return success;
}

function batchError(error: unknown, stream: string) {
  const s = new Status();
  s.setCode(9); // FAILED_PRECONDITION
  s.setMessage(error instanceof Error ? error.message : String(error));
  const any = new Any();
  if (error instanceof WrongExpectedVersionError) {
    const w = new WrongExpectedVersion();
    if (error.current === undefined) w.setCurrentNoStream(new GoogleEmpty());
    else w.setCurrentStreamRevision(error.current.toString());
    const expected = error.expected;
    if (expected === 'any') w.setExpectedAny(new GoogleEmpty());
    else if (expected === 'no_stream') w.setExpectedNoStream(new GoogleEmpty());
    else if (expected === 'stream_exists') w.setExpectedStreamExists(new GoogleEmpty());
    else w.setExpectedStreamPosition(expected.toString());
    any.pack(w.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  } else if (error instanceof StreamDeletedError) {
    const d = new StreamDeleted();
    d.setStreamIdentifier(streamIdentifier(stream));
    any.pack(d.serializeBinary(), 'event_store.client.StreamDeleted');
  } else {
    s.setCode(2); // UNKNOWN
    any.pack(new Empty().serializeBinary(), 'event_store.client.Unknown');
  }
  s.setDetails(any);
  return s;
}
