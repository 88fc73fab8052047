import {
  DAY,
  MINUTE,
  accountInput,
  at,
  bootIngestionApp,
  commitmentInput,
  openAccounts,
  touchpointInput,
  uid,
  type IngestionApp,
} from './ingestion-harness.js';

type Fields = Record<string, unknown>;

/** Every rule of product.md, item by item: a rejected item names its field and writes nothing. */
describe('validation rules: a named field, BAD_USER_INPUT, nothing written', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  function expectRejected(result: any, field: string): void {
    expect(result).toMatchObject({
      status: 'rejected',
      error: { code: 'BAD_USER_INPUT', field, message: expect.stringContaining(field) },
    });
  }

  describe('accounts', () => {
    it.each<[string, Fields, string]>([
      ['an id with a space', { id: 'acme corp' }, 'id'],
      ['an id starting with a dash', { id: '-acme' }, 'id'],
      ['an id of 129 characters', { id: `a${'b'.repeat(128)}` }, 'id'],
      ['an empty id', { id: '' }, 'id'],
      ['a numeric id', { id: 42 }, 'id'],
      ['no id', { id: undefined }, 'id'],
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
      ['no name', { name: undefined }, 'name'],
      ['an unknown tier', { tier: 'GOLD' }, 'tier'],
      ['a lower-case tier', { tier: 'smb' }, 'tier'],
      ['no tier', { tier: undefined }, 'tier'],
      ['a cadence of 0 days', { cadenceDays: 0 }, 'cadenceDays'],
      ['a cadence of 366 days', { cadenceDays: 366 }, 'cadenceDays'],
      ['a fractional cadence', { cadenceDays: 1.5 }, 'cadenceDays'],
      ['a cadence as a string', { cadenceDays: '30' }, 'cadenceDays'],
      ['an unknown stage', { stage: 'WON' }, 'stage'],
      ['opening as LOST', { stage: 'LOST' }, 'stage'],
      ['opening as CHURNED', { stage: 'CHURNED' }, 'stage'],
      [
        'openedAt more than 5 minutes ahead',
        // A getter: the instant is taken when the test runs, not when the table is built.
        {
          get openedAt() {
            return at(5 * MINUTE + 5000);
          },
        },
        'openedAt',
      ],
      ['openedAt without a zone', { openedAt: '2025-01-01T10:00:00' }, 'openedAt'],
      ['an unknown field', { colour: 'red' }, 'colour'],
    ])('refuses %s', async (_what, change, field) => {
      const id = typeof change.id === 'string' && change.id !== '' ? change.id : uid('v-acc');
      const other = accountInput(uid('v-ok'));
      const item = { ...accountInput(id), ...change };
      if ('id' in change && change.id === undefined) delete item.id;

      const answer = await harness.post('/v1/accounts', { accounts: [item, other] });

      expect(answer.status).toBe(200);
      expectRejected(answer.body.results[0], field);
      expect(answer.body.results[1]).toEqual({ index: 1, id: other.id, status: 'created' });
      if (typeof item.id === 'string' && item.id !== '') expect(await harness.events(item.id)).toEqual([]);
    });

    it.each<[string, Fields]>([
      ['an id of 128 characters with every allowed sign', { id: `A9._:-${uid('x')}`.padEnd(128, 'z') }],
      ['a name of 200 characters', { name: 'n'.repeat(200) }],
      ['a cadence of 1 day', { cadenceDays: 1 }],
      ['a cadence of 365 days', { cadenceDays: 365 }],
      ['no cadence', { cadenceDays: null }],
      ...['STRATEGIC', 'ENTERPRISE', 'MIDMARKET', 'SMB'].map((tier): [string, Fields] => [tier, { tier }]),
      ...['PROSPECT', 'DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE', 'RENEWAL', 'ADVOCATE'].map(
        (stage): [string, Fields] => [`stage ${stage}`, { stage }],
      ),
      ['openedAt in the past', { openedAt: at(-400 * DAY) }],
    ])('accepts %s', async (_what, change) => {
      const item = { ...accountInput(uid('v-acc')), ...change };

      const answer = await harness.post('/v1/accounts', { accounts: [item] });

      expect(answer.body.results[0]).toEqual({ index: 0, id: item.id, status: 'created' });
      expect((await harness.events(item.id as string)).map((e) => e.type)).toEqual(['AccountOpened']);
    });
  });

  describe('touchpoints', () => {
    const fiftyOne = Array.from({ length: 51 }, (_, i) => `p${i}@example.com`);

    it.each<[string, () => Fields, string]>([
      ['occurredAt more than 5 minutes ahead', () => ({ occurredAt: at(5 * MINUTE + 5000) }), 'occurredAt'],
      ['occurredAt a day ahead', () => ({ occurredAt: at(DAY) }), 'occurredAt'],
      ['occurredAt without a time', () => ({ occurredAt: '2025-05-01' }), 'occurredAt'],
      ['occurredAt without a zone', () => ({ occurredAt: '2025-05-01T09:30:00' }), 'occurredAt'],
      ['occurredAt as words', () => ({ occurredAt: 'yesterday' }), 'occurredAt'],
      ['no occurredAt', () => ({ occurredAt: undefined }), 'occurredAt'],
      ['an unknown channel', () => ({ channel: 'FAX' }), 'channel'],
      ['an unknown direction', () => ({ direction: 'SIDEWAYS' }), 'direction'],
      ['an unknown pillar', () => ({ pillar: 'SALES' }), 'pillar'],
      ['an unknown sentiment', () => ({ sentiment: 'ANGRY' }), 'sentiment'],
      ['51 participants', () => ({ participants: fiftyOne }), 'participants'],
      ['participants that are not a list', () => ({ participants: 'a@example.com' }), 'participants'],
      ['a summary of 2,001 characters', () => ({ summary: 's'.repeat(2001) }), 'summary'],
      ['no source', () => ({ source: undefined }), 'source'],
      ['an empty source', () => ({ source: '' }), 'source'],
      ['a blank source', () => ({ source: '  ' }), 'source'],
      ['a momentOfTruth that is not a boolean', () => ({ momentOfTruth: 'yes' }), 'momentOfTruth'],
      ['an accountId that breaks the pattern', () => ({ accountId: 'no/slashes' }), 'accountId'],
      ['an empty touchpointId', () => ({ touchpointId: '' }), 'touchpointId'],
      ['an unknown field', () => ({ mood: 'sunny' }), 'mood'],
    ])('refuses %s', async (_what, change, field) => {
      const accountId = uid('v-tp');
      await openAccounts(harness, accountInput(accountId));
      const item = { ...touchpointInput(accountId), ...change() };
      for (const [key, value] of Object.entries(item)) if (value === undefined) delete item[key];
      const good = touchpointInput(accountId);

      const answer = await harness.post('/v1/touchpoints', { touchpoints: [item, good] });

      expect(answer.status).toBe(200);
      expectRejected(answer.body.results[0], field);
      expect(answer.body.results[1]).toEqual({
        index: 1,
        touchpointId: good.touchpointId,
        status: 'created',
      });
      const touches = (await harness.events(accountId)).filter((e) => e.type === 'TouchpointRecorded');
      expect(touches.map((e) => e.data.touchpointId)).toEqual([good.touchpointId]);
    });

    it.each<[string, () => Fields]>([
      ['occurredAt 5 minutes minus a second ahead', () => ({ occurredAt: at(5 * MINUTE - 1000) })],
      ['occurredAt years ago', () => ({ occurredAt: '2019-03-04T05:06:07.000Z' })],
      ['occurredAt with an offset', () => ({ occurredAt: '2024-06-01T12:00:00+02:00' })],
      ['50 participants', () => ({ participants: fiftyOne.slice(0, 50) })],
      ['a summary of 2,000 characters', () => ({ summary: 's'.repeat(2000) })],
      ['no sentiment', () => ({ sentiment: undefined })],
      ...['EMAIL', 'CALL', 'VIDEO_CALL', 'MEETING', 'IN_PERSON', 'CHAT', 'SUPPORT_TICKET', 'SURVEY'].map(
        (channel): [string, () => Fields] => [channel, () => ({ channel })],
      ),
      ...['EVENT', 'PRODUCT_USAGE', 'SOCIAL', 'INTERNAL_NOTE'].map((channel): [string, () => Fields] => [
        channel,
        () => ({ channel }),
      ]),
      ...['INBOUND', 'OUTBOUND', 'INTERNAL'].map((direction): [string, () => Fields] => [
        direction,
        () => ({ direction }),
      ]),
      ...['DISCOVERY', 'SERVICE', 'ENGAGEMENT'].map((pillar): [string, () => Fields] => [
        pillar,
        () => ({ pillar }),
      ]),
      ...['NEGATIVE', 'NEUTRAL', 'POSITIVE'].map((sentiment): [string, () => Fields] => [
        sentiment,
        () => ({ sentiment }),
      ]),
    ])('accepts %s', async (_what, change) => {
      const accountId = uid('v-tp');
      await openAccounts(harness, accountInput(accountId));
      const item = { ...touchpointInput(accountId), ...change() };
      for (const [key, value] of Object.entries(item)) if (value === undefined) delete item[key];

      const answer = await harness.post('/v1/touchpoints', { touchpoints: [item] });

      expect(answer.body.results).toEqual([{ index: 0, touchpointId: item.touchpointId, status: 'created' }]);
      const events = await harness.events(accountId);
      expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'TouchpointRecorded']);
      expect(Date.parse(events[1].data.occurredAt)).toBe(Date.parse(item.occurredAt as string));
    });

    it('lists every bad field of one item in its message, naming the first', async () => {
      const accountId = uid('v-tp');
      await openAccounts(harness, accountInput(accountId));
      const item = touchpointInput(accountId, {
        channel: 'FAX',
        pillar: 'SALES',
        summary: 's'.repeat(2001),
        participants: fiftyOne,
        source: undefined,
      });
      delete item.source;

      const answer = await harness.post('/v1/touchpoints', { touchpoints: [item] });

      const [result] = answer.body.results;
      expect(result.status).toBe('rejected');
      expect(result.error.code).toBe('BAD_USER_INPUT');
      expect(result.error.field).toBe('channel');
      for (const field of ['channel', 'pillar', 'summary', 'participants', 'source']) {
        expect(result.error.message).toContain(`${field}:`);
      }
      expect(await harness.events(accountId)).toHaveLength(1);
    });

    it('lists every bad field the lifecycle rules find too (a future occurredAt among others)', async () => {
      const accountId = uid('v-tp');
      await openAccounts(harness, accountInput(accountId));
      const item = touchpointInput(accountId, { occurredAt: at(DAY), participants: ['ok', ' '] });

      const answer = await harness.post('/v1/touchpoints', { touchpoints: [item] });

      const [result] = answer.body.results;
      expect(result).toMatchObject({
        status: 'rejected',
        error: { code: 'BAD_USER_INPUT', field: 'occurredAt' },
      });
      expect(result.error.message).toContain('occurredAt:');
      expect(result.error.message).toContain('participants.1:');
      expect(await harness.events(accountId)).toHaveLength(1);
    });
  });

  describe('commitments', () => {
    it.each<[string, () => Fields, string]>([
      ['an empty title', () => ({ title: '' }), 'title'],
      ['a blank title', () => ({ title: '   ' }), 'title'],
      ['a title of 201 characters', () => ({ title: 't'.repeat(201) }), 'title'],
      ['no title', () => ({ title: undefined }), 'title'],
      [
        'dueAt equal to madeAt',
        () => {
          const madeAt = at(-DAY);
          return { madeAt, dueAt: madeAt };
        },
        'dueAt',
      ],
      ['dueAt before madeAt', () => ({ madeAt: at(-DAY), dueAt: at(-2 * DAY) }), 'dueAt'],
      [
        'dueAt in the past without madeAt (madeAt is now)',
        () => ({ madeAt: undefined, dueAt: at(-MINUTE) }),
        'dueAt',
      ],
      ['no dueAt', () => ({ dueAt: undefined }), 'dueAt'],
      ['a dueAt that is not an instant', () => ({ dueAt: 'next week' }), 'dueAt'],
      ['madeAt more than 5 minutes ahead', () => ({ madeAt: at(10 * MINUTE), dueAt: at(DAY) }), 'madeAt'],
      ['no ownerId', () => ({ ownerId: undefined }), 'ownerId'],
    ])('refuses %s', async (_what, change, field) => {
      const accountId = uid('v-c');
      await openAccounts(harness, accountInput(accountId));
      const item = { ...commitmentInput(accountId), ...change() };
      for (const [key, value] of Object.entries(item)) if (value === undefined) delete item[key];

      const answer = await harness.post('/v1/commitments', { commitments: [item] });

      expect(answer.status).toBe(200);
      expectRejected(answer.body.results[0], field);
      expect(await harness.events(accountId)).toHaveLength(1);
    });

    it.each<[string, () => Fields]>([
      ['a title of 200 characters', () => ({ title: 't'.repeat(200) })],
      ['a title of 1 character', () => ({ title: 'x' })],
      ['a dueAt already past (importing)', () => ({ madeAt: at(-30 * DAY), dueAt: at(-20 * DAY) })],
      [
        'dueAt one millisecond after madeAt',
        () => ({ madeAt: '2025-01-01T00:00:00.000Z', dueAt: '2025-01-01T00:00:00.001Z' }),
      ],
    ])('accepts %s', async (_what, change) => {
      const accountId = uid('v-c');
      await openAccounts(harness, accountInput(accountId));
      const item = { ...commitmentInput(accountId), ...change() };

      const answer = await harness.post('/v1/commitments', { commitments: [item] });

      expect(answer.body.results).toEqual([{ index: 0, commitmentId: item.commitmentId, status: 'created' }]);
      expect((await harness.events(accountId)).map((e) => e.type)).toEqual([
        'AccountOpened',
        'CommitmentMade',
      ]);
    });

    it.each([
      ['LOST', 'PROSPECT'],
      ['CHURNED', 'ACTIVE'],
    ])('refuses a commitment on a %s account with ACCOUNT_EXITED and writes nothing', async (exit, start) => {
      const accountId = uid('v-exited');
      await openAccounts(harness, accountInput(accountId, { stage: start }));
      const moved = await harness.post(`/v1/accounts/${accountId}/stage`, { to: exit, reason: 'Budget cut' });
      expect(moved.status).toBe(200);
      const item = commitmentInput(accountId);

      const answer = await harness.post('/v1/commitments', { commitments: [item] });

      expect(answer.body.results).toEqual([
        {
          index: 0,
          commitmentId: item.commitmentId,
          status: 'rejected',
          error: { code: 'ACCOUNT_EXITED', message: expect.stringContaining(exit) },
        },
      ]);
      expect((await harness.events(accountId)).map((e) => e.type)).toEqual([
        'AccountOpened',
        'LifecycleStageChanged',
      ]);
    });
  });

  describe('stage changes (POST /v1/accounts/:id/stage)', () => {
    it.each<[string, string, Fields]>([
      ['LOST without a reason', 'PROSPECT', { to: 'LOST' }],
      ['LOST with a blank reason', 'PROSPECT', { to: 'LOST', reason: '  ', lessons: 'Call earlier' }],
      ['CHURNED without a reason', 'ACTIVE', { to: 'CHURNED' }],
      ['CHURNED with a null reason', 'RENEWAL', { to: 'CHURNED', reason: null }],
    ])('answers 400 naming reason for %s', async (_what, start, body) => {
      const accountId = uid('v-stage');
      await openAccounts(harness, accountInput(accountId, { stage: start }));

      const answer = await harness.post(`/v1/accounts/${accountId}/stage`, body);

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        statusCode: 400,
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('reason'),
        fields: [{ path: 'reason', message: expect.any(String) }],
      });
      expect(await harness.events(accountId)).toHaveLength(1);
    });

    it('answers 400 naming the field for an unknown stage', async () => {
      const accountId = uid('v-stage');
      await openAccounts(harness, accountInput(accountId));

      const answer = await harness.post(`/v1/accounts/${accountId}/stage`, { to: 'WON', occurredAt: 'soon' });

      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('BAD_USER_INPUT');
      expect(answer.body.fields.map((f: any) => f.path)).toEqual(
        expect.arrayContaining(['to', 'occurredAt']),
      );
      expect(await harness.events(accountId)).toHaveLength(1);
    });

    it.each([
      ['PROSPECT', 'ACTIVE'],
      ['PROSPECT', 'ONBOARDING'],
      ['ONBOARDING', 'PROPOSAL'],
      ['ACTIVE', 'LOST'],
      ['RENEWAL', 'ONBOARDING'],
    ])('answers 409 INVALID_TRANSITION from %s to %s', async (from, to) => {
      const accountId = uid('v-stage');
      await openAccounts(harness, accountInput(accountId, { stage: from }));

      const answer = await harness.post(`/v1/accounts/${accountId}/stage`, { to, reason: 'Because' });

      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ statusCode: 409, code: 'INVALID_TRANSITION' });
      expect(await harness.events(accountId)).toHaveLength(1);
    });

    it('records an allowed move with reason and lessons, and a move to the current stage is a no-op', async () => {
      const accountId = uid('v-stage');
      await openAccounts(harness, accountInput(accountId, { stage: 'PROPOSAL' }));

      const lost = await harness.post(`/v1/accounts/${accountId}/stage`, {
        to: 'LOST',
        reason: 'Went with a competitor',
        lessons: 'Involve procurement earlier',
      });
      const again = await harness.post(`/v1/accounts/${accountId}/stage`, { to: 'LOST', reason: 'Again' });

      expect(lost.status).toBe(200);
      expect(lost.body).toEqual({ accountId, status: 'created', revision: '1' });
      expect(again.body).toEqual({ accountId, status: 'unchanged', revision: '1' });
      const events = await harness.events(accountId);
      expect(events).toHaveLength(2);
      expect(events[1].data).toMatchObject({
        from: 'PROPOSAL',
        to: 'LOST',
        reason: 'Went with a competitor',
        lessons: 'Involve procurement earlier',
      });
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an account never opened', async () => {
      const accountId = uid('v-none');
      const answer = await harness.post(`/v1/accounts/${accountId}/stage`, { to: 'DISCOVERY' });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
      expect(await harness.events(accountId)).toEqual([]);
    });
  });
});
