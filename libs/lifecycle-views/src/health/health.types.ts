import type { Pillar, Sentiment } from '#lifecycle';

export type HealthBand = 'GREEN' | 'AMBER' | 'RED';

export type HealthFactorName = 'recency' | 'commitments' | 'sentiment' | 'pillarBalance' | 'openAlerts';

/** The contract's HealthFactor: points have at most two decimals. */
export type HealthFactor = {
  readonly name: HealthFactorName;
  readonly points: number;
  readonly maxPoints: number;
  /** One line, with the numbers behind the points. */
  readonly detail: string;
};

/** The contract's Health. */
export type Health = {
  readonly score: number;
  readonly band: HealthBand;
  readonly factors: readonly HealthFactor[];
};

/**
 * Everything health depends on, as plain data, so a projection's SQL row and the "as of"
 * fold fill it alike (see health-input.builders.ts). Windows are relative to the `now` that
 * computeHealth is given.
 */
export type HealthInput = {
  /** The effective cadence (agreed, else the tier's default). */
  readonly cadenceDays: number;
  readonly openedAt: Date;
  readonly lastQualifyingTouchAt: Date | null;
  /** Fulfilments and standing misses in the last 180 days (see commitmentResolutions). */
  readonly resolvedCommitments: number;
  /** Of those, fulfilments on time. */
  readonly onTimeCommitments: number;
  /** Commitments whose status is MISSED now. */
  readonly missedCommitments: number;
  /** Newest first; only the first five count. */
  readonly recentSentiments: readonly Sentiment[];
  /** Pillars seen among qualifying touches in the last 90 days (duplicates are harmless). */
  readonly pillarsInWindow: readonly Pillar[];
  /** Open (unresolved) alerts of severity HIGH or CRITICAL. */
  readonly openHighSeverityAlerts: number;
};
