import {
  INTEGRATION,
  KEYS,
  accountInput,
  bootIngestionApp,
  commitmentInput,
  jwtHeaders,
  keyHeaders,
  openAccounts,
  touchpointInput,
  uid,
  type IngestionApp,
} from './ingestion-harness.js';

type Kind = 'accounts' | 'touchpoints' | 'commitments';

/** A body that is not `{ <kind>: [1..1000 objects] }` is refused whole: 400 and nothing written. */
describe('the batch envelope', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** A valid item of each kind on a fresh open account (or, for accounts, a fresh id). */
  async function validItem(kind: Kind): Promise<{ item: Record<string, unknown>; accountId: string }> {
    if (kind === 'accounts') {
      const accountId = uid('env');
      return { item: accountInput(accountId), accountId };
    }
    const accountId = uid('env');
    await openAccounts(harness, accountInput(accountId));
    const item = kind === 'touchpoints' ? touchpointInput(accountId) : commitmentInput(accountId);
    return { item, accountId };
  }

  const written = async (accountId: string, kind: Kind): Promise<number> =>
    (await harness.events(accountId)).length - (kind === 'accounts' ? 0 : 1);

  const KINDS: Kind[] = ['accounts', 'touchpoints', 'commitments'];

  const SHAPES: Array<[string, (kind: Kind, item: Record<string, unknown>) => unknown, string]> = [
    ['no array at all', () => ({}), ''],
    ['the array under another name', (_kind, item) => ({ items: [item] }), 'items'],
    ['an extra top-level field', (kind, item) => ({ [kind]: [item], dryRun: true }), 'dryRun'],
    ['an object instead of the array', (kind, item) => ({ [kind]: item }), ''],
    ['a string instead of the array', (kind) => ({ [kind]: 'all of them' }), ''],
    ['null instead of the array', (kind) => ({ [kind]: null }), ''],
    ['an empty array', (kind) => ({ [kind]: [] }), ''],
    ['1,001 items', (kind, item) => ({ [kind]: Array.from({ length: 1001 }, () => item) }), ''],
    ['an item that is a string', (kind, item) => ({ [kind]: [item, 'not an item'] }), ''],
    ['an item that is null', (kind, item) => ({ [kind]: [item, null] }), ''],
    ['an item that is an array', (kind, item) => ({ [kind]: [item, [item]] }), ''],
    ['an item that is a number', (kind, item) => ({ [kind]: [item, 7] }), ''],
    ['the bare array', (_kind, item) => [item], ''],
    ['a JSON string', () => 'hello', ''],
    ['JSON null', () => null, ''],
  ];

  describe.each(KINDS)('POST /v1/%s', (kind) => {
    it.each(SHAPES)('answers 400 BAD_USER_INPUT to %s and writes nothing', async (_what, shape, field) => {
      const { item, accountId } = await validItem(kind);

      const answer = await harness.send('POST', `/v1/${kind}`, {
        json: shape(kind, item),
        headers: INTEGRATION,
      });

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        statusCode: 400,
        code: 'BAD_USER_INPUT',
        message: expect.any(String),
      });
      expect(answer.body.message).toContain(field || kind);
      expect(await written(accountId, kind)).toBe(0);
    });

    it.each([
      ['a truncated body', (text: string) => text.slice(0, -3)],
      ['not JSON at all', () => 'touchpoints=1&accounts=2'],
      ['an empty body', () => ''],
    ])('answers 400 BAD_USER_INPUT to %s and writes nothing', async (_what, mangle) => {
      const { item, accountId } = await validItem(kind);

      const answer = await harness.send('POST', `/v1/${kind}`, {
        raw: mangle(JSON.stringify({ [kind]: [item] })),
        headers: INTEGRATION,
      });

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        statusCode: 400,
        code: 'BAD_USER_INPUT',
        message: expect.any(String),
      });
      expect(await written(accountId, kind)).toBe(0);
    });

    it('accepts 1,000 items', async () => {
      const { item, accountId } = await validItem(kind);
      // Accounts: one id a thousand times (one stream opened, the rest duplicates) keeps the test fast.
      const items =
        kind === 'accounts'
          ? Array.from({ length: 1000 }, () => item)
          : Array.from({ length: 1000 }, () => ({ ...item, [`${kind.slice(0, -1)}Id`]: uid('k') }));

      const answer = await harness.post(`/v1/${kind}`, { [kind]: items });

      expect(answer.status).toBe(200);
      expect(answer.body.results).toHaveLength(1000);
      const expected = (i: number) => (kind === 'accounts' && i > 0 ? 'duplicate' : 'created');
      expect(
        answer.body.results.every((r: any, i: number) => r.index === i && r.status === expected(i)),
      ).toBe(true);
      expect(await written(accountId, kind)).toBe(kind === 'accounts' ? 1 : 1000);
    });

    it('answers 401 without credentials and with wrong ones, before looking at the body, and writes nothing', async () => {
      const { item, accountId } = await validItem(kind);
      const body = { [kind]: [item] };
      const wrong: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer not-a-configured-key-0123456789abcdefgh' },
        { 'x-api-key': `${KEYS.integration.secret}x` },
        { authorization: `Basic ${KEYS.integration.secret}` },
        await jwtHeaders('x', ['integration']).then((h) => ({ authorization: `${h.authorization}x` })),
      ];
      for (const headers of wrong) {
        const answer = await harness.send('POST', `/v1/${kind}`, { json: body, headers });
        expect(answer.status).toBe(401);
        expect(answer.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      }
      expect((await harness.send('POST', `/v1/${kind}`, { json: {}, headers: {} })).status).toBe(401);
      expect(await written(accountId, kind)).toBe(0);
    });

    it('answers 403 FORBIDDEN to roles that may not ingest, and writes nothing', async () => {
      const { item, accountId } = await validItem(kind);
      const body = { [kind]: [item] };
      const refused = [
        keyHeaders('account_manager'),
        keyHeaders('leader'),
        await jwtHeaders(KEYS.account_manager.principal, ['account_manager']),
        await jwtHeaders('boss', ['leader']),
        await jwtHeaders('boss', ['leader', 'account_manager']),
      ];
      for (const headers of refused) {
        const answer = await harness.send('POST', `/v1/${kind}`, { json: body, headers });
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      }
      expect(await written(accountId, kind)).toBe(0);
    });
  });
});

describe('the body-size limit (HTTP_BODY_LIMIT_BYTES)', () => {
  const LIMIT = 4096;
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp({ HTTP_BODY_LIMIT_BYTES: String(LIMIT) });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('answers 413 to a batch over the limit and writes nothing', async () => {
    const accountId = uid('big');
    await openAccounts(harness, accountInput(accountId));
    const touchpoints = [
      touchpointInput(accountId, { summary: 's'.repeat(2000) }),
      touchpointInput(accountId),
    ];
    touchpoints.push(touchpointInput(accountId, { summary: 'x'.repeat(LIMIT) }));
    expect(JSON.stringify({ touchpoints }).length).toBeGreaterThan(LIMIT);

    const answer = await harness.post('/v1/touchpoints', { touchpoints });

    expect(answer.status).toBe(413);
    expect(await harness.events(accountId)).toHaveLength(1);
  });

  it('takes a batch just under the limit', async () => {
    const accountId = uid('big');
    await openAccounts(harness, accountInput(accountId));
    const base = { touchpoints: [touchpointInput(accountId, { summary: '' })] };
    const summary = 's'.repeat(Math.min(2000, LIMIT - JSON.stringify(base).length));
    const body = { touchpoints: [{ ...base.touchpoints[0], summary }] };
    expect(JSON.stringify(body).length).toBeLessThanOrEqual(LIMIT);

    const answer = await harness.post('/v1/touchpoints', body);

    expect(answer.status).toBe(200);
    expect(answer.body.results[0].status).toBe('created');
  });

  it('answers 413 before checking credentials too: nothing over the limit is read', async () => {
    const answer = await harness.send('POST', '/v1/accounts', {
      json: { accounts: [accountInput(uid('big'), { name: 'n'.repeat(LIMIT) })] },
      headers: {},
    });
    expect(answer.status).toBe(413);
  });
});
