import { tempDir } from '../support/helpers.js';

import {
  accountInput,
  at,
  bootIngestionApp,
  commitmentInput,
  DAY,
  keyHeaders,
  openAccounts,
  touchpointInput,
  uid,
  type Answer,
  type IngestionApp,
} from './ingestion-harness.js';

/** A client that timed out before the answer sends the identical request again. */
describe('retrying a batch creates nothing twice', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const statuses = (answer: Answer): string[] => answer.body.results.map((r: any) => r.status);

  /**
   * Sends `body` once, then again, then twice at once from two clients (an integration key and an
   * admin key): the first answer creates everything, every later one reports duplicates only.
   */
  async function sendRetried(path: string, body: unknown, count: number): Promise<Answer> {
    const first = await harness.post(path, body);
    expect(first.status).toBe(200);
    expect(statuses(first)).toEqual(Array(count).fill('created'));

    const retry = await harness.post(path, body);
    expect(retry.status).toBe(200);
    expect(retry.body.results).toEqual(first.body.results.map((r: any) => ({ ...r, status: 'duplicate' })));

    const both = await Promise.all([
      harness.post(path, body, keyHeaders('integration')),
      harness.post(path, body, keyHeaders('admin')),
    ]);
    for (const answer of both) {
      expect(answer.status).toBe(200);
      expect(statuses(answer)).toEqual(Array(count).fill('duplicate'));
    }
    return first;
  }

  /** Two clients send a batch nobody sent before at the same moment: each item is created by exactly one of them. */
  async function sendConcurrentlyFirst(path: string, body: unknown, count: number): Promise<void> {
    const [a, b] = await Promise.all([
      harness.post(path, body, keyHeaders('integration')),
      harness.post(path, body, keyHeaders('admin')),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (let i = 0; i < count; i++) {
      expect([a.body.results[i].status, b.body.results[i].status].sort()).toEqual(['created', 'duplicate']);
    }
  }

  it('touchpoints: the same batch again, and twice at once, reports duplicates and adds no event', async () => {
    const accounts = [uid('retry-a'), uid('retry-b')];
    await openAccounts(harness, ...accounts.map((id) => accountInput(id)));
    const touchpoints = [
      touchpointInput(accounts[0]),
      touchpointInput(accounts[1], { channel: 'EMAIL' }),
      touchpointInput(accounts[0], { occurredAt: at(-3 * DAY), sentiment: 'NEGATIVE', momentOfTruth: true }),
    ];

    await sendRetried('/v1/touchpoints', { touchpoints }, 3);

    const a = await harness.events(accounts[0]);
    const b = await harness.events(accounts[1]);
    expect(a.map((e) => [e.type, e.data.touchpointId])).toEqual([
      ['AccountOpened', undefined],
      ['TouchpointRecorded', touchpoints[0].touchpointId],
      ['TouchpointRecorded', touchpoints[2].touchpointId],
    ]);
    expect(b.map((e) => [e.type, e.data.touchpointId])).toEqual([
      ['AccountOpened', undefined],
      ['TouchpointRecorded', touchpoints[1].touchpointId],
    ]);
  });

  it('touchpoints: two clients sending a new batch at the same time record each item once', async () => {
    const accountId = uid('race');
    await openAccounts(harness, accountInput(accountId));
    const touchpoints = Array.from({ length: 20 }, () => touchpointInput(accountId));

    await sendConcurrentlyFirst('/v1/touchpoints', { touchpoints }, 20);

    const recorded = (await harness.events(accountId)).filter((e) => e.type === 'TouchpointRecorded');
    expect(recorded.map((e) => e.data.touchpointId).sort()).toEqual(
      touchpoints.map((t) => t.touchpointId).sort(),
    );
  });

  it('accounts: the same batch again, and twice at once, reports duplicates and opens each account once', async () => {
    const ids = [uid('open'), uid('open'), uid('open')];
    const accounts = [
      accountInput(ids[0]),
      accountInput(ids[1], { tier: 'STRATEGIC', cadenceDays: 7, openedAt: at(-90 * DAY) }),
      accountInput(ids[2], { stage: 'ACTIVE' }),
    ];

    const first = await sendRetried('/v1/accounts', { accounts }, 3);

    expect(first.body.results).toEqual(ids.map((id, index) => ({ index, id, status: 'created' })));
    for (const [i, id] of ids.entries()) {
      const events = await harness.events(id);
      expect(events.map((e) => e.type)).toEqual(['AccountOpened']);
      expect(events[0].data).toMatchObject({ accountId: id, name: accounts[i].name, tier: accounts[i].tier });
    }
    expect((await harness.events(ids[1]))[0].data).toMatchObject({
      cadenceDays: 7,
      openedAt: accounts[1].openedAt,
    });
    expect((await harness.events(ids[2]))[0].data.stage).toBe('ACTIVE');
  });

  it('accounts: two clients opening the same new accounts at once open each one once', async () => {
    const accounts = Array.from({ length: 5 }, () => accountInput(uid('race-open')));

    await sendConcurrentlyFirst('/v1/accounts', { accounts }, 5);

    for (const account of accounts) {
      expect((await harness.events(account.id as string)).map((e) => e.type)).toEqual(['AccountOpened']);
    }
  });

  it('accounts: the same id with other content is an IDEMPOTENCY_CONFLICT and changes nothing', async () => {
    const id = uid('open');
    await openAccounts(harness, accountInput(id));

    const answer = await harness.post('/v1/accounts', {
      accounts: [accountInput(id, { name: 'Another name' }), accountInput(id)],
    });

    expect(answer.body.results).toEqual([
      {
        index: 0,
        id,
        status: 'rejected',
        error: { code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String) },
      },
      { index: 1, id, status: 'duplicate' },
    ]);
    expect((await harness.events(id)).map((e) => e.data.name)).toEqual([`Account ${id}`]);
  });

  it('commitments: the same batch again, and twice at once, reports duplicates and makes each once', async () => {
    const accountId = uid('promise');
    await openAccounts(harness, accountInput(accountId));
    const { madeAt: _omitted, ...withDefaultMadeAt } = commitmentInput(accountId, { title: 'Call back' });
    const commitments = [
      commitmentInput(accountId),
      commitmentInput(accountId, { description: 'Pricing for 200 seats', touchpointId: 'tp-9' }),
      // No madeAt: it defaults to now, and a retry without it is still the same commitment.
      withDefaultMadeAt,
    ];

    const first = await sendRetried('/v1/commitments', { commitments }, 3);

    expect(first.body.results.map((r: any) => r.commitmentId)).toEqual(
      commitments.map((c) => c.commitmentId),
    );
    const made = (await harness.events(accountId)).filter((e) => e.type === 'CommitmentMade');
    expect(made.map((e) => e.data.commitmentId)).toEqual(commitments.map((c) => c.commitmentId));
    expect(made[1].data).toEqual({
      accountId,
      commitmentId: commitments[1].commitmentId,
      title: 'Send the renewal proposal',
      description: 'Pricing for 200 seats',
      ownerId: commitments[1].ownerId,
      madeAt: commitments[1].madeAt,
      dueAt: commitments[1].dueAt,
      touchpointId: 'tp-9',
      occurredAt: commitments[1].madeAt,
    });
  });

  it('commitments: two clients sending new commitments at once make each once', async () => {
    const accountId = uid('race-promise');
    await openAccounts(harness, accountInput(accountId));
    const commitments = Array.from({ length: 10 }, () => commitmentInput(accountId));

    await sendConcurrentlyFirst('/v1/commitments', { commitments }, 10);

    const made = (await harness.events(accountId)).filter((e) => e.type === 'CommitmentMade');
    expect(made).toHaveLength(10);
  });

  it('commitments: the same id with another due date is an IDEMPOTENCY_CONFLICT', async () => {
    const accountId = uid('promise');
    await openAccounts(harness, accountInput(accountId));
    const commitment = commitmentInput(accountId);
    expect(
      (await harness.post('/v1/commitments', { commitments: [commitment] })).body.results[0].status,
    ).toBe('created');

    const answer = await harness.post('/v1/commitments', {
      commitments: [{ ...commitment, dueAt: at(9 * DAY) }],
    });

    expect(answer.body.results[0]).toMatchObject({
      commitmentId: commitment.commitmentId,
      status: 'rejected',
      error: { code: 'IDEMPOTENCY_CONFLICT' },
    });
    expect((await harness.events(accountId)).filter((e) => e.type === 'CommitmentMade')).toHaveLength(1);
  });
});

describe('retrying after a restart', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('ingestion-restart');
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('still reports duplicates and conflicts: idempotency is not a window held in memory', async () => {
    const accountId = uid('restart');
    const account = accountInput(accountId);
    const touchpoint = touchpointInput(accountId);
    const commitment = commitmentInput(accountId);

    const before = await bootIngestionApp({ DATA_DIR: dir.path });
    try {
      await openAccounts(before, account);
      expect(
        (await before.post('/v1/touchpoints', { touchpoints: [touchpoint] })).body.results[0].status,
      ).toBe('created');
      expect(
        (await before.post('/v1/commitments', { commitments: [commitment] })).body.results[0].status,
      ).toBe('created');
    } finally {
      await before.close();
    }

    const after = await bootIngestionApp({ DATA_DIR: dir.path });
    try {
      const answers = await Promise.all([
        after.post('/v1/accounts', { accounts: [account] }),
        after.post('/v1/touchpoints', { touchpoints: [touchpoint, { ...touchpoint, summary: 'Changed' }] }),
        after.post('/v1/commitments', { commitments: [commitment] }),
      ]);
      expect(answers.map((a) => a.body.results.map((r: any) => r.error?.code ?? r.status))).toEqual([
        ['duplicate'],
        ['duplicate', 'IDEMPOTENCY_CONFLICT'],
        ['duplicate'],
      ]);
      expect((await after.events(accountId)).map((e) => e.type)).toEqual([
        'AccountOpened',
        'TouchpointRecorded',
        'CommitmentMade',
      ]);
    } finally {
      await after.close();
    }
  });
});
