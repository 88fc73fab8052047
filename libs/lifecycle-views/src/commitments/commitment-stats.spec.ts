import { daysBefore, shift } from '../testing/account-events.js';
import { commitmentResolutions, commitmentStats, type CommitmentFacts } from './commitment-stats.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

const open = (dueAt: Date): CommitmentFacts => ({
  status: 'OPEN',
  dueAt,
  fulfilledAt: null,
  onTime: null,
  missedAt: null,
});
const fulfilled = (fulfilledAt: Date, onTime: boolean, missedAt: Date | null = null): CommitmentFacts => ({
  status: 'FULFILLED',
  dueAt: daysBefore(fulfilledAt, onTime ? -1 : 1),
  fulfilledAt,
  onTime,
  missedAt,
});
const missed = (missedAt: Date): CommitmentFacts => ({
  status: 'MISSED',
  dueAt: daysBefore(missedAt, 1),
  fulfilledAt: null,
  onTime: null,
  missedAt,
});
const cancelled = (missedAt: Date | null = null): CommitmentFacts => ({
  status: 'CANCELLED',
  dueAt: daysBefore(NOW, 5),
  fulfilledAt: null,
  onTime: null,
  missedAt,
});

const ZERO = { open: 0, overdue: 0, fulfilledOnTime: 0, fulfilledLate: 0, missed: 0, cancelled: 0 };

describe('commitmentStats', () => {
  it('is all zeros with a null on-time rate with no commitment', () => {
    expect(commitmentStats([], NOW)).toEqual({ ...ZERO, onTimeRate: null });
  });

  it('counts OPEN ones, overdue when dueAt is strictly before now', () => {
    expect(commitmentStats([open(daysBefore(NOW, -3))], NOW)).toEqual({ ...ZERO, open: 1, onTimeRate: null });
    expect(commitmentStats([open(NOW)], NOW)).toMatchObject({ open: 1, overdue: 0 });
    expect(commitmentStats([open(shift(NOW, -1))], NOW)).toMatchObject({ open: 1, overdue: 1 });
  });

  it('counts a fulfilment on time', () => {
    expect(commitmentStats([fulfilled(daysBefore(NOW, 3), true)], NOW)).toEqual({
      ...ZERO,
      fulfilledOnTime: 1,
      onTimeRate: 1,
    });
  });

  it('counts a late fulfilment never recorded missed as late only', () => {
    expect(commitmentStats([fulfilled(daysBefore(NOW, 3), false)], NOW)).toEqual({
      ...ZERO,
      fulfilledLate: 1,
      onTimeRate: 0,
    });
  });

  it('counts a MISSED one as missed, not overdue', () => {
    expect(commitmentStats([missed(daysBefore(NOW, 3))], NOW)).toEqual({ ...ZERO, missed: 1, onTimeRate: 0 });
  });

  it('counts one missed and then fulfilled late as both missed and fulfilled late', () => {
    const lateAfterMiss = fulfilled(daysBefore(NOW, 2), false, daysBefore(NOW, 5));
    expect(commitmentStats([lateAfterMiss], NOW)).toEqual({
      ...ZERO,
      missed: 1,
      fulfilledLate: 1,
      onTimeRate: 0,
    });
    // Both outcomes weigh in the rate: 1 on time of (2 fulfilled + 1 missed).
    expect(commitmentStats([lateAfterMiss, fulfilled(daysBefore(NOW, 1), true)], NOW).onTimeRate).toBeCloseTo(
      1 / 3,
      10,
    );
  });

  it('counts a cancelled one as cancelled only, even when it had been missed', () => {
    expect(commitmentStats([cancelled()], NOW)).toEqual({ ...ZERO, cancelled: 1, onTimeRate: null });
    expect(commitmentStats([cancelled(daysBefore(NOW, 10))], NOW)).toEqual({
      ...ZERO,
      cancelled: 1,
      onTimeRate: null,
    });
  });

  it('counts one renegotiated after a miss (missedAt cleared) by its new outcome only', () => {
    expect(commitmentStats([fulfilled(daysBefore(NOW, 1), true, null)], NOW)).toMatchObject({
      missed: 0,
      fulfilledOnTime: 1,
      onTimeRate: 1,
    });
  });

  it('keeps lifetime counts but rates only the last 180 days', () => {
    const stats = commitmentStats(
      [
        fulfilled(daysBefore(NOW, 181), true),
        missed(daysBefore(NOW, 179)),
        fulfilled(daysBefore(NOW, 10), true),
      ],
      NOW,
    );
    expect(stats).toMatchObject({ fulfilledOnTime: 2, missed: 1, onTimeRate: 0.5 });
  });
});

describe('commitmentResolutions (the 180-day window)', () => {
  it('takes a fulfilment 179 days old and leaves one 181 days old', () => {
    expect(commitmentResolutions([fulfilled(daysBefore(NOW, 179), true)], NOW)).toEqual({
      resolved: 1,
      onTime: 1,
    });
    expect(commitmentResolutions([fulfilled(daysBefore(NOW, 181), true)], NOW)).toEqual({
      resolved: 0,
      onTime: 0,
    });
  });

  it('excludes exactly 180 days, includes now, excludes the future', () => {
    expect(commitmentResolutions([missed(daysBefore(NOW, 180))], NOW).resolved).toBe(0);
    expect(commitmentResolutions([missed(shift(daysBefore(NOW, 180), 1))], NOW).resolved).toBe(1);
    expect(commitmentResolutions([missed(NOW)], NOW).resolved).toBe(1);
    expect(commitmentResolutions([fulfilled(shift(NOW, 1), true)], NOW).resolved).toBe(0);
  });

  it('dates each outcome of a missed-then-fulfilled commitment on its own', () => {
    const lateAfterMiss = fulfilled(daysBefore(NOW, 100), false, daysBefore(NOW, 181));
    expect(commitmentResolutions([lateAfterMiss], NOW)).toEqual({ resolved: 1, onTime: 0 });
    const bothIn = fulfilled(daysBefore(NOW, 100), false, daysBefore(NOW, 120));
    expect(commitmentResolutions([bothIn], NOW)).toEqual({ resolved: 2, onTime: 0 });
  });

  it('ignores OPEN and cancelled commitments', () => {
    expect(commitmentResolutions([open(daysBefore(NOW, 3)), cancelled(daysBefore(NOW, 3))], NOW)).toEqual({
      resolved: 0,
      onTime: 0,
    });
  });
});
