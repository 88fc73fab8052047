import { DomainErrorCode } from '#lifecycle';

import {
  DAY,
  KEYS,
  accountInput,
  at,
  bootIngestionApp,
  jwtHeaders,
  keyHeaders,
  openAccounts,
  touchpointInput,
  uid,
  type IngestionApp,
} from './ingestion-harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /v1/touchpoints: per-item results and the events in the store', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('reports created, duplicate (in the batch and from before), conflict and invalid items, and records each touchpoint once', async () => {
    const accountId = uid('acme');
    await openAccounts(harness, accountInput(accountId, { stage: 'DISCOVERY' }));

    const earlier = touchpointInput(accountId, { summary: 'Kick-off call' });
    const first = await harness.post('/v1/touchpoints', { touchpoints: [earlier] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      results: [{ index: 0, touchpointId: earlier.touchpointId, status: 'created' }],
    });

    const fresh = touchpointInput(accountId, {
      channel: 'MEETING',
      direction: 'INBOUND',
      pillar: 'DISCOVERY',
      sentiment: 'NEUTRAL',
      momentOfTruth: true,
      actorId: 'am-1',
      participants: ['cto@acme.example', 'am-1'],
      externalRef: 'crm:activity:42',
    });
    const internal = touchpointInput(accountId, {
      channel: 'INTERNAL_NOTE',
      direction: 'INTERNAL',
      pillar: 'ENGAGEMENT',
      sentiment: null,
    });
    const { touchpointId: _none, ...withoutId } = touchpointInput(accountId, { channel: 'EMAIL' });
    const batch = [
      fresh, // 0: new
      { ...fresh }, // 1: the same again in this batch
      { ...earlier }, // 2: the same as the earlier batch's
      { ...earlier, summary: 'Something else' }, // 3: the earlier id with other content
      touchpointInput(accountId, { channel: 'FAX' }), // 4: invalid
      internal, // 5: new
      { ...fresh, sentiment: 'NEGATIVE' }, // 6: an id of this batch with other content
      withoutId, // 7: new, id generated
    ];

    const answer = await harness.post('/v1/touchpoints', { touchpoints: batch });

    expect(answer.status).toBe(200);
    const results = answer.body.results;
    expect(results).toHaveLength(batch.length);
    expect(results.map((r: any) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.slice(0, 3)).toEqual([
      { index: 0, touchpointId: fresh.touchpointId, status: 'created' },
      { index: 1, touchpointId: fresh.touchpointId, status: 'duplicate' },
      { index: 2, touchpointId: earlier.touchpointId, status: 'duplicate' },
    ]);
    expect(results[3]).toEqual({
      index: 3,
      touchpointId: earlier.touchpointId,
      status: 'rejected',
      error: { code: DomainErrorCode.IDEMPOTENCY_CONFLICT, message: expect.stringContaining('different') },
    });
    expect(results[4]).toEqual({
      index: 4,
      touchpointId: batch[4].touchpointId,
      status: 'rejected',
      error: { code: 'BAD_USER_INPUT', field: 'channel', message: expect.stringContaining('channel') },
    });
    expect(results[5]).toEqual({ index: 5, touchpointId: internal.touchpointId, status: 'created' });
    expect(results[6]).toMatchObject({
      index: 6,
      touchpointId: fresh.touchpointId,
      status: 'rejected',
      error: { code: DomainErrorCode.IDEMPOTENCY_CONFLICT },
    });
    expect(results[7]).toEqual({ index: 7, touchpointId: expect.stringMatching(UUID), status: 'created' });

    const events = await harness.events(accountId);
    expect(events.map((e) => e.type)).toEqual([
      'AccountOpened',
      'TouchpointRecorded',
      'TouchpointRecorded',
      'TouchpointRecorded',
      'TouchpointRecorded',
    ]);
    const recorded = events.slice(1).map((e) => e.data);
    expect(recorded.map((d) => d.touchpointId)).toEqual([
      earlier.touchpointId,
      fresh.touchpointId,
      internal.touchpointId,
      results[7].touchpointId,
    ]);
    expect(recorded[0].summary).toBe('Kick-off call');
    expect(recorded[1]).toEqual({
      accountId,
      touchpointId: fresh.touchpointId,
      occurredAt: fresh.occurredAt,
      channel: 'MEETING',
      direction: 'INBOUND',
      pillar: 'DISCOVERY',
      sentiment: 'NEUTRAL',
      momentOfTruth: true,
      summary: 'Quarterly check-in',
      actorId: 'am-1',
      participants: ['cto@acme.example', 'am-1'],
      source: 'crm',
      externalRef: 'crm:activity:42',
      stage: 'DISCOVERY',
      qualifying: true,
    });
    expect(recorded[2]).toMatchObject({
      channel: 'INTERNAL_NOTE',
      direction: 'INTERNAL',
      sentiment: null,
      momentOfTruth: false,
      actorId: null,
      externalRef: null,
      qualifying: false,
    });
    expect(recorded[3]).toMatchObject({ channel: 'EMAIL', qualifying: true });
  });

  it('rejects items of an unknown account with ACCOUNT_NOT_FOUND and still records the other items', async () => {
    const known = uid('known');
    const unknown = uid('unknown');
    await openAccounts(harness, accountInput(known));
    const batch = [
      touchpointInput(known),
      touchpointInput(unknown),
      touchpointInput(known),
      touchpointInput(unknown),
    ];

    const answer = await harness.post('/v1/touchpoints', { touchpoints: batch });

    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([
      { index: 0, touchpointId: batch[0].touchpointId, status: 'created' },
      {
        index: 1,
        touchpointId: batch[1].touchpointId,
        status: 'rejected',
        error: { code: DomainErrorCode.ACCOUNT_NOT_FOUND, message: expect.stringContaining(unknown) },
      },
      { index: 2, touchpointId: batch[2].touchpointId, status: 'created' },
      {
        index: 3,
        touchpointId: batch[3].touchpointId,
        status: 'rejected',
        error: { code: DomainErrorCode.ACCOUNT_NOT_FOUND, message: expect.any(String) },
      },
    ]);
    expect(await harness.events(unknown)).toEqual([]);
    const events = await harness.events(known);
    expect(events.map((e) => [e.type, e.data.touchpointId])).toEqual([
      ['AccountOpened', undefined],
      ['TouchpointRecorded', batch[0].touchpointId],
      ['TouchpointRecorded', batch[2].touchpointId],
    ]);
  });

  it('records the stage the account was in at occurredAt', async () => {
    const accountId = uid('staged');
    await openAccounts(harness, accountInput(accountId, { openedAt: at(-30 * DAY) }));
    const moved = await harness.post(`/v1/accounts/${accountId}/stage`, {
      to: 'DISCOVERY',
      occurredAt: at(-10 * DAY),
    });
    expect(moved.status).toBe(200);
    const before = touchpointInput(accountId, { occurredAt: at(-20 * DAY) });
    const after = touchpointInput(accountId, { occurredAt: at(-5 * DAY) });

    const answer = await harness.post('/v1/touchpoints', { touchpoints: [before, after] });

    expect(answer.body.results.map((r: any) => r.status)).toEqual(['created', 'created']);
    const touches = (await harness.events(accountId)).filter((e) => e.type === 'TouchpointRecorded');
    expect(touches.map((e) => e.data.stage)).toEqual(['PROSPECT', 'DISCOVERY']);
  });
});

describe('event metadata', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("carries the caller's X-Correlation-Id, the request as causation and the API key's principal", async () => {
    const accountId = uid('meta');
    const correlationId = `sync-run:${uid('r')}`;
    const opened = await harness.post(
      '/v1/accounts',
      { accounts: [accountInput(accountId)] },
      {
        ...keyHeaders('integration'),
        'X-Correlation-Id': correlationId,
      },
    );
    expect(opened.body.results[0].status).toBe('created');
    const touched = await harness.post(
      '/v1/touchpoints',
      { touchpoints: [touchpointInput(accountId), touchpointInput(accountId)] },
      { ...keyHeaders('admin'), 'X-Correlation-Id': correlationId },
    );
    expect(touched.body.results.map((r: any) => r.status)).toEqual(['created', 'created']);

    const [openedEvent, ...touches] = await harness.events(accountId);
    for (const event of [openedEvent, ...touches]) {
      expect(event.metadata).toMatchObject({
        correlationId,
        causationId: expect.stringMatching(UUID),
        $correlationId: correlationId,
      });
      expect(event.metadata.$causationId).toBe(event.metadata.causationId);
    }
    expect(openedEvent.metadata.principal).toBe(KEYS.integration.principal);
    expect(touches.map((e) => e.metadata.principal)).toEqual([KEYS.admin.principal, KEYS.admin.principal]);
    // One request is one cause: both touchpoints share it, the opening had its own.
    expect(touches[0].metadata.causationId).toBe(touches[1].metadata.causationId);
    expect(touches[0].metadata.causationId).not.toBe(openedEvent.metadata.causationId);
  });

  it('makes a correlation id when none (or an unusable one) is sent', async () => {
    const accountId = uid('meta');
    await openAccounts(harness, accountInput(accountId));
    const plain = await harness.post('/v1/touchpoints', { touchpoints: [touchpointInput(accountId)] });
    expect(plain.body.results[0].status).toBe('created');
    const odd = await harness.post(
      '/v1/touchpoints',
      { touchpoints: [touchpointInput(accountId)] },
      { ...keyHeaders('integration'), 'X-Correlation-Id': 'has spaces and <html>' },
    );
    expect(odd.body.results[0].status).toBe('created');

    const [openedEvent, first, second] = await harness.events(accountId);
    for (const event of [first, second]) {
      expect(event.metadata.correlationId).toMatch(UUID);
      expect(event.metadata.principal).toBe(KEYS.integration.principal);
    }
    expect(new Set([openedEvent, first, second].map((e) => e.metadata.correlationId)).size).toBe(3);
  });

  it("carries a JWT's subject as the principal, also for the single operations", async () => {
    const accountId = uid('meta');
    await openAccounts(harness, accountInput(accountId));
    const headers = { ...(await jwtHeaders('etl-bot', ['integration'])), 'X-Correlation-Id': 'op-1' };
    const moved = await harness.post(`/v1/accounts/${accountId}/stage`, { to: 'DISCOVERY' }, headers);
    expect(moved.status).toBe(200);

    const events = await harness.events(accountId);
    expect(events.at(-1)).toMatchObject({
      type: 'LifecycleStageChanged',
      metadata: { principal: 'etl-bot', correlationId: 'op-1', causationId: expect.stringMatching(UUID) },
    });
  });
});
