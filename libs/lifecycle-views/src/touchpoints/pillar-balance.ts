import { type Channel, type Direction, isQualifyingTouch, type Pillar } from '#lifecycle';

import { isInWindow } from '../shared/time-window.js';

export const DEFAULT_PILLAR_WINDOW_DAYS = 90;

/** The contract's PillarBalance: qualifying touches per pillar in the window. */
export type PillarBalance = {
  readonly windowDays: number;
  readonly discovery: number;
  readonly service: number;
  readonly engagement: number;
};

/** What pillar balance needs of a touchpoint (a TouchpointView or a SQL row). */
export type PillarTouchFacts = {
  readonly occurredAt: Date;
  readonly pillar: Pillar;
  readonly channel: Channel;
  readonly direction: Direction;
};

/**
 * Counts qualifying touches with occurredAt in (now − windowDays, now], by pillar;
 * non-qualifying ones (internal notes, product usage, INTERNAL direction) are ignored.
 */
export function pillarBalance(
  touches: Iterable<PillarTouchFacts>,
  now: Date,
  windowDays: number = DEFAULT_PILLAR_WINDOW_DAYS,
): PillarBalance {
  if (!Number.isInteger(windowDays) || windowDays < 1) {
    throw new RangeError(`windowDays must be a positive whole number, got ${windowDays}`);
  }
  const counts: Record<Pillar, number> = { DISCOVERY: 0, SERVICE: 0, ENGAGEMENT: 0 };
  for (const touch of touches) {
    if (isQualifyingTouch(touch) && isInWindow(touch.occurredAt, now, windowDays)) counts[touch.pillar] += 1;
  }
  return {
    windowDays,
    discovery: counts.DISCOVERY,
    service: counts.SERVICE,
    engagement: counts.ENGAGEMENT,
  };
}

/** The pillars a balance has at least one touch in, in the contract's order. */
export function pillarsSeen(balance: PillarBalance): Pillar[] {
  const seen: Pillar[] = [];
  if (balance.discovery > 0) seen.push('DISCOVERY');
  if (balance.service > 0) seen.push('SERVICE');
  if (balance.engagement > 0) seen.push('ENGAGEMENT');
  return seen;
}
