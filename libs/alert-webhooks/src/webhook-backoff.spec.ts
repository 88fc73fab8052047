import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './webhook-backoff.js';

describe('webhook retry backoff', () => {
  const policy = { initialMs: 100, maxMs: 1000 };

  it('doubles the ceiling with each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50, 10_000].map((attempt) => backoffCeiling(attempt, policy))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000, 1000,
    ]);
  });

  it('waits between half the ceiling and the ceiling, as the random draw says', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(400);
    expect(backoffDelay(9, policy, () => 0)).toBe(500);
    expect(backoffDelay(9, policy, () => 0.999_999)).toBe(1000);
  });

  it('jitters: draws spread over the range rather than repeating one value', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });

  it('retries within a second at first and at least once a minute by default', () => {
    expect(backoffCeiling(1, DEFAULT_BACKOFF)).toBe(1000);
    expect(backoffCeiling(100, DEFAULT_BACKOFF)).toBe(60_000);
  });
});
