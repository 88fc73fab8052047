/** How long to wait before retrying a failed delivery. */
export interface BackoffPolicy {
  /** The ceiling of the first retry's wait; each further attempt doubles it. */
  readonly initialMs: number;
  /** The highest ceiling: a receiver down for hours is tried at least this often. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000 };

/** The ceiling of the wait after failed attempt `attempt` (from 1): initialMs·2^(attempt−1), capped. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}

/**
 * The wait after failed attempt `attempt`: between half the ceiling and the ceiling ("equal
 * jitter"). The random half spreads the retries of many workers so that a receiver coming back is
 * not hit by all of them at once; the fixed half keeps the wait growing.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, policy);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
