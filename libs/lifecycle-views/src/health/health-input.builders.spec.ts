import type { CommitmentFacts } from '../commitments/commitment-stats.js';
import { daysBefore } from '../testing/account-events.js';
import { computeHealth } from './compute-health.js';
import { healthInputFrom, type HealthSources } from './health-input.builders.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

const fulfilledOnTime = (daysAgo: number): CommitmentFacts => ({
  status: 'FULFILLED',
  dueAt: daysBefore(NOW, daysAgo - 1),
  fulfilledAt: daysBefore(NOW, daysAgo),
  onTime: true,
  missedAt: null,
});
const missedAt = (daysAgo: number): CommitmentFacts => ({
  status: 'MISSED',
  dueAt: daysBefore(NOW, daysAgo + 1),
  fulfilledAt: null,
  onTime: null,
  missedAt: daysBefore(NOW, daysAgo),
});

function sources(overrides: Partial<HealthSources> = {}): HealthSources {
  return {
    cadenceDays: 30,
    openedAt: daysBefore(NOW, 365),
    lastQualifyingTouchAt: daysBefore(NOW, 2),
    commitments: [],
    touchpoints: [],
    openAlerts: [],
    ...overrides,
  };
}

describe('healthInputFrom', () => {
  it('takes commitment outcomes of the last 180 days and counts those MISSED now', () => {
    const input = healthInputFrom(
      sources({ commitments: [fulfilledOnTime(179), fulfilledOnTime(181), missedAt(181), missedAt(10)] }),
      NOW,
    );
    expect(input).toMatchObject({ resolvedCommitments: 2, onTimeCommitments: 1, missedCommitments: 2 });
    // 25 × 1/2 − 2 × 5 = 2.5
    expect(computeHealth(input, NOW).factors[1].points).toBe(2.5);
  });

  it('takes the last five sentiments and the pillars of qualifying touches in 90 days', () => {
    const touch = (daysAgo: number, extra: Partial<HealthSources['touchpoints'][number]>) => ({
      occurredAt: daysBefore(NOW, daysAgo),
      pillar: 'DISCOVERY' as const,
      channel: 'CALL' as const,
      direction: 'OUTBOUND' as const,
      sentiment: null,
      ...extra,
    });
    const input = healthInputFrom(
      sources({
        touchpoints: [
          touch(100, { pillar: 'SERVICE', sentiment: 'NEGATIVE' }),
          touch(1, { pillar: 'ENGAGEMENT', channel: 'INTERNAL_NOTE', sentiment: 'POSITIVE' }),
          touch(2, { sentiment: 'NEUTRAL' }),
        ],
      }),
      NOW,
    );
    expect(input.recentSentiments).toEqual(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);
    expect(input.pillarsInWindow).toEqual(['DISCOVERY']);
  });

  it('counts open HIGH and CRITICAL alerts only', () => {
    const input = healthInputFrom(
      sources({
        openAlerts: [
          { severity: 'LOW' },
          { severity: 'MEDIUM' },
          { severity: 'HIGH' },
          { severity: 'CRITICAL' },
        ],
      }),
      NOW,
    );
    expect(input.openHighSeverityAlerts).toBe(2);
  });
});
