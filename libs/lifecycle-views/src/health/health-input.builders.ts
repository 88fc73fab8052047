import { countHighSeverityAlerts, type OpenAlertFacts } from '../shared/alert-severity.js';
import { commitmentResolutions, type CommitmentFacts } from '../commitments/commitment-stats.js';
import { pillarBalance, pillarsSeen, type PillarTouchFacts } from '../touchpoints/pillar-balance.js';
import { recentSentiments, type SentimentTouchFacts } from '../touchpoints/recent-sentiments.js';
import type { HealthInput } from './health.types.js';
import { HEALTH_PILLAR_WINDOW_DAYS } from './health.weights.js';

/** The account-level facts and full lists health can be derived from. */
export type HealthSources = {
  readonly cadenceDays: number;
  readonly openedAt: Date;
  readonly lastQualifyingTouchAt: Date | null;
  readonly commitments: readonly CommitmentFacts[];
  /** In recording order (it breaks ties of occurredAt for the last sentiments). */
  readonly touchpoints: readonly (PillarTouchFacts & SentimentTouchFacts)[];
  /** The alerts open at `now`. */
  readonly openAlerts: readonly OpenAlertFacts[];
};

/** The HealthInput at `now`, through the same formulas the views show (stats, pillar balance). */
export function healthInputFrom(sources: HealthSources, now: Date): HealthInput {
  const resolutions = commitmentResolutions(sources.commitments, now);
  return {
    cadenceDays: sources.cadenceDays,
    openedAt: sources.openedAt,
    lastQualifyingTouchAt: sources.lastQualifyingTouchAt,
    resolvedCommitments: resolutions.resolved,
    onTimeCommitments: resolutions.onTime,
    missedCommitments: sources.commitments.filter((commitment) => commitment.status === 'MISSED').length,
    recentSentiments: recentSentiments(sources.touchpoints),
    pillarsInWindow: pillarsSeen(pillarBalance(sources.touchpoints, now, HEALTH_PILLAR_WINDOW_DAYS)),
    openHighSeverityAlerts: countHighSeverityAlerts(sources.openAlerts),
  };
}
