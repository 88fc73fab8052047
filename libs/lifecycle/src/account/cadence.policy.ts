import type { Tier } from './tier.enum.js';

export const DEFAULT_CADENCE_DAYS: Readonly<Record<Tier, number>> = {
  STRATEGIC: 14,
  ENTERPRISE: 30,
  MIDMARKET: 45,
  SMB: 90,
};

/** The agreed cadence when there is one, else the tier's default. */
export function effectiveCadenceDays(account: {
  readonly tier: Tier;
  readonly cadenceDays: number | null;
}): number {
  return account.cadenceDays ?? DEFAULT_CADENCE_DAYS[account.tier];
}
