import { isLateBatchAppendResponse, isLostTransportRejection } from './client-fault-guard.js';

/** An error as the client raises it: the status code (and type) it sets, and a stack through its files. */
function clientError(message: string, fields: Record<string, unknown>, stackFile: string): Error {
  const error = Object.assign(new Error(message), fields);
  error.stack = `Error: ${message}\n    at callErrorFromStatus (${stackFile}:32:19)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;
  return error;
}

const GRPC_CALL = '/srv/app/node_modules/@grpc/grpc-js/build/src/call.js';
const BATCH_APPEND = '/srv/app/node_modules/@eventstore/db-client/dist/streams/appendToStream/batchAppend.js';
const OUR_CODE = '/srv/app/dist/libs/eventstore/src/event-store.service.js';

describe('the event-store client fault guard', () => {
  it('recognises a call lost with its connection, by gRPC status or client error type', () => {
    expect(
      isLostTransportRejection(clientError('14 UNAVAILABLE: Connection dropped', { code: 14 }, GRPC_CALL)),
    ).toBe(true);
    expect(
      isLostTransportRejection(clientError('1 CANCELLED: Cancelled on client', { code: 1 }, GRPC_CALL)),
    ).toBe(true);
    expect(
      isLostTransportRejection(clientError('Connection dropped', { type: 'unavailable' }, BATCH_APPEND)),
    ).toBe(true);
  });

  it('leaves every other rejection fatal', () => {
    // Another status from the client (a real failure the caller must see), and our own errors.
    expect(isLostTransportRejection(clientError('3 INVALID_ARGUMENT', { code: 3 }, GRPC_CALL))).toBe(false);
    expect(isLostTransportRejection(clientError('boom', { code: 14 }, OUR_CODE))).toBe(false);
    expect(isLostTransportRejection(new TypeError('x is undefined'))).toBe(false);
    expect(isLostTransportRejection({ code: 14, stack: GRPC_CALL })).toBe(false);
    expect(isLostTransportRejection(undefined)).toBe(false);
  });

  it('recognises only the late batch-append response among uncaught exceptions', () => {
    const late = new TypeError('undefined is not iterable (cannot read property Symbol(Symbol.iterator))');
    late.stack = `TypeError: ${late.message}\n    at ClientDuplexStreamImpl.<anonymous> (${BATCH_APPEND}:21:35)`;
    expect(isLateBatchAppendResponse(late)).toBe(true);

    const elsewhere = new TypeError(late.message);
    elsewhere.stack = `TypeError: ${late.message}\n    at handler (${OUR_CODE}:10:5)`;
    expect(isLateBatchAppendResponse(elsewhere)).toBe(false);
    expect(isLateBatchAppendResponse(clientError('14 UNAVAILABLE', { code: 14 }, BATCH_APPEND))).toBe(false);
  });
});
