import { DAY_MS } from '#lifecycle';

import { computeHealth } from './compute-health.js';
import type { HealthBand, HealthInput } from './health.types.js';

/** Health's inputs over time while nothing new is recorded. */
export type HealthTimeline = {
  /** The inputs at `at` (windowed inputs already narrowed to the window ending at `at`). */
  readonly inputAt: (at: Date) => HealthInput;
  /**
   * Instants at which a windowed input changes by itself: a commitment outcome leaving the
   * 180-day window, the last touch of a pillar leaving the 90-day one.
   */
  readonly steps: readonly Date[];
};

/** Searching further is pointless: a band change is found to this precision. */
const PRECISION_MS = 1000;

/**
 * The earliest instant after `now` at which the health band can differ from the band at `now`
 * if nothing new is recorded, or null when it cannot change any more. Between two steps only
 * recency moves, and it only falls (full until half the cadence, zero from twice the cadence),
 * so the score cannot rise there: the band's first change is found by bisection on the formula
 * itself, and at a step the caller simply looks again.
 */
export function nextHealthReview(timeline: HealthTimeline, now: Date): Date | null {
  const start = timeline.inputAt(now);
  const band = bandAt(timeline, now);
  const clockStart = (start.lastQualifyingTouchAt ?? start.openedAt).getTime();
  const recencyZeroAt = clockStart + 2 * start.cadenceDays * DAY_MS;
  const nextStep = timeline.steps
    .map((step) => step.getTime())
    .filter((step) => step > now.getTime())
    .reduce((earliest, step) => Math.min(earliest, step), Number.POSITIVE_INFINITY);
  // Past recencyZeroAt nothing moves between steps.
  const end = Math.min(nextStep, Math.max(recencyZeroAt, now.getTime()));
  if (end <= now.getTime()) return Number.isFinite(nextStep) ? new Date(nextStep) : null;
  if (bandAt(timeline, new Date(end)) === band) {
    return Number.isFinite(nextStep) ? new Date(nextStep) : null;
  }
  // The band differs at `end`; find the first instant it does, to PRECISION_MS.
  let unchanged = now.getTime();
  let changed = end;
  while (changed - unchanged > PRECISION_MS) {
    const middle = Math.floor((unchanged + changed) / 2);
    if (bandAt(timeline, new Date(middle)) === band) unchanged = middle;
    else changed = middle;
  }
  return new Date(changed);
}

function bandAt(timeline: HealthTimeline, at: Date): HealthBand {
  return computeHealth(timeline.inputAt(at), at).band;
}
