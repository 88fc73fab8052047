// lostDeals over real HTTP, served from the read model the projector keeps.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { delay, tempDir } from '../support/helpers.js';

const INTEGRATION = 'i'.repeat(40);
const ADMIN = 'a'.repeat(40);
const JANE = 'j'.repeat(40);

type Deal = {
  accountId: string;
  accountName: string;
  lostAt: string;
  fromStage: string;
  reason: string;
  lessons: string | null;
};

describe('GraphQL lostDeals', () => {
  let app: NestFastifyApplication;
  let base: string;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const run = `${Date.now()}`;

  beforeAll(async () => {
    dir = await tempDir('graphql-lost');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `integration:crm:${INTEGRATION},admin:root:${ADMIN},account_manager:am-jane:${JANE}`,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': INTEGRATION, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const lostDeals = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        query: `query($from: DateTime, $to: DateTime) {
          lostDeals(from: $from, to: $to) { accountId accountName lostAt fromStage reason lessons } }`,
        variables,
      }),
    });
    return (await res.json()) as {
      data: { lostDeals: Deal[] } | null;
      errors?: Array<{ extensions: { code: string } }>;
    };
  };
  const ours = (deals: Deal[]) => deals.filter((d) => d.accountId.endsWith(run));

  it('lists lost deals with reason, lessons and the stage they were lost from, by role and period', async () => {
    await post('/v1/accounts', {
      accounts: [
        { id: `jane-${run}`, name: 'Jane Co', tier: 'SMB', ownerId: 'am-jane' },
        { id: `bob-${run}`, name: 'Bob Co', tier: 'MIDMARKET', ownerId: 'am-bob' },
        { id: `kept-${run}`, name: 'Kept Co', tier: 'SMB', ownerId: 'am-jane' },
      ],
    });
    await post(`/v1/accounts/jane-${run}/stage`, { to: 'DISCOVERY' });
    await post(`/v1/accounts/jane-${run}/stage`, {
      to: 'LOST',
      reason: 'went with a competitor',
      lessons: 'demo earlier',
    });
    const between = new Date();
    await delay(20);
    await post(`/v1/accounts/bob-${run}/stage`, { to: 'LOST', reason: 'no budget' });

    // The projector applies the events shortly after they are written.
    let deals: Deal[] = [];
    for (let i = 0; i < 100 && deals.length < 2; i++) {
      deals = ours((await lostDeals(ADMIN)).data!.lostDeals);
      if (deals.length < 2) await delay(50);
    }
    expect(deals).toEqual([
      expect.objectContaining({
        accountId: `bob-${run}`,
        accountName: 'Bob Co',
        fromStage: 'PROSPECT',
        reason: 'no budget',
        lessons: null,
      }),
      expect.objectContaining({
        accountId: `jane-${run}`,
        accountName: 'Jane Co',
        fromStage: 'DISCOVERY',
        reason: 'went with a competitor',
        lessons: 'demo earlier',
      }),
    ]);

    // An account manager sees only their own accounts' deals.
    expect(ours((await lostDeals(JANE)).data!.lostDeals).map((d) => d.accountId)).toEqual([`jane-${run}`]);
    // The period is [from, to) by the time the deal was lost.
    expect(
      ours((await lostDeals(ADMIN, { to: between.toISOString() })).data!.lostDeals).map((d) => d.accountId),
    ).toEqual([`jane-${run}`]);
    expect(
      ours((await lostDeals(ADMIN, { from: between.toISOString() })).data!.lostDeals).map((d) => d.accountId),
    ).toEqual([`bob-${run}`]);
  });

  it('is not for integrations', async () => {
    const answer = await lostDeals(INTEGRATION);
    expect(answer.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});
