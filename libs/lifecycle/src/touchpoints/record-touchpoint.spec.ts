import {
  accountOpened,
  at,
  DAY,
  iso,
  manyTouchpoints,
  MINUTE,
  NOW,
  OPENED_AT,
  recordTouchpoint,
  spec,
  stageChanged,
  touchpointRecorded,
} from '../testing/index.js';
import { CHANNELS } from './channel.enum.js';
import { DIRECTIONS } from './direction.enum.js';
import { isQualifyingTouch } from './qualifying-touch.policy.js';

describe('RecordTouchpoint', () => {
  const opened = [accountOpened()];

  it('records every field, normalised, with the stage and whether it qualifies', () => {
    spec
      .given(opened)
      .when(
        recordTouchpoint({
          touchpointId: 'zendesk:42',
          occurredAt: '2025-05-31T14:00:00+02:00',
          channel: 'SUPPORT_TICKET',
          direction: 'INBOUND',
          pillar: 'SERVICE',
          sentiment: 'NEGATIVE',
          momentOfTruth: true,
          summary: 'Outage escalated',
          actorId: 'agent-7',
          participants: ['cto@acme.test', 'agent-7'],
          source: 'zendesk',
          externalRef: 'ZD-42',
        }),
        at(),
      )
      .then(
        [
          touchpointRecorded({
            touchpointId: 'zendesk:42',
            occurredAt: '2025-05-31T12:00:00.000Z',
            channel: 'SUPPORT_TICKET',
            direction: 'INBOUND',
            pillar: 'SERVICE',
            sentiment: 'NEGATIVE',
            momentOfTruth: true,
            summary: 'Outage escalated',
            actorId: 'agent-7',
            participants: ['cto@acme.test', 'agent-7'],
            source: 'zendesk',
            externalRef: 'ZD-42',
          }),
        ],
        'created',
      );
  });

  it('defaults momentOfTruth to false, participants to [] and the optional fields to null', () => {
    spec.given(opened).when(recordTouchpoint(), at()).then([touchpointRecorded()]);
  });

  it('records the stage the account was in when the touch occurred', () => {
    const history = [
      accountOpened(),
      stageChanged('PROSPECT', 'DISCOVERY', iso(NOW, -10 * DAY)),
      stageChanged('DISCOVERY', 'PROPOSAL', iso(NOW, -5 * DAY)),
    ];
    const stageOf = (occurredAt: string) =>
      (
        spec.given(history).when(recordTouchpoint({ occurredAt }), at()).decision().events[0].data as {
          stage: string;
        }
      ).stage;
    expect(stageOf(iso(NOW, -DAY))).toBe('PROPOSAL');
    expect(stageOf(iso(NOW, -5 * DAY))).toBe('PROPOSAL');
    expect(stageOf(iso(NOW, -5 * DAY - 1))).toBe('DISCOVERY');
    expect(stageOf(iso(NOW, -20 * DAY))).toBe('PROSPECT');
    expect(stageOf(iso(OPENED_AT, -DAY))).toBe('PROSPECT');
  });

  it('records touchpoints on an exited account too', () => {
    const lost = [accountOpened(), stageChanged('PROSPECT', 'LOST', iso(NOW, -2 * DAY), { reason: 'r' })];
    spec
      .given(lost)
      .when(recordTouchpoint(), at())
      .then([touchpointRecorded({ stage: 'LOST' })]);
  });

  it('needs an opened account', () => {
    spec.given([]).when(recordTouchpoint(), at()).thenThrows('ACCOUNT_NOT_FOUND');
  });

  describe('occurredAt', () => {
    it('may be in the past', () => {
      const occurredAt = iso(NOW, -400 * DAY);
      spec
        .given(opened)
        .when(recordTouchpoint({ occurredAt }), at())
        .then([touchpointRecorded({ occurredAt })]);
    });

    it('may be exactly 5 minutes ahead of now', () => {
      const occurredAt = iso(NOW, 5 * MINUTE);
      spec
        .given(opened)
        .when(recordTouchpoint({ occurredAt }), at())
        .then([touchpointRecorded({ occurredAt })]);
    });

    it('may not be more than 5 minutes ahead', () => {
      spec
        .given(opened)
        .when(recordTouchpoint({ occurredAt: iso(NOW, 5 * MINUTE + 1) }), at())
        .thenThrows('BAD_USER_INPUT', ['occurredAt']);
    });

    it.each(['2025-05-31', '2025-05-31T12:00:00', 'yesterday', '2025-13-45T00:00:00Z', ''])(
      'must be an ISO date-time with a zone, not %j',
      (occurredAt) => {
        spec
          .given(opened)
          .when(recordTouchpoint({ occurredAt }), at())
          .thenThrows('BAD_USER_INPUT', ['occurredAt']);
      },
    );
  });

  describe('limits', () => {
    it('takes up to 50 participants', () => {
      const participants = Array.from({ length: 50 }, (_, i) => `p${i}`);
      spec
        .given(opened)
        .when(recordTouchpoint({ participants }), at())
        .then([touchpointRecorded({ participants })]);
      spec
        .given(opened)
        .when(recordTouchpoint({ participants: [...participants, 'one too many'] }), at())
        .thenThrows('BAD_USER_INPUT', ['participants']);
    });

    it('names the bad participant', () => {
      spec
        .given(opened)
        .when(recordTouchpoint({ participants: ['ok', '', 'x'.repeat(201)] }), at())
        .thenThrows('BAD_USER_INPUT', ['participants.1', 'participants.2']);
    });

    it('takes a summary up to 2,000 characters (empty allowed)', () => {
      const summary = 's'.repeat(2000);
      spec
        .given(opened)
        .when(recordTouchpoint({ summary }), at())
        .then([touchpointRecorded({ summary })]);
      spec
        .given(opened)
        .when(recordTouchpoint({ summary: '' }), at())
        .then([touchpointRecorded({ summary: '' })]);
      spec
        .given(opened)
        .when(recordTouchpoint({ summary: 's'.repeat(2001) }), at())
        .thenThrows('BAD_USER_INPUT', ['summary']);
    });

    it('needs a non-empty source', () => {
      for (const source of ['', '   ', undefined, null]) {
        spec
          .given(opened)
          .when(recordTouchpoint({ source: source as string }), at())
          .thenThrows('BAD_USER_INPUT', ['source']);
      }
      spec
        .given(opened)
        .when(recordTouchpoint({ source: 's'.repeat(101) }), at())
        .thenThrows('BAD_USER_INPUT', ['source']);
    });

    it('caps actorId, externalRef and the touchpoint id', () => {
      spec
        .given(opened)
        .when(
          recordTouchpoint({
            touchpointId: 't'.repeat(129),
            actorId: 'a'.repeat(201),
            externalRef: 'e'.repeat(501),
          }),
          at(),
        )
        .thenThrows('BAD_USER_INPUT', ['touchpointId', 'actorId', 'externalRef']);
    });

    it('checks every enum', () => {
      spec
        .given(opened)
        .when(
          recordTouchpoint({
            channel: 'PIGEON' as never,
            direction: 'SIDEWAYS' as never,
            pillar: 'FUN' as never,
            sentiment: 'MEH' as never,
            momentOfTruth: 'yes' as never,
          }),
          at(),
        )
        .thenThrows('BAD_USER_INPUT', ['channel', 'direction', 'pillar', 'sentiment', 'momentOfTruth']);
    });

    it('lists every bad field at once', () => {
      spec
        .given(opened)
        .when(
          {
            type: 'RecordTouchpoint',
            data: {
              touchpointId: '',
              accountId: 'bad id',
              occurredAt: iso(NOW, DAY),
              channel: undefined as never,
              direction: 'OUTBOUND',
              pillar: 'SERVICE',
              summary: 'x'.repeat(2001),
              participants: Array.from({ length: 51 }, () => 'p'),
              source: '',
            },
          },
          at(),
        )
        .thenThrows('BAD_USER_INPUT', [
          'touchpointId',
          'accountId',
          'occurredAt',
          'channel',
          'summary',
          'participants',
          'source',
        ]);
    });
  });

  describe('idempotency by touchpointId', () => {
    it('reports the same touchpoint again as a duplicate', () => {
      spec
        .given([...opened, touchpointRecorded()])
        .when(recordTouchpoint(), at())
        .thenNothing('duplicate');
    });

    it('still does 1,000 events later', () => {
      spec
        .given([...opened, touchpointRecorded(), ...manyTouchpoints(1000)])
        .when(recordTouchpoint(), at(iso(NOW, 300 * DAY)))
        .thenNothing('duplicate');
    });

    it('compares instants, not their spelling, and treats omitted defaults as given', () => {
      const given = spec.given([...opened, touchpointRecorded({ occurredAt: '2025-05-31T12:00:00.000Z' })]);
      given
        .when(
          recordTouchpoint({
            occurredAt: '2025-05-31T14:00:00+02:00',
            momentOfTruth: false,
            participants: [],
          }),
          at(),
        )
        .thenNothing('duplicate');
    });

    it.each([
      ['occurredAt', { occurredAt: iso(NOW, -2 * DAY) }],
      ['channel', { channel: 'EMAIL' }],
      ['direction', { direction: 'INBOUND' }],
      ['pillar', { pillar: 'SERVICE' }],
      ['sentiment', { sentiment: 'POSITIVE' }],
      ['momentOfTruth', { momentOfTruth: true }],
      ['summary', { summary: 'different' }],
      ['actorId', { actorId: 'someone' }],
      ['participants', { participants: ['x'] }],
      ['source', { source: 'hubspot' }],
      ['externalRef', { externalRef: 'X-1' }],
    ] as const)('refuses the same id with a different %s, even 1,000 events later', (_field, change) => {
      spec
        .given([...opened, touchpointRecorded(), ...manyTouchpoints(1000)])
        .when(recordTouchpoint(change), at())
        .thenThrows('IDEMPOTENCY_CONFLICT');
    });

    it('keeps ids like __proto__ apart from everything else', () => {
      spec
        .given(opened)
        .when(recordTouchpoint({ touchpointId: '__proto__' }), at())
        .then([touchpointRecorded({ touchpointId: '__proto__' })]);
      spec
        .given([...opened, touchpointRecorded({ touchpointId: '__proto__' })])
        .when(recordTouchpoint({ touchpointId: '__proto__' }), at())
        .thenNothing('duplicate');
      spec
        .given([...opened, touchpointRecorded({ touchpointId: '__proto__' })])
        .when(recordTouchpoint({ touchpointId: 'constructor' }), at())
        .then([touchpointRecorded({ touchpointId: 'constructor' })]);
    });
  });
});

describe('isQualifyingTouch', () => {
  const pairs = DIRECTIONS.flatMap((direction) => CHANNELS.map((channel) => [direction, channel] as const));

  it.each(pairs)('%s %s', (direction, channel) => {
    const expected = direction !== 'INTERNAL' && channel !== 'INTERNAL_NOTE' && channel !== 'PRODUCT_USAGE';
    expect(isQualifyingTouch({ direction, channel })).toBe(expected);
  });

  it('is recorded on the event', () => {
    spec
      .given([accountOpened()])
      .when(recordTouchpoint({ channel: 'PRODUCT_USAGE', direction: 'INBOUND' }), at())
      .then([touchpointRecorded({ channel: 'PRODUCT_USAGE', direction: 'INBOUND', qualifying: false })]);
  });
});
