export const Tier = {
  STRATEGIC: 'STRATEGIC',
  ENTERPRISE: 'ENTERPRISE',
  MIDMARKET: 'MIDMARKET',
  SMB: 'SMB',
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];
export const TIERS: readonly Tier[] = Object.values(Tier);
