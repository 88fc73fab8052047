/** product.md, "Health": the factors' maximum points (they add up to 100) and penalties. */
export const HEALTH_MAX_POINTS = {
  recency: 35,
  commitments: 25,
  sentiment: 20,
  pillarBalance: 10,
  openAlerts: 10,
} as const;

export const MISSED_COMMITMENT_PENALTY = 5;
export const HIGH_SEVERITY_ALERT_PENALTY = 5;
export const HEALTH_PILLAR_WINDOW_DAYS = 90;

/** Band thresholds on the (integer) score: GREEN ≥ 75, AMBER 50–74, RED < 50. */
export const GREEN_FROM = 75;
export const AMBER_FROM = 50;
