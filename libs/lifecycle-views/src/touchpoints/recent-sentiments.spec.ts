import type { Sentiment } from '#lifecycle';

import { daysBefore } from '../testing/account-events.js';
import { recentSentiments } from './recent-sentiments.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const touch = (daysAgo: number, sentiment: Sentiment | null) => ({
  occurredAt: daysBefore(NOW, daysAgo),
  sentiment,
});

describe('recentSentiments', () => {
  it('is empty with no sentiment', () => {
    expect(recentSentiments([])).toEqual([]);
    expect(recentSentiments([touch(1, null), touch(2, null)])).toEqual([]);
  });

  it('keeps the last five with a sentiment by occurredAt, newest first, whatever the recording order', () => {
    const touches = [
      touch(1, 'POSITIVE'),
      touch(10, 'NEGATIVE'), // the sixth newest: left out
      touch(2, null),
      touch(3, 'NEUTRAL'),
      touch(5, 'POSITIVE'),
      touch(4, 'NEGATIVE'),
      touch(0.5, 'POSITIVE'),
      touch(6, 'NEUTRAL'),
    ];
    expect(recentSentiments(touches)).toEqual(['POSITIVE', 'POSITIVE', 'NEUTRAL', 'NEGATIVE', 'POSITIVE']);
  });

  it('counts the one recorded later as the later of two at the same instant', () => {
    expect(recentSentiments([touch(1, 'NEGATIVE'), touch(1, 'POSITIVE')], 1)).toEqual(['POSITIVE']);
  });
});
