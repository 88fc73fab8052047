// What account managers see, computed from plain data: one implementation of every formula
// for the PostgreSQL projections and for the "as of" fold. Pure: no Nest, no I/O, no clock
// (`now` and `asOf` are inputs).
export { computeHealth, bandOf } from './health/compute-health.js';
export type {
  Health,
  HealthBand,
  HealthFactor,
  HealthFactorName,
  HealthInput,
} from './health/health.types.js';
export {
  AMBER_FROM,
  GREEN_FROM,
  HEALTH_MAX_POINTS,
  HEALTH_PILLAR_WINDOW_DAYS,
  HIGH_SEVERITY_ALERT_PENALTY,
  MISSED_COMMITMENT_PENALTY,
} from './health/health.weights.js';
export { healthInputFrom } from './health/health-input.builders.js';
export { nextHealthReview } from './health/health-review.js';
export type { HealthTimeline } from './health/health-review.js';
export type { HealthSources } from './health/health-input.builders.js';

export {
  COMMITMENT_WINDOW_DAYS,
  commitmentResolutions,
  commitmentStats,
  onTimeRateOf,
} from './commitments/commitment-stats.js';
export type {
  CommitmentFacts,
  CommitmentResolutions,
  CommitmentStats,
} from './commitments/commitment-stats.js';
export type { CommitmentView } from './commitments/commitment.view.js';

export { DEFAULT_PILLAR_WINDOW_DAYS, pillarBalance, pillarsSeen } from './touchpoints/pillar-balance.js';
export type { PillarBalance, PillarTouchFacts } from './touchpoints/pillar-balance.js';
export { recentSentiments, SENTIMENT_SAMPLE_SIZE } from './touchpoints/recent-sentiments.js';
export type { SentimentTouchFacts } from './touchpoints/recent-sentiments.js';
export type { TouchpointView } from './touchpoints/touchpoint.view.js';

export { countHighSeverityAlerts } from './shared/alert-severity.js';
export type { AlertSeverity, OpenAlertFacts } from './shared/alert-severity.js';
export { isInWindow, wholeDaysBetween } from './shared/time-window.js';

export { foldAccountView } from './account/fold-account-view.js';
export { summarizeEvent } from './account/timeline-summary.js';
export type { SummaryContext } from './account/timeline-summary.js';
export type {
  AccountView,
  RecordedAccountEvent,
  StageVisitView,
  TimelineEntryView,
} from './account/account.view.js';
