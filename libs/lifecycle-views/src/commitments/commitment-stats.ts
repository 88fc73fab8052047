import type { CommitmentStatus } from '#lifecycle';

import { isInWindow } from '../shared/time-window.js';

export const COMMITMENT_WINDOW_DAYS = 180;

/** The contract's CommitmentStats. */
export type CommitmentStats = {
  readonly open: number;
  readonly overdue: number;
  readonly fulfilledOnTime: number;
  readonly fulfilledLate: number;
  readonly missed: number;
  readonly cancelled: number;
  /** Over the last 180 days; null with no history. */
  readonly onTimeRate: number | null;
};

/** What the stats need of a commitment (a CommitmentView or a SQL row). */
export type CommitmentFacts = {
  readonly status: CommitmentStatus;
  readonly dueAt: Date;
  readonly fulfilledAt: Date | null;
  readonly onTime: boolean | null;
  /** See CommitmentView.missedAt: kept by fulfilment and cancellation, cleared by renegotiation. */
  readonly missedAt: Date | null;
};

/** Resolutions in the window, the denominator and numerator of the on-time rate. */
export type CommitmentResolutions = { readonly resolved: number; readonly onTime: number };

/** A miss stands when the commitment is still MISSED or was fulfilled after being missed. */
function missStands(commitment: CommitmentFacts): boolean {
  return (
    commitment.status === 'MISSED' || (commitment.status === 'FULFILLED' && commitment.missedAt !== null)
  );
}

/**
 * Every outcome that counts towards the on-time rate, with when it happened: a fulfilment
 * (at fulfilledAt, on time or not) and a standing miss (at missedAt, never on time). A
 * commitment missed and then fulfilled late has both, like it counts in both `missed` and
 * `fulfilledLate`. Cancelled ones have none, even if missed first: the promise was withdrawn.
 */
function* outcomes(commitment: CommitmentFacts): Generator<{ at: Date; onTime: boolean }> {
  if (commitment.status === 'FULFILLED' && commitment.fulfilledAt !== null) {
    yield { at: commitment.fulfilledAt, onTime: commitment.onTime === true };
  }
  if (missStands(commitment) && commitment.missedAt !== null)
    yield { at: commitment.missedAt, onTime: false };
}

/** Outcomes with their instant in (now − windowDays, now]. */
export function commitmentResolutions(
  commitments: Iterable<CommitmentFacts>,
  now: Date,
  windowDays: number = COMMITMENT_WINDOW_DAYS,
): CommitmentResolutions {
  let resolved = 0;
  let onTime = 0;
  for (const commitment of commitments) {
    for (const outcome of outcomes(commitment)) {
      if (!isInWindow(outcome.at, now, windowDays)) continue;
      resolved += 1;
      if (outcome.onTime) onTime += 1;
    }
  }
  return { resolved, onTime };
}

export function onTimeRateOf(resolutions: CommitmentResolutions): number | null {
  return resolutions.resolved === 0 ? null : resolutions.onTime / resolutions.resolved;
}

/**
 * Counts are over every commitment the account has (lifetime); only `onTimeRate` is limited
 * to the last 180 days. Each commitment is in exactly one of open, fulfilled (on time or
 * late), missed and cancelled, except one MISSED and then fulfilled: it stays counted as
 * missed and also counts as fulfilled late. Overdue is OPEN with dueAt before now (a MISSED
 * one is counted as missed, not overdue).
 */
export function commitmentStats(commitments: Iterable<CommitmentFacts>, now: Date): CommitmentStats {
  const list = [...commitments];
  let open = 0;
  let overdue = 0;
  let fulfilledOnTime = 0;
  let fulfilledLate = 0;
  let missed = 0;
  let cancelled = 0;
  for (const commitment of list) {
    switch (commitment.status) {
      case 'OPEN':
        open += 1;
        if (commitment.dueAt.getTime() < now.getTime()) overdue += 1;
        break;
      case 'FULFILLED':
        if (commitment.onTime === true) fulfilledOnTime += 1;
        else fulfilledLate += 1;
        break;
      case 'MISSED':
        break;
      case 'CANCELLED':
        cancelled += 1;
        break;
      default: {
        const _exhaustive: never = commitment.status;
      }
    }
    if (missStands(commitment)) missed += 1;
  }
  return {
    open,
    overdue,
    fulfilledOnTime,
    fulfilledLate,
    missed,
    cancelled,
    onTimeRate: onTimeRateOf(commitmentResolutions(list, now)),
  };
}
