import type { Tier } from '../account/tier.enum.js';
import type { AccountWentSilent } from './silence.events.js';
import {
  accountOpened,
  ACCOUNT_ID,
  at,
  DAY,
  iso,
  OPENED_AT,
  recordTouchpoint,
  spec,
  stageChanged,
  touchpointRecorded,
} from '../testing/index.js';

const checkSilence = { type: 'RecordAccountSilent' as const, data: { accountId: ACCOUNT_ID } };
const wentSilent = (silentSince: string, occurredAt: string, cadenceDays = 30): AccountWentSilent => ({
  type: 'AccountWentSilent',
  data: { accountId: ACCOUNT_ID, silentSince, cadenceDays, occurredAt },
});

/** The last qualifying contact. */
const T = iso(OPENED_AT, 10 * DAY);
const touchedAtT = [accountOpened(), touchpointRecorded({ touchpointId: 'q', occurredAt: T })];

describe('RecordAccountSilent', () => {
  it('is not silent exactly at the cadence boundary, silent one ms later', () => {
    spec
      .given(touchedAtT)
      .when(checkSilence, at(iso(T, 30 * DAY)))
      .thenNothing('unchanged');
    const now = iso(T, 30 * DAY + 1);
    spec
      .given(touchedAtT)
      .when(checkSilence, at(now))
      .then([wentSilent(T, now)], 'created');
  });

  it('runs the clock from openedAt when there was no qualifying touch', () => {
    spec
      .given([accountOpened()])
      .when(checkSilence, at(iso(OPENED_AT, 30 * DAY)))
      .thenNothing('unchanged');
    const now = iso(OPENED_AT, 30 * DAY + 1);
    spec
      .given([accountOpened()])
      .when(checkSilence, at(now))
      .then([wentSilent(OPENED_AT, now)]);
  });

  it.each([
    ['STRATEGIC', 14],
    ['ENTERPRISE', 30],
    ['MIDMARKET', 45],
    ['SMB', 90],
  ] as const)('uses the %s default of %i days', (tier: Tier, days: number) => {
    const given = spec.given([accountOpened({ tier })]);
    given.when(checkSilence, at(iso(OPENED_AT, days * DAY))).thenNothing('unchanged');
    const now = iso(OPENED_AT, days * DAY + 1);
    given.when(checkSilence, at(now)).then([wentSilent(OPENED_AT, now, days)]);
  });

  it('uses an agreed cadence over the tier', () => {
    const opened = [accountOpened({ tier: 'SMB', cadenceDays: 7 })];
    spec
      .given(opened)
      .when(checkSilence, at(iso(OPENED_AT, 7 * DAY)))
      .thenNothing('unchanged');
    spec
      .given(opened)
      .when(checkSilence, at(iso(OPENED_AT, 7 * DAY + 1)))
      .then([wentSilent(OPENED_AT, iso(OPENED_AT, 7 * DAY + 1), 7)]);
  });

  it('follows cadence changes, back to the tier default with null', () => {
    const cadence = (cadenceDays: number | null, previousCadenceDays: number | null) => ({
      type: 'AccountCadenceSet' as const,
      data: { accountId: ACCOUNT_ID, cadenceDays, previousCadenceDays, occurredAt: OPENED_AT },
    });
    const now = iso(OPENED_AT, 10 * DAY);
    spec
      .given([accountOpened(), cadence(5, null)])
      .when(checkSilence, at(now))
      .then([wentSilent(OPENED_AT, now, 5)]);
    spec
      .given([accountOpened(), cadence(5, null), cadence(null, 5)])
      .when(checkSilence, at(now))
      .thenNothing('unchanged');
  });

  it('does not let non-qualifying touches reset the clock', () => {
    const given = spec.given([
      ...touchedAtT,
      touchpointRecorded({
        touchpointId: 'n1',
        occurredAt: iso(T, 20 * DAY),
        channel: 'INTERNAL_NOTE',
        qualifying: false,
      }),
      touchpointRecorded({
        touchpointId: 'n2',
        occurredAt: iso(T, 25 * DAY),
        channel: 'PRODUCT_USAGE',
        qualifying: false,
      }),
      touchpointRecorded({
        touchpointId: 'n3',
        occurredAt: iso(T, 29 * DAY),
        direction: 'INTERNAL',
        qualifying: false,
      }),
    ]);
    const now = iso(T, 30 * DAY + 1);
    given.when(checkSilence, at(now)).then([wentSilent(T, now)]);
  });

  it('does not let a backfilled older touch move the clock back', () => {
    const now = iso(T, 30 * DAY);
    spec
      .given([...touchedAtT, touchpointRecorded({ touchpointId: 'old', occurredAt: iso(T, -5 * DAY) })])
      .when(checkSilence, at(now))
      .thenNothing('unchanged');
  });

  it('does nothing when already silent', () => {
    const now = iso(T, 31 * DAY);
    spec
      .given([...touchedAtT, wentSilent(T, now)])
      .when(checkSilence, at(iso(now, DAY)))
      .thenNothing('unchanged');
  });

  it.each(['LOST', 'CHURNED'] as const)('never records a %s account silent', (stage) => {
    const from = stage === 'LOST' ? 'PROSPECT' : 'ACTIVE';
    spec
      .given([
        accountOpened({ stage: from }),
        stageChanged(from, stage, iso(OPENED_AT, DAY), { reason: 'r' }),
      ])
      .when(checkSilence, at(iso(OPENED_AT, 400 * DAY)))
      .thenNothing('unchanged');
  });

  it('clears silence on exit, and counts from the last touch again after a win-back', () => {
    const silentAt = iso(T, 31 * DAY);
    const history = [
      ...touchedAtT,
      wentSilent(T, silentAt),
      stageChanged('PROSPECT', 'LOST', iso(silentAt, DAY), { reason: 'r' }),
      stageChanged('LOST', 'PROSPECT', iso(silentAt, 2 * DAY)),
    ];
    const now = iso(silentAt, 3 * DAY);
    spec
      .given(history)
      .when(checkSilence, at(now))
      .then([wentSilent(T, now)]);
  });

  it('needs an opened account and a valid id', () => {
    spec.given([]).when(checkSilence, at()).thenThrows('ACCOUNT_NOT_FOUND');
    spec
      .given([])
      .when({ type: 'RecordAccountSilent', data: { accountId: '' } }, at())
      .thenThrows('BAD_USER_INPUT', ['accountId']);
  });
});

describe('re-engagement', () => {
  const silentAt = iso(T, 31 * DAY);
  const silent = [...touchedAtT, wentSilent(T, silentAt)];
  const touchAt = iso(T, 40 * DAY);

  it('follows the qualifying touch that ends a silence, with how long it lasted', () => {
    spec
      .given(silent)
      .when(recordTouchpoint({ touchpointId: 'back', occurredAt: touchAt }), at(touchAt))
      .then(
        [
          touchpointRecorded({ touchpointId: 'back', occurredAt: touchAt }),
          {
            type: 'AccountReEngaged',
            data: {
              accountId: ACCOUNT_ID,
              touchpointId: 'back',
              silentSince: T,
              silentForDays: 40,
              occurredAt: touchAt,
            },
          },
        ],
        'created',
      );
  });

  it('counts whole days', () => {
    const events = spec
      .given(silent)
      .when(recordTouchpoint({ touchpointId: 'back', occurredAt: iso(touchAt, -1) }), at(touchAt))
      .decision().events;
    expect(events[1]).toMatchObject({ type: 'AccountReEngaged', data: { silentForDays: 39 } });
  });

  it('is not recorded for a non-qualifying touch', () => {
    for (const change of [
      { channel: 'INTERNAL_NOTE' },
      { channel: 'PRODUCT_USAGE' },
      { direction: 'INTERNAL' },
    ] as const) {
      const { events } = spec
        .given(silent)
        .when(recordTouchpoint({ touchpointId: 'n', occurredAt: touchAt, ...change }), at(touchAt))
        .decision();
      expect(events.map((event) => event.type)).toEqual(['TouchpointRecorded']);
    }
  });

  it('is not recorded when the account is not silent', () => {
    const { events } = spec
      .given(touchedAtT)
      .when(recordTouchpoint({ touchpointId: 'x', occurredAt: touchAt }), at(touchAt))
      .decision();
    expect(events.map((event) => event.type)).toEqual(['TouchpointRecorded']);
  });

  it('is not recorded for a backfilled touch that leaves the account silent', () => {
    const now = iso(T, 100 * DAY);
    const stillTooOld = iso(now, -30 * DAY - 1);
    const before = iso(T, -DAY);
    for (const occurredAt of [stillTooOld, before]) {
      const { events } = spec
        .given(silent)
        .when(recordTouchpoint({ touchpointId: 'old', occurredAt }), at(now))
        .decision();
      expect(events.map((event) => event.type)).toEqual(['TouchpointRecorded']);
    }
    const { events } = spec
      .given(silent)
      .when(recordTouchpoint({ touchpointId: 'recent', occurredAt: iso(now, -30 * DAY) }), at(now))
      .decision();
    expect(events.map((event) => event.type)).toEqual(['TouchpointRecorded', 'AccountReEngaged']);
  });

  it('restarts the clock at the touch', () => {
    const history = [
      ...silent,
      touchpointRecorded({ touchpointId: 'back', occurredAt: touchAt }),
      {
        type: 'AccountReEngaged' as const,
        data: {
          accountId: ACCOUNT_ID,
          touchpointId: 'back',
          silentSince: T,
          silentForDays: 40,
          occurredAt: touchAt,
        },
      },
    ];
    spec
      .given(history)
      .when(checkSilence, at(iso(touchAt, 30 * DAY)))
      .thenNothing('unchanged');
    const now = iso(touchAt, 30 * DAY + 1);
    spec
      .given(history)
      .when(checkSilence, at(now))
      .then([wentSilent(touchAt, now)]);
  });
});
