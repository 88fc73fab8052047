/**
 * Errors that say a dependency is down rather than that the service is wrong: a refused or lost
 * connection to PostgreSQL or the event store, a connection that timed out, PostgreSQL shutting
 * down or not accepting connections yet. They are answered 503 UNAVAILABLE with a message that
 * says what to do (retry later), not as an internal error: the caller can act on it.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** PostgreSQL SQLSTATEs of a server going away or not there yet (class 08, 57P01-57P03). */
const POSTGRES_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down)/i,
  /Failed to connect/i,
  /No connection established/i,
  /14 UNAVAILABLE/,
];

export const UNAVAILABLE_MESSAGE =
  'A dependency of the service (event store or read-model database) is unavailable; retry later';

export function isUnavailableDependency(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const { code, message, cause, type } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    type?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code))) return true;
  // @eventstore/db-client's UnavailableError and DeadlineExceededError.
  if (type === 'unavailable' || type === 'deadline-exceeded') return true;
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isUnavailableDependency(cause, depth + 1);
}
