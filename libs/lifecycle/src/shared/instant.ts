import { LIMITS } from './limits.js';

/** A point in time as callers give it: a Date or an ISO-8601 string with a zone. */
export type Instant = Date | string;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** The instant in milliseconds, or undefined when it is not a valid instant. */
export function parseInstant(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The canonical form stored in events: `toISOString()`, milliseconds, UTC. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function ms(iso: string): number {
  return Date.parse(iso);
}

const EARLIEST_MS = Date.parse(LIMITS.earliestInstant);
const LATEST_MS = Date.parse(LIMITS.latestInstant);

/**
 * What is wrong with an instant outside the range stores keep (see `LIMITS.earliestInstant`),
 * or `undefined`. Outside it, an accepted instant was written to the event store and then stopped
 * the projections at that event, at every retry.
 */
export function instantRangeProblem(ms: number): string | undefined {
  return ms < EARLIEST_MS || ms > LATEST_MS
    ? `must be from ${LIMITS.earliestInstant} to ${LIMITS.latestInstant}`
    : undefined;
}
