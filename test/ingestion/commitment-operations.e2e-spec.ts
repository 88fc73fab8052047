import {
  DAY,
  MINUTE,
  accountInput,
  at,
  bootIngestionApp,
  commitmentInput,
  openAccounts,
  uid,
  type IngestionApp,
} from './ingestion-harness.js';

/** Make, fulfil, renegotiate and cancel over HTTP, checked against the account stream. */
describe('commitment operations', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** A fresh account with one commitment made through the batch route; returns their ids. */
  async function commitmentOnNewAccount(
    extra: Record<string, unknown> = {},
  ): Promise<{ accountId: string; commitmentId: string; made: Record<string, unknown> }> {
    const accountId = uid('ops');
    await openAccounts(harness, accountInput(accountId, { stage: 'ACTIVE' }));
    const made = commitmentInput(accountId, extra);
    const answer = await harness.post('/v1/commitments', { commitments: [made] });
    expect(answer.body.results).toEqual([{ index: 0, commitmentId: made.commitmentId, status: 'created' }]);
    return { accountId, commitmentId: made.commitmentId as string, made };
  }

  const op = (accountId: string, commitmentId: string, action: string, body: unknown = {}) =>
    harness.post(`/v1/accounts/${accountId}/commitments/${commitmentId}/${action}`, body);

  it('fulfilled after dueAt: CommitmentFulfilled with onTime false', async () => {
    const { accountId, commitmentId, made } = await commitmentOnNewAccount({
      madeAt: at(-10 * DAY),
      dueAt: at(-3 * DAY),
    });
    const fulfilledAt = at(-DAY);

    const answer = await op(accountId, commitmentId, 'fulfil', { fulfilledAt });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accountId, status: 'created', revision: '2' });
    const events = await harness.events(accountId);
    expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'CommitmentMade', 'CommitmentFulfilled']);
    expect(events[2].revision).toBe(2n);
    expect(events[2].data).toEqual({
      accountId,
      commitmentId,
      fulfilledAt,
      dueAt: made.dueAt,
      onTime: false,
      lateAfterMissed: false,
      occurredAt: fulfilledAt,
    });
  });

  it('fulfilled by dueAt (and by default now): onTime true; a retry is a no-op', async () => {
    const { accountId, commitmentId } = await commitmentOnNewAccount({ dueAt: at(2 * DAY) });
    const before = Date.now();

    const answer = await op(accountId, commitmentId, 'fulfil');
    const retry = await op(accountId, commitmentId, 'fulfil');

    expect(answer.body).toEqual({ accountId, status: 'created', revision: '2' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ accountId, status: 'unchanged', revision: '2' });
    const events = await harness.events(accountId);
    expect(events).toHaveLength(3);
    expect(events[2].data.onTime).toBe(true);
    expect(Date.parse(events[2].data.fulfilledAt)).toBeGreaterThanOrEqual(before);
  });

  it('fulfilled exactly at dueAt is on time', async () => {
    const dueAt = at(-DAY);
    const { accountId, commitmentId } = await commitmentOnNewAccount({ madeAt: at(-5 * DAY), dueAt });

    await op(accountId, commitmentId, 'fulfil', { fulfilledAt: dueAt });

    expect((await harness.events(accountId))[2].data).toMatchObject({ fulfilledAt: dueAt, onTime: true });
  });

  it('renegotiated: CommitmentRenegotiated with the previous and new dates, and it can still be fulfilled', async () => {
    const { accountId, commitmentId, made } = await commitmentOnNewAccount();
    const newDueAt = at(20 * DAY);

    const answer = await op(accountId, commitmentId, 'renegotiate', {
      newDueAt,
      reason: 'Customer moved the go-live',
    });
    const again = await op(accountId, commitmentId, 'renegotiate', {
      newDueAt,
      reason: 'Customer moved the go-live',
    });
    const fulfilled = await op(accountId, commitmentId, 'fulfil', { fulfilledAt: at(-MINUTE) });

    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('created');
    expect(again.body.status).toBe('unchanged');
    expect(fulfilled.body.status).toBe('created');
    const events = await harness.events(accountId);
    expect(events.map((e) => e.type)).toEqual([
      'AccountOpened',
      'CommitmentMade',
      'CommitmentRenegotiated',
      'CommitmentFulfilled',
    ]);
    expect(events[2].data).toMatchObject({
      accountId,
      commitmentId,
      previousDueAt: made.dueAt,
      newDueAt,
      reason: 'Customer moved the go-live',
      previousStatus: 'OPEN',
    });
    expect(events[3].data).toMatchObject({ dueAt: newDueAt, onTime: true });
  });

  it('refuses a renegotiation to a past date, naming newDueAt', async () => {
    const { accountId, commitmentId } = await commitmentOnNewAccount();

    const answer = await op(accountId, commitmentId, 'renegotiate', { newDueAt: at(-DAY), reason: 'Oops' });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'newDueAt' }] });
    expect(await harness.events(accountId)).toHaveLength(2);
  });

  it.each([
    ['renegotiate without a reason', 'renegotiate', { newDueAt: at(DAY) }, 'reason'],
    ['renegotiate without newDueAt', 'renegotiate', { reason: 'Later' }, 'newDueAt'],
    ['cancel without a reason', 'cancel', {}, 'reason'],
    ['cancel with an empty reason', 'cancel', { reason: '' }, 'reason'],
    ['fulfil at a time that is not an instant', 'fulfil', { fulfilledAt: 'tomorrow' }, 'fulfilledAt'],
    ['fulfil more than 5 minutes ahead', 'fulfil', { fulfilledAt: at(DAY) }, 'fulfilledAt'],
    ['fulfil with an unknown field', 'fulfil', { fulfilledAt: at(-MINUTE), onTime: true }, 'onTime'],
  ])('answers 400 naming the field to %s', async (_what, action, body, field) => {
    const { accountId, commitmentId } = await commitmentOnNewAccount();

    const answer = await op(accountId, commitmentId, action, body);

    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('BAD_USER_INPUT');
    expect(answer.body.fields.map((f: any) => f.path)).toContain(field);
    expect(await harness.events(accountId)).toHaveLength(2);
  });

  it('cancelled: CommitmentCancelled; fulfilling or renegotiating it afterwards is a 409, cancelling again a no-op', async () => {
    const { accountId, commitmentId } = await commitmentOnNewAccount();

    const cancelled = await op(accountId, commitmentId, 'cancel', { reason: 'Scope dropped' });
    const fulfil = await op(accountId, commitmentId, 'fulfil');
    const renegotiate = await op(accountId, commitmentId, 'renegotiate', { newDueAt: at(DAY), reason: 'x' });
    const again = await op(accountId, commitmentId, 'cancel', { reason: 'Scope dropped' });

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ accountId, status: 'created', revision: '2' });
    for (const refused of [fulfil, renegotiate]) {
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        statusCode: 409,
        code: 'INVALID_STATE',
        message: expect.stringContaining('CANCELLED'),
      });
    }
    expect(again.body).toEqual({ accountId, status: 'unchanged', revision: '2' });
    const events = await harness.events(accountId);
    expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'CommitmentMade', 'CommitmentCancelled']);
    expect(events[2].data).toMatchObject({ commitmentId, reason: 'Scope dropped', previousStatus: 'OPEN' });
  });

  it('a fulfilled commitment cannot be cancelled, renegotiated or fulfilled at another time', async () => {
    const { accountId, commitmentId } = await commitmentOnNewAccount();
    expect((await op(accountId, commitmentId, 'fulfil', { fulfilledAt: at(-MINUTE) })).status).toBe(200);

    const answers = [
      await op(accountId, commitmentId, 'cancel', { reason: 'Too late' }),
      await op(accountId, commitmentId, 'renegotiate', { newDueAt: at(DAY), reason: 'Again' }),
      await op(accountId, commitmentId, 'fulfil', { fulfilledAt: at(-2 * MINUTE) }),
    ];

    expect(answers.map((a) => [a.status, a.body.code])).toEqual([
      [409, 'INVALID_STATE'],
      [409, 'INVALID_STATE'],
      [409, 'INVALID_STATE'],
    ]);
    expect(await harness.events(accountId)).toHaveLength(3);
  });

  it('answers 404 COMMITMENT_NOT_FOUND for a commitment the account does not have', async () => {
    const { accountId } = await commitmentOnNewAccount();
    const unknown = uid('c-unknown');

    const answers = [
      await op(accountId, unknown, 'fulfil'),
      await op(accountId, unknown, 'renegotiate', { newDueAt: at(DAY), reason: 'x' }),
      await op(accountId, unknown, 'cancel', { reason: 'x' }),
    ];

    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({
        statusCode: 404,
        code: 'COMMITMENT_NOT_FOUND',
        message: expect.stringContaining(unknown),
      });
    }
    expect(await harness.events(accountId)).toHaveLength(2);
  });

  it("answers 404 for another account's commitment and for an account never opened", async () => {
    const { commitmentId } = await commitmentOnNewAccount();
    const other = uid('ops-other');
    await openAccounts(harness, accountInput(other));
    const never = uid('ops-never');

    const wrongAccount = await op(other, commitmentId, 'fulfil');
    const noAccount = await op(never, commitmentId, 'fulfil');

    expect([wrongAccount.status, wrongAccount.body.code]).toEqual([404, 'COMMITMENT_NOT_FOUND']);
    expect([noAccount.status, noAccount.body.code]).toEqual([404, 'ACCOUNT_NOT_FOUND']);
    expect(await harness.events(other)).toHaveLength(1);
    expect(await harness.events(never)).toEqual([]);
  });

  it('fulfilment before the commitment was made is refused, naming fulfilledAt', async () => {
    const { accountId, commitmentId } = await commitmentOnNewAccount({ madeAt: at(-DAY), dueAt: at(DAY) });

    const answer = await op(accountId, commitmentId, 'fulfil', { fulfilledAt: at(-2 * DAY) });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'fulfilledAt' }] });
    expect(await harness.events(accountId)).toHaveLength(2);
  });
});
