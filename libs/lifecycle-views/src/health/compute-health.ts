import { DAY_MS, PILLARS, type Sentiment } from '#lifecycle';

import { COMMITMENT_WINDOW_DAYS } from '../commitments/commitment-stats.js';
import { formatDays } from '../shared/time-window.js';
import { SENTIMENT_SAMPLE_SIZE } from '../touchpoints/recent-sentiments.js';
import type { Health, HealthBand, HealthFactor, HealthFactorName, HealthInput } from './health.types.js';
import {
  AMBER_FROM,
  GREEN_FROM,
  HEALTH_MAX_POINTS,
  HEALTH_PILLAR_WINDOW_DAYS,
  HIGH_SEVERITY_ALERT_PENALTY,
  MISSED_COMMITMENT_PENALTY,
} from './health.weights.js';

const SENTIMENT_VALUE: Readonly<Record<Sentiment, number>> = { NEGATIVE: 0, NEUTRAL: 0.5, POSITIVE: 1 };

/**
 * Health at `now`, per product.md. Rounding: each factor's points are rounded to two
 * decimals (half up), and the score is the sum of those rounded points rounded to a whole
 * number (half up), so the factors shown always add up to the score: 74.50 is 75 (GREEN),
 * 74.49 is 74 (AMBER), 49.50 is 50 (AMBER). Bands apply to the integer score.
 */
export function computeHealth(input: HealthInput, now: Date): Health {
  const factors = [
    recency(input, now),
    commitments(input),
    sentiment(input),
    pillarBalance(input),
    openAlerts(input),
  ];
  const cents = factors.reduce((sum, factor) => sum + Math.round(factor.points * 100), 0);
  const score = Math.min(100, Math.max(0, Math.round(cents / 100)));
  return { score, band: bandOf(score), factors };
}

export function bandOf(score: number): HealthBand {
  if (score >= GREEN_FROM) return 'GREEN';
  if (score >= AMBER_FROM) return 'AMBER';
  return 'RED';
}

function factor(name: HealthFactorName, raw: number, detail: string): HealthFactor {
  const maxPoints = HEALTH_MAX_POINTS[name];
  const bounded = Math.min(maxPoints, Math.max(0, raw));
  // The tiny nudge keeps binary fractions such as 1.005 from rounding down.
  return { name, points: Math.round(bounded * 100 + 1e-9) / 100, maxPoints, detail };
}

/** Full up to half the cadence, then linear down to 0 at twice the cadence. */
function recency(input: HealthInput, now: Date): HealthFactor {
  const max = HEALTH_MAX_POINTS.recency;
  const since = input.lastQualifyingTouchAt ?? input.openedAt;
  const elapsed = Math.max(0, now.getTime() - since.getTime());
  const cadence = input.cadenceDays * DAY_MS;
  const fullUntil = cadence / 2;
  const zeroFrom = cadence * 2;
  let raw: number;
  if (elapsed <= fullUntil) raw = max;
  else if (elapsed >= zeroFrom) raw = 0;
  else raw = (max * (zeroFrom - elapsed)) / (zeroFrom - fullUntil);
  const what =
    input.lastQualifyingTouchAt === null
      ? `no qualifying touch; opened ${formatDays(elapsed)} days ago`
      : `last qualifying touch ${formatDays(elapsed)} days ago`;
  return factor(
    'recency',
    raw,
    `${what}; cadence ${input.cadenceDays} days (full within ${formatDays(fullUntil)}, none from ${formatDays(zeroFrom)})`,
  );
}

/** The on-time rate over 180 days (full with no history), minus 5 per commitment MISSED now. */
function commitments(input: HealthInput): HealthFactor {
  const max = HEALTH_MAX_POINTS.commitments;
  const { resolvedCommitments: resolved, onTimeCommitments: onTime, missedCommitments: missed } = input;
  const rate = resolved === 0 ? null : onTime / resolved;
  const penalty = MISSED_COMMITMENT_PENALTY * missed;
  const raw = Math.max(0, (rate === null ? max : max * rate) - penalty);
  const history =
    rate === null
      ? `no commitment resolved in the last ${COMMITMENT_WINDOW_DAYS} days (counts as full)`
      : `${onTime} of ${resolved} resolved in the last ${COMMITMENT_WINDOW_DAYS} days on time (${Math.round(rate * 100)}%)`;
  const misses =
    missed === 0
      ? 'none missed now'
      : `${missed} missed now (-${MISSED_COMMITMENT_PENALTY} each${raw === 0 ? ', floor 0' : ''})`;
  return factor('commitments', raw, `${history}; ${misses}`);
}

/** The mean of the last five sentiments (NEGATIVE 0, NEUTRAL 0.5, POSITIVE 1); none is 0.5. */
function sentiment(input: HealthInput): HealthFactor {
  const max = HEALTH_MAX_POINTS.sentiment;
  const sample = input.recentSentiments.slice(0, SENTIMENT_SAMPLE_SIZE);
  if (sample.length === 0) {
    return factor('sentiment', max * 0.5, 'no touchpoint with a sentiment; neutral (0.5) assumed');
  }
  const mean = sample.reduce((sum, value) => sum + SENTIMENT_VALUE[value], 0) / sample.length;
  const count = (value: Sentiment): number => sample.filter((s) => s === value).length;
  const last = sample.length === 1 ? 'the last touchpoint' : `the last ${sample.length} touchpoints`;
  return factor(
    'sentiment',
    max * mean,
    `mean ${mean.toFixed(2)} over ${last} with a sentiment (${count('POSITIVE')} positive, ${count('NEUTRAL')} neutral, ${count('NEGATIVE')} negative)`,
  );
}

/** The share of the three pillars among qualifying touches in the last 90 days. */
function pillarBalance(input: HealthInput): HealthFactor {
  const max = HEALTH_MAX_POINTS.pillarBalance;
  const seen = PILLARS.filter((pillar) => input.pillarsInWindow.includes(pillar));
  const missing = PILLARS.filter((pillar) => !seen.includes(pillar));
  const window = `among qualifying touches in the last ${HEALTH_PILLAR_WINDOW_DAYS} days`;
  const detail =
    seen.length === 0
      ? `no pillar ${window}`
      : `${seen.length} of ${PILLARS.length} pillars ${window} (${seen.join(', ')})` +
        (missing.length > 0 ? `; missing ${missing.join(', ')}` : '');
  return factor('pillarBalance', (max * seen.length) / PILLARS.length, detail);
}

/** Minus 5 per open HIGH or CRITICAL alert, floor 0. */
function openAlerts(input: HealthInput): HealthFactor {
  const max = HEALTH_MAX_POINTS.openAlerts;
  const count = input.openHighSeverityAlerts;
  const raw = Math.max(0, max - HIGH_SEVERITY_ALERT_PENALTY * count);
  const detail =
    count === 0
      ? 'no open HIGH or CRITICAL alert'
      : `${count} open HIGH or CRITICAL alert${count === 1 ? '' : 's'} (-${HIGH_SEVERITY_ALERT_PENALTY} each${raw === 0 ? ', floor 0' : ''})`;
  return factor('openAlerts', raw, detail);
}
