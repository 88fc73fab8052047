import { DAY, daysBefore, shift } from '../testing/account-events.js';
import { bandOf, computeHealth } from './compute-health.js';
import type { HealthFactorName, HealthInput } from './health.types.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

/** Every factor full: score 100. */
function input(overrides: Partial<HealthInput> = {}): HealthInput {
  return {
    cadenceDays: 30,
    openedAt: daysBefore(NOW, 400),
    lastQualifyingTouchAt: daysBefore(NOW, 1),
    resolvedCommitments: 0,
    onTimeCommitments: 0,
    missedCommitments: 0,
    recentSentiments: ['POSITIVE'],
    pillarsInWindow: ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'],
    openHighSeverityAlerts: 0,
    ...overrides,
  };
}

function factorOf(overrides: Partial<HealthInput>, name: HealthFactorName) {
  const factor = computeHealth(input(overrides), NOW).factors.find((f) => f.name === name);
  if (factor === undefined) throw new Error(`no factor ${name}`);
  return factor;
}

const points = (overrides: Partial<HealthInput>, name: HealthFactorName): number =>
  factorOf(overrides, name).points;

describe('computeHealth', () => {
  it('is 100 and GREEN with every factor full, listing the five factors and their maxima', () => {
    const health = computeHealth(input(), NOW);
    expect(health.score).toBe(100);
    expect(health.band).toBe('GREEN');
    expect(health.factors.map((f) => [f.name, f.points, f.maxPoints])).toEqual([
      ['recency', 35, 35],
      ['commitments', 25, 25],
      ['sentiment', 20, 20],
      ['pillarBalance', 10, 10],
      ['openAlerts', 10, 10],
    ]);
  });

  describe('recency (35)', () => {
    it('is full at exactly half the cadence and decays after it', () => {
      expect(points({ lastQualifyingTouchAt: daysBefore(NOW, 15) }, 'recency')).toBe(35);
      // One hour later: 35 × (1 − 1/(45 × 24)) = 34.97.
      expect(points({ lastQualifyingTouchAt: shift(daysBefore(NOW, 15), -DAY / 24) }, 'recency')).toBe(34.97);
    });

    it('is 0 at exactly twice the cadence and beyond', () => {
      expect(points({ lastQualifyingTouchAt: daysBefore(NOW, 60) }, 'recency')).toBe(0);
      expect(points({ lastQualifyingTouchAt: daysBefore(NOW, 200) }, 'recency')).toBe(0);
      expect(
        points({ lastQualifyingTouchAt: shift(daysBefore(NOW, 60), DAY / 24) }, 'recency'),
      ).toBeGreaterThan(0);
    });

    it('falls linearly in between', () => {
      // 15 → 60 days spans 45 days: the midpoint is 37.5 days, a third of the way 30 days.
      expect(points({ lastQualifyingTouchAt: daysBefore(NOW, 37.5) }, 'recency')).toBe(17.5);
      expect(points({ lastQualifyingTouchAt: daysBefore(NOW, 30) }, 'recency')).toBe(23.33);
      expect(points({ lastQualifyingTouchAt: daysBefore(NOW, 45) }, 'recency')).toBe(11.67);
    });

    it('scales with the cadence', () => {
      expect(points({ cadenceDays: 14, lastQualifyingTouchAt: daysBefore(NOW, 7) }, 'recency')).toBe(35);
      expect(points({ cadenceDays: 14, lastQualifyingTouchAt: daysBefore(NOW, 28) }, 'recency')).toBe(0);
    });

    it('runs from openedAt when there is no qualifying touch', () => {
      const factor = factorOf({ lastQualifyingTouchAt: null, openedAt: daysBefore(NOW, 30) }, 'recency');
      expect(factor.points).toBe(23.33);
      expect(factor.detail).toBe(
        'no qualifying touch; opened 30 days ago; cadence 30 days (full within 15, none from 60)',
      );
      expect(points({ lastQualifyingTouchAt: null, openedAt: daysBefore(NOW, 10) }, 'recency')).toBe(35);
    });

    it('is full for a touch slightly in the future (clock skew)', () => {
      expect(points({ lastQualifyingTouchAt: shift(NOW, 60_000) }, 'recency')).toBe(35);
    });

    it('explains itself with the numbers', () => {
      expect(factorOf({ lastQualifyingTouchAt: daysBefore(NOW, 12) }, 'recency').detail).toBe(
        'last qualifying touch 12 days ago; cadence 30 days (full within 15, none from 60)',
      );
      expect(factorOf({ lastQualifyingTouchAt: daysBefore(NOW, 22.5) }, 'recency').detail).toContain(
        '22.5 days ago',
      );
    });
  });

  describe('commitments (25)', () => {
    it('is full with no history', () => {
      const factor = factorOf({}, 'commitments');
      expect(factor.points).toBe(25);
      expect(factor.detail).toBe(
        'no commitment resolved in the last 180 days (counts as full); none missed now',
      );
    });

    it('is the on-time rate of those resolved in the window', () => {
      const factor = factorOf({ resolvedCommitments: 4, onTimeCommitments: 3 }, 'commitments');
      expect(factor.points).toBe(18.75);
      expect(factor.detail).toBe('3 of 4 resolved in the last 180 days on time (75%); none missed now');
      expect(points({ resolvedCommitments: 3, onTimeCommitments: 0 }, 'commitments')).toBe(0);
    });

    it('loses 5 per commitment MISSED now, floored at 0', () => {
      expect(points({ missedCommitments: 1 }, 'commitments')).toBe(20);
      expect(points({ missedCommitments: 4 }, 'commitments')).toBe(5);
      expect(points({ missedCommitments: 5 }, 'commitments')).toBe(0);
      const floored = factorOf({ missedCommitments: 7 }, 'commitments');
      expect(floored.points).toBe(0);
      expect(floored.detail).toContain('7 missed now (-5 each, floor 0)');
      expect(
        points({ resolvedCommitments: 2, onTimeCommitments: 1, missedCommitments: 3 }, 'commitments'),
      ).toBe(0);
      expect(
        points({ resolvedCommitments: 4, onTimeCommitments: 3, missedCommitments: 1 }, 'commitments'),
      ).toBe(13.75);
    });
  });

  describe('sentiment (20)', () => {
    it('is 0.5 (10 points) with no sentiment', () => {
      const factor = factorOf({ recentSentiments: [] }, 'sentiment');
      expect(factor.points).toBe(10);
      expect(factor.detail).toBe('no touchpoint with a sentiment; neutral (0.5) assumed');
    });

    it('is the mean of the sentiments: NEGATIVE 0, NEUTRAL 0.5, POSITIVE 1', () => {
      expect(points({ recentSentiments: ['NEGATIVE'] }, 'sentiment')).toBe(0);
      expect(points({ recentSentiments: ['NEUTRAL'] }, 'sentiment')).toBe(10);
      const mixed = factorOf({ recentSentiments: ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] }, 'sentiment');
      expect(mixed.points).toBe(10);
      expect(mixed.detail).toBe(
        'mean 0.50 over the last 3 touchpoints with a sentiment (1 positive, 1 neutral, 1 negative)',
      );
      expect(points({ recentSentiments: ['POSITIVE', 'POSITIVE', 'NEGATIVE'] }, 'sentiment')).toBe(13.33);
    });

    it('counts only the first five (the newest)', () => {
      const sentiments = ['POSITIVE', 'POSITIVE', 'POSITIVE', 'POSITIVE', 'POSITIVE', 'NEGATIVE'] as const;
      expect(points({ recentSentiments: sentiments }, 'sentiment')).toBe(20);
    });
  });

  describe('pillar balance (10)', () => {
    it.each([
      [[], 0, 'no pillar among qualifying touches in the last 90 days'],
      [
        ['SERVICE'],
        3.33,
        '1 of 3 pillars among qualifying touches in the last 90 days (SERVICE); missing DISCOVERY, ENGAGEMENT',
      ],
      [
        ['ENGAGEMENT', 'DISCOVERY', 'DISCOVERY'],
        6.67,
        '2 of 3 pillars among qualifying touches in the last 90 days (DISCOVERY, ENGAGEMENT); missing SERVICE',
      ],
      [
        ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'],
        10,
        '3 of 3 pillars among qualifying touches in the last 90 days (DISCOVERY, SERVICE, ENGAGEMENT)',
      ],
    ] as const)('%j scores %d', (pillars, expected, detail) => {
      const factor = factorOf({ pillarsInWindow: pillars }, 'pillarBalance');
      expect(factor.points).toBe(expected);
      expect(factor.detail).toBe(detail);
    });
  });

  describe('open alerts (10)', () => {
    it.each([
      [0, 10, 'no open HIGH or CRITICAL alert'],
      [1, 5, '1 open HIGH or CRITICAL alert (-5 each)'],
      [2, 0, '2 open HIGH or CRITICAL alerts (-5 each, floor 0)'],
      [5, 0, '5 open HIGH or CRITICAL alerts (-5 each, floor 0)'],
    ])('%d alerts score %d', (count, expected, detail) => {
      const factor = factorOf({ openHighSeverityAlerts: count }, 'openAlerts');
      expect(factor.points).toBe(expected);
      expect(factor.detail).toBe(detail);
    });
  });

  describe('score, rounding and band', () => {
    it('bands the integer score: GREEN ≥ 75, AMBER 50–74, RED < 50', () => {
      expect([100, 75, 74, 50, 49, 0].map(bandOf)).toEqual([
        'GREEN',
        'GREEN',
        'AMBER',
        'AMBER',
        'RED',
        'RED',
      ]);
    });

    it('rounds a sum of exactly 74.50 up to 75: GREEN', () => {
      // 35 + 12.5 (half on time) + 12 (mean 0.6) + 10 + 5 (one alert) = 74.5
      const health = computeHealth(
        input({
          resolvedCommitments: 2,
          onTimeCommitments: 1,
          recentSentiments: ['POSITIVE', 'POSITIVE', 'POSITIVE', 'NEGATIVE', 'NEGATIVE'],
          openHighSeverityAlerts: 1,
        }),
        NOW,
      );
      expect(health.factors.reduce((sum, f) => sum + f.points, 0)).toBeCloseTo(74.5, 10);
      expect(health).toMatchObject({ score: 75, band: 'GREEN' });
    });

    it('rounds 74.33 down to 74: AMBER', () => {
      // 23.33 (30 days on a 30-day cadence) + 25 + 16 (mean 0.8) + 10 + 0 (two alerts) = 74.33
      const health = computeHealth(
        input({
          lastQualifyingTouchAt: daysBefore(NOW, 30),
          recentSentiments: ['POSITIVE', 'POSITIVE', 'POSITIVE', 'NEUTRAL', 'NEUTRAL'],
          openHighSeverityAlerts: 2,
        }),
        NOW,
      );
      expect(health).toMatchObject({ score: 74, band: 'AMBER' });
    });

    it('rounds a sum of exactly 49.50 up to 50: AMBER; below is RED', () => {
      // 35 + 12.5 + 2 (mean 0.1) + 0 + 0 = 49.5
      const base = {
        resolvedCommitments: 2,
        onTimeCommitments: 1,
        recentSentiments: ['NEUTRAL', 'NEGATIVE', 'NEGATIVE', 'NEGATIVE', 'NEGATIVE'],
        pillarsInWindow: [],
        openHighSeverityAlerts: 2,
      } as const;
      expect(computeHealth(input(base), NOW)).toMatchObject({ score: 50, band: 'AMBER' });
      expect(computeHealth(input({ ...base, recentSentiments: ['NEGATIVE'] }), NOW)).toMatchObject({
        score: 48,
        band: 'RED',
      });
    });

    it('shows points with at most two decimals that add up to the score', () => {
      const health = computeHealth(
        input({
          lastQualifyingTouchAt: daysBefore(NOW, 31.3),
          resolvedCommitments: 3,
          onTimeCommitments: 2,
          recentSentiments: ['POSITIVE', 'NEGATIVE', 'NEUTRAL'],
          pillarsInWindow: ['SERVICE'],
        }),
        NOW,
      );
      for (const factor of health.factors) expect(Math.round(factor.points * 100) / 100).toBe(factor.points);
      expect(health.score).toBe(Math.round(health.factors.reduce((sum, f) => sum + f.points, 0)));
    });

    it('is 0 and RED with every factor empty', () => {
      const health = computeHealth(
        input({
          lastQualifyingTouchAt: daysBefore(NOW, 90),
          resolvedCommitments: 1,
          recentSentiments: ['NEGATIVE'],
          pillarsInWindow: [],
          openHighSeverityAlerts: 3,
        }),
        NOW,
      );
      expect(health).toMatchObject({ score: 0, band: 'RED' });
    });
  });
});
