import {
  accountOpened,
  at,
  DAY,
  iso,
  manyTouchpoints,
  MINUTE,
  NOW,
  openAccount,
  spec,
  stageChanged,
} from '../testing/index.js';

describe('OpenAccount', () => {
  it('opens the account with the given content', () => {
    spec
      .given([])
      .when(openAccount({ cadenceDays: 20, stage: 'ACTIVE' }), at())
      .then([accountOpened({ cadenceDays: 20, stage: 'ACTIVE' })], 'created');
  });

  it('defaults the stage to PROSPECT and openedAt to now', () => {
    spec
      .given([])
      .when(openAccount({ openedAt: undefined }), at())
      .then([accountOpened({ openedAt: NOW.toISOString() })]);
  });

  it('normalises openedAt to UTC ISO and accepts a Date', () => {
    spec
      .given([])
      .when(openAccount({ openedAt: '2025-01-01T02:00:00+02:00' }), at())
      .then([accountOpened({ openedAt: '2025-01-01T00:00:00.000Z' })]);
    spec
      .given([])
      .when(openAccount({ openedAt: new Date('2025-01-01T00:00:00Z') }), at())
      .then([accountOpened()]);
  });

  it('accepts openedAt up to 5 minutes ahead, not one ms more', () => {
    const limit = iso(NOW, 5 * MINUTE);
    spec
      .given([])
      .when(openAccount({ openedAt: limit }), at())
      .then([accountOpened({ openedAt: limit })]);
    spec
      .given([])
      .when(openAccount({ openedAt: iso(limit, 1) }), at())
      .thenThrows('BAD_USER_INPUT', ['openedAt']);
  });

  it('refuses to open an account as LOST or CHURNED', () => {
    spec
      .given([])
      .when(openAccount({ stage: 'LOST' }), at())
      .thenThrows('BAD_USER_INPUT', ['stage']);
    spec
      .given([])
      .when(openAccount({ stage: 'CHURNED' }), at())
      .thenThrows('BAD_USER_INPUT', ['stage']);
  });

  describe('limits', () => {
    it.each([
      ['a', true],
      ['A.b_c:d-9', true],
      ['x'.repeat(128), true],
      ['x'.repeat(129), false],
      ['-starts-with-dash', false],
      ['has space', false],
      ['has/slash', false],
      ['', false],
    ])('account id %j valid: %s', (id, valid) => {
      const when = spec.given([]).when(openAccount({ id }), at());
      if (valid) when.then([accountOpened({ accountId: id })]);
      else when.thenThrows('BAD_USER_INPUT', ['id']);
    });

    it('name is 1 to 200 characters, not blank', () => {
      const name = 'n'.repeat(200);
      spec
        .given([])
        .when(openAccount({ name }), at())
        .then([accountOpened({ name })]);
      spec
        .given([])
        .when(openAccount({ name: 'n'.repeat(201) }), at())
        .thenThrows('BAD_USER_INPUT', ['name']);
      spec
        .given([])
        .when(openAccount({ name: '' }), at())
        .thenThrows('BAD_USER_INPUT', ['name']);
      spec
        .given([])
        .when(openAccount({ name: '   ' }), at())
        .thenThrows('BAD_USER_INPUT', ['name']);
    });

    it('counts characters, not UTF-16 units', () => {
      const name = '😀'.repeat(200);
      spec
        .given([])
        .when(openAccount({ name }), at())
        .then([accountOpened({ name })]);
    });

    it.each([
      [1, true],
      [365, true],
      [null, true],
      [0, false],
      [366, false],
      [1.5, false],
      ['30', false],
    ])('cadence %j valid: %s', (cadenceDays, valid) => {
      const when = spec.given([]).when(openAccount({ cadenceDays: cadenceDays as number }), at());
      if (valid) when.then([accountOpened({ cadenceDays: cadenceDays as number | null })]);
      else when.thenThrows('BAD_USER_INPUT', ['cadenceDays']);
    });

    it('lists every bad field at once', () => {
      spec
        .given([])
        .when(
          {
            type: 'OpenAccount',
            data: {
              id: 'no spaces',
              name: '',
              tier: 'GOLD' as never,
              ownerId: '',
              stage: 'NOWHERE' as never,
              openedAt: 'not a date',
              cadenceDays: 0,
            },
          },
          at(),
        )
        .thenThrows('BAD_USER_INPUT', ['id', 'name', 'tier', 'ownerId', 'stage', 'openedAt', 'cadenceDays']);
    });
  });

  describe('idempotency by account id', () => {
    it('reports the same opening again as a duplicate', () => {
      spec.given([accountOpened()]).when(openAccount(), at()).thenNothing('duplicate');
    });

    it('matches a retry that leaves openedAt to default', () => {
      spec
        .given([accountOpened()])
        .when(openAccount({ openedAt: undefined }), at())
        .thenNothing('duplicate');
    });

    it('refuses the same id with different content', () => {
      const given = spec.given([accountOpened()]);
      given.when(openAccount({ name: 'Other' }), at()).thenThrows('IDEMPOTENCY_CONFLICT');
      given.when(openAccount({ tier: 'SMB' }), at()).thenThrows('IDEMPOTENCY_CONFLICT');
      given.when(openAccount({ ownerId: 'someone-else' }), at()).thenThrows('IDEMPOTENCY_CONFLICT');
      given.when(openAccount({ stage: 'DISCOVERY' }), at()).thenThrows('IDEMPOTENCY_CONFLICT');
      given.when(openAccount({ cadenceDays: 7 }), at()).thenThrows('IDEMPOTENCY_CONFLICT');
      given.when(openAccount({ openedAt: iso(NOW, -1) }), at()).thenThrows('IDEMPOTENCY_CONFLICT');
    });

    it('compares with the opening, not with what changed since, 1,000 events later', () => {
      const history = [
        accountOpened(),
        ...manyTouchpoints(1000),
        stageChanged('PROSPECT', 'DISCOVERY', iso(NOW, -DAY)),
      ];
      spec.given(history).when(openAccount(), at()).thenNothing('duplicate');
      spec
        .given(history)
        .when(openAccount({ stage: 'DISCOVERY' }), at())
        .thenThrows('IDEMPOTENCY_CONFLICT');
    });
  });
});
