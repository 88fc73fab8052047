/**
 * `@eventstore/db-client` (6.x) loses two errors when the connection drops under load, and Node
 * ends the process on each of them:
 *
 * - its appends write to the gRPC call inside an `async` Promise executor, so a write that fails
 *   because the call just died rejects a promise nobody holds (an unhandled rejection), while the
 *   append's own promise is rejected separately through the call's `error` event;
 * - a `batchAppend` response that arrives after that `error` event looks up a correlation id the
 *   client has already forgotten and throws a `TypeError` inside a stream `data` listener.
 *
 * (Both are reported upstream: kurrent-io/KurrentDB-Client-NodeJS#505 and #523.) In both cases
 * the caller has already been told its append failed, so the process can go on; a service that
 * died instead would drop every request in flight each time the event store restarted. This
 * guard swallows exactly those two, logs them, and leaves every other unhandled error fatal.
 */

/** gRPC status codes of a call that ended because the connection did: CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE. */
const TRANSPORT_STATUS_CODES = new Set([1, 4, 14]);
/** The client's own names for the same (its `ErrorType`). */
const TRANSPORT_ERROR_TYPES = new Set(['cancelled', 'deadline-exceeded', 'unavailable']);
const CLIENT_PATH = /[\\/]@eventstore[\\/]db-client[\\/]/;
const GRPC_PATH = /[\\/]@grpc[\\/]grpc-js[\\/]/;

/** An event-store call that failed because the connection went away (the lost rejection above). */
export function isLostTransportRejection(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  const { code, type } = reason as { code?: unknown; type?: unknown };
  const transport =
    (typeof code === 'number' && TRANSPORT_STATUS_CODES.has(code)) ||
    (typeof type === 'string' && TRANSPORT_ERROR_TYPES.has(type));
  const stack = reason.stack ?? '';
  return transport && (CLIENT_PATH.test(stack) || GRPC_PATH.test(stack));
}

/** The late `batchAppend` response after its call failed (the thrown `TypeError` above). */
export function isLateBatchAppendResponse(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /not iterable/.test(error.message) &&
    /[\\/]@eventstore[\\/]db-client[\\/]dist[\\/]streams[\\/]appendToStream[\\/]batchAppend\.js/.test(
      error.stack ?? '',
    )
  );
}

export interface ClientFaultLogger {
  warn(entry: Record<string, unknown>): void;
  fatal(entry: Record<string, unknown>): void;
}

let installed: (() => void) | undefined;

/**
 * Installs the guard for this process (once; a second call replaces the logger). Returns a
 * function that removes it. Anything the guard does not recognise is logged as fatal and ends
 * the process with code 1, as Node would have.
 */
export function guardEventStoreClientFaults(logger: ClientFaultLogger): () => void {
  installed?.();
  const fatal = (kind: string, error: unknown) => {
    logger.fatal({ msg: `${kind}; exiting`, err: error });
    process.exit(1);
  };
  const onRejection = (reason: unknown) => {
    if (isLostTransportRejection(reason))
      logger.warn({
        msg: 'event store call lost with its connection (already reported to its caller)',
        err: reason,
      });
    else fatal('unhandled rejection', reason);
  };
  const onException = (error: unknown) => {
    if (isLateBatchAppendResponse(error))
      logger.warn({ msg: 'late append response after its connection failed, ignored', err: error });
    else fatal('uncaught exception', error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const remove = () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    if (installed === remove) installed = undefined;
  };
  installed = remove;
  return remove;
}
