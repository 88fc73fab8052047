import type { Channel, Direction, Pillar } from '#lifecycle';

import { daysBefore, shift } from '../testing/account-events.js';
import { pillarBalance, pillarsSeen, type PillarTouchFacts } from './pillar-balance.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

const touch = (
  pillar: Pillar,
  occurredAt: Date = daysBefore(NOW, 1),
  channel: Channel = 'CALL',
  direction: Direction = 'OUTBOUND',
): PillarTouchFacts => ({ pillar, occurredAt, channel, direction });

describe('pillarBalance', () => {
  it('counts qualifying touches by pillar over 90 days by default', () => {
    const balance = pillarBalance(
      [touch('DISCOVERY'), touch('SERVICE'), touch('SERVICE'), touch('ENGAGEMENT', daysBefore(NOW, 30))],
      NOW,
    );
    expect(balance).toEqual({ windowDays: 90, discovery: 1, service: 2, engagement: 1 });
    expect(pillarsSeen(balance)).toEqual(['DISCOVERY', 'SERVICE', 'ENGAGEMENT']);
  });

  it.each([
    [[], []],
    [['SERVICE'], ['SERVICE']],
    [
      ['ENGAGEMENT', 'DISCOVERY'],
      ['DISCOVERY', 'ENGAGEMENT'],
    ],
  ] as const)('sees %j as pillars %j', (pillars, seen) => {
    expect(
      pillarsSeen(
        pillarBalance(
          pillars.map((p) => touch(p)),
          NOW,
        ),
      ),
    ).toEqual(seen);
  });

  it('ignores non-qualifying touches: internal notes, product usage, INTERNAL direction', () => {
    const balance = pillarBalance(
      [
        touch('DISCOVERY', daysBefore(NOW, 1), 'INTERNAL_NOTE'),
        touch('SERVICE', daysBefore(NOW, 1), 'PRODUCT_USAGE', 'INBOUND'),
        touch('ENGAGEMENT', daysBefore(NOW, 1), 'MEETING', 'INTERNAL'),
        touch('ENGAGEMENT', daysBefore(NOW, 1), 'SUPPORT_TICKET', 'INBOUND'),
      ],
      NOW,
    );
    expect(balance).toEqual({ windowDays: 90, discovery: 0, service: 0, engagement: 1 });
  });

  it('takes occurredAt in (now − window, now]', () => {
    const balance = pillarBalance(
      [
        touch('DISCOVERY', daysBefore(NOW, 90)),
        touch('DISCOVERY', shift(daysBefore(NOW, 90), 1)),
        touch('SERVICE', NOW),
        touch('SERVICE', shift(NOW, 1)),
        touch('ENGAGEMENT', daysBefore(NOW, 91)),
        touch('ENGAGEMENT', daysBefore(NOW, 89)),
      ],
      NOW,
    );
    expect(balance).toEqual({ windowDays: 90, discovery: 1, service: 1, engagement: 1 });
  });

  it('takes another window when asked', () => {
    const touches = [touch('DISCOVERY', daysBefore(NOW, 20)), touch('SERVICE', daysBefore(NOW, 5))];
    expect(pillarBalance(touches, NOW, 7)).toEqual({
      windowDays: 7,
      discovery: 0,
      service: 1,
      engagement: 0,
    });
    expect(pillarBalance(touches, NOW, 30)).toEqual({
      windowDays: 30,
      discovery: 1,
      service: 1,
      engagement: 0,
    });
  });

  it('rejects a window that is not a positive whole number of days', () => {
    expect(() => pillarBalance([], NOW, 0)).toThrow(RangeError);
    expect(() => pillarBalance([], NOW, 1.5)).toThrow(RangeError);
  });
});
