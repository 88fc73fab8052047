import { DAY, daysBefore } from '../testing/account-events.js';
import { computeHealth } from './compute-health.js';
import { nextHealthReview, type HealthTimeline } from './health-review.js';
import type { HealthInput } from './health.types.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

/** Sentiment 0 and no pillars: recency alone decides between AMBER and RED. */
function input(overrides: Partial<HealthInput> = {}): HealthInput {
  return {
    cadenceDays: 30,
    openedAt: daysBefore(NOW, 400),
    lastQualifyingTouchAt: daysBefore(NOW, 1),
    resolvedCommitments: 0,
    onTimeCommitments: 0,
    missedCommitments: 0,
    recentSentiments: ['NEGATIVE'],
    pillarsInWindow: [],
    openHighSeverityAlerts: 0,
    ...overrides,
  };
}

const fixed = (overrides: Partial<HealthInput> = {}, steps: Date[] = []): HealthTimeline => ({
  inputAt: () => input(overrides),
  steps,
});

describe('nextHealthReview', () => {
  it('finds the first instant recency decay changes the band, to the second', () => {
    const timeline = fixed();
    // 35 recency + 25 commitments + 0 + 0 + 10 alerts = 70 now: AMBER until recency falls below 15.
    expect(computeHealth(timeline.inputAt(NOW), NOW).band).toBe('AMBER');
    const review = nextHealthReview(timeline, NOW);
    expect(review).not.toBeNull();
    const at = review as Date;
    expect(computeHealth(timeline.inputAt(at), at).band).toBe('RED');
    const justBefore = new Date(at.getTime() - 1000);
    expect(computeHealth(timeline.inputAt(justBefore), justBefore).band).toBe('AMBER');
  });

  it('is null when recency has reached zero and no windowed input will change', () => {
    expect(nextHealthReview(fixed({ lastQualifyingTouchAt: daysBefore(NOW, 61) }), NOW)).toBeNull();
  });

  it('is the next step when the band cannot change before it', () => {
    const step = new Date(NOW.getTime() + 3 * DAY);
    // Touched today with a 30-day cadence: recency stays full for 15 days.
    const review = nextHealthReview(fixed({ lastQualifyingTouchAt: NOW }, [step]), NOW);
    expect(review).toEqual(step);
  });

  it('ignores steps already past', () => {
    const past = new Date(NOW.getTime() - DAY);
    const allFull = fixed(
      { recentSentiments: ['POSITIVE'], pillarsInWindow: ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'] },
      [past],
    );
    // 100 now, 65 once recency is zero: it does change, within twice the cadence.
    const review = nextHealthReview(allFull, NOW) as Date;
    expect(review.getTime()).toBeGreaterThan(NOW.getTime());
    expect(review.getTime()).toBeLessThanOrEqual(NOW.getTime() + 60 * DAY);
    expect(computeHealth(allFull.inputAt(review), review).band).toBe('AMBER');
  });

  it('looks at a step where a windowed input changes the band', () => {
    const step = new Date(NOW.getTime() + 2 * DAY);
    const timeline: HealthTimeline = {
      // All three pillars until the step, none after it; touched today (recency full for 15 days).
      inputAt: (at) =>
        input({
          lastQualifyingTouchAt: NOW,
          recentSentiments: ['NEUTRAL'],
          pillarsInWindow: at < step ? ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'] : [],
        }),
      steps: [step],
    };
    expect(computeHealth(timeline.inputAt(NOW), NOW).band).toBe('GREEN');
    expect(nextHealthReview(timeline, NOW)).toEqual(step);
  });
});
