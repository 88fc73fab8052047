// The account view over real HTTP: folded from the stream, exactly as known at `asOf`.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir, waitFor } from '../support/helpers.js';

const INTEGRATION = 'i'.repeat(40);
const ADMIN = 'a'.repeat(40);
const OWNER = 'o'.repeat(40);
const OTHER_MANAGER = 'm'.repeat(40);
const DAY = 24 * 60 * 60 * 1000;

type GraphQLAnswer = {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
};

describe('GraphQL account view', () => {
  let app: NestFastifyApplication;
  let base: string;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('graphql-account');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `integration:crm:${INTEGRATION},admin:root:${ADMIN},account_manager:am-owner:${OWNER},account_manager:am-other:${OTHER_MANAGER}`,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  const post = async (path: string, body: unknown, key = INTEGRATION) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const graphql = async (
    query: string,
    variables: Record<string, unknown> = {},
    key: string | null = ADMIN,
  ) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLAnswer;
  };
  const touch = (accountId: string, id: string, occurredAt: number, extra: Record<string, unknown> = {}) => ({
    touchpointId: id,
    accountId,
    occurredAt: new Date(occurredAt).toISOString(),
    channel: 'CALL',
    direction: 'OUTBOUND',
    pillar: 'ENGAGEMENT',
    source: 'manual',
    ...extra,
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** REST answers once writes are durable, before the read model shows them: wait for it. */
  const projected = (id: string, touchpoints = 0) =>
    waitFor(async () => {
      const answer = await graphql('query($id: ID!) { account(id: $id) { touchpointCount } }', { id });
      return answer.data?.account?.touchpointCount === touchpoints;
    });

  it('answers asOf with exactly what was recorded by then, health and days computed for that instant', async () => {
    const id = `acct-${Date.now()}`;
    const openedAt = Date.now() - 40 * DAY;
    await post('/v1/accounts', {
      accounts: [
        {
          id,
          name: 'Globex',
          tier: 'ENTERPRISE',
          ownerId: 'am-owner',
          openedAt: new Date(openedAt).toISOString(),
        },
      ],
    });
    await sleep(20);
    const afterOpening = new Date();
    await sleep(20);
    // Backfilled history: business times long before the moment it is recorded.
    await post('/v1/touchpoints', {
      touchpoints: [
        touch(id, 't-1', Date.now() - 30 * DAY, { sentiment: 'POSITIVE', pillar: 'DISCOVERY' }),
        touch(id, 't-2', Date.now() - 2 * DAY, {
          channel: 'EMAIL',
          pillar: 'SERVICE',
          sentiment: 'NEGATIVE',
        }),
      ],
    });
    await sleep(20);
    const afterTouches = new Date();
    await sleep(20);
    await post(`/v1/accounts/${id}/stage`, { to: 'DISCOVERY' });

    const query = `query($id: ID!, $at: DateTime) {
      account(id: $id, asOf: $at) {
        stage touchpointCount lastQualifyingTouchAt daysInStage
        stageHistory { stage }
        health { score band factors { name points } }
        pillarBalance(windowDays: 90) { discovery service engagement }
      }
    }`;
    const atOpening = (await graphql(query, { id, at: afterOpening.toISOString() })).data!.account;
    expect(atOpening).toMatchObject({
      stage: 'PROSPECT',
      touchpointCount: 0,
      lastQualifyingTouchAt: null,
      daysInStage: 40,
    });
    // No touch for 40 days on a 30-day cadence: recency falls from full at 15 days to none at 60.
    expect(atOpening.health.factors.find((f: { name: string }) => f.name === 'recency').points).toBeCloseTo(
      (35 * (60 - 40)) / 45,
      1,
    );

    const atTouches = (await graphql(query, { id, at: afterTouches.toISOString() })).data!.account;
    expect(atTouches).toMatchObject({
      stage: 'PROSPECT',
      touchpointCount: 2,
      pillarBalance: { discovery: 1, service: 1, engagement: 0 },
    });
    expect(atTouches.health.factors.find((f: { name: string }) => f.name === 'recency').points).toBe(35);
    expect(atTouches.health.score).toBeGreaterThan(atOpening.health.score);

    // Without asOf the view comes from the read model, which REST writes do not wait for.
    await waitFor(async () => (await graphql(query, { id })).data?.account?.stage === 'DISCOVERY');
    const current = (await graphql(query, { id })).data!.account;
    expect(current).toMatchObject({
      stage: 'DISCOVERY',
      daysInStage: 0,
      stageHistory: [{ stage: 'PROSPECT' }, { stage: 'DISCOVERY' }],
    });

    // Before the account was recorded at all, it did not exist.
    const before = await graphql(query, { id, at: new Date(afterOpening.getTime() - 60_000).toISOString() });
    expect(before.data!.account).toBeNull();
  });

  it('pages the timeline by business time without skipping or repeating, and filters it', async () => {
    const id = `tl-${Date.now()}`;
    await post('/v1/accounts', {
      accounts: [
        {
          id,
          name: 'Initech',
          tier: 'SMB',
          ownerId: 'am-owner',
          openedAt: new Date(Date.now() - 10 * DAY).toISOString(),
        },
      ],
    });
    const touches = Array.from({ length: 7 }, (_, i) =>
      touch(id, `tp-${i}`, Date.now() - (9 - i) * DAY, { channel: i % 2 ? 'EMAIL' : 'CALL' }),
    );
    await post('/v1/touchpoints', { touchpoints: touches });
    await projected(id, touches.length);
    const page = `query($id: ID!, $after: String, $channels: [Channel!]) {
      account(id: $id) { timeline(first: 3, after: $after, channels: $channels) {
        edges { cursor node { type occurredAt touchpoint { id channel } } } pageInfo { hasNextPage endCursor } } }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const timeline: any = (await graphql(page, { id, after })).data!.account.timeline;
      seen.push(...timeline.edges.map((e: any) => e.node.touchpoint?.id ?? e.node.type));
      if (!timeline.pageInfo.hasNextPage) break;
      after = timeline.pageInfo.endCursor;
    }
    expect(seen).toEqual(['AccountOpened', ...touches.map((t) => t.touchpointId)]);

    const emails: any = (await graphql(page, { id, after: null, channels: ['EMAIL'] })).data!.account
      .timeline;
    expect(emails.edges.map((e: any) => e.node.touchpoint.channel)).toEqual(['EMAIL', 'EMAIL', 'EMAIL']);

    const badCursor = await graphql(page, { id, after: 'not-a-cursor' });
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('applies roles: owners and admins see the account, other managers do not, integrations may not read', async () => {
    const id = `roles-${Date.now()}`;
    await post('/v1/accounts', {
      accounts: [{ id, name: 'Umbrella', tier: 'STRATEGIC', ownerId: 'am-owner' }],
    });
    await projected(id);
    const query = `query($id: ID!) { account(id: $id) { id ownerId } }`;
    expect((await graphql(query, { id }, OWNER)).data!.account).toEqual({ id, ownerId: 'am-owner' });
    expect((await graphql(query, { id }, ADMIN)).data!.account).toEqual({ id, ownerId: 'am-owner' });
    expect((await graphql(query, { id }, OTHER_MANAGER)).data!.account).toBeNull();
    const integration = await graphql(query, { id }, INTEGRATION);
    expect(integration.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await graphql(query, { id }, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('names a bad argument in a field error', async () => {
    const badWindow = await graphql('{ account(id: "x") { pillarBalance(windowDays: 0) { service } } }');
    // The account does not exist, so nothing resolves below it; ask one that does.
    expect(badWindow.errors).toBeUndefined();
    const id = `win-${Date.now()}`;
    await post('/v1/accounts', { accounts: [{ id, name: 'Hooli', tier: 'SMB', ownerId: 'am-owner' }] });
    await projected(id);
    const answer = await graphql(`{ account(id: "${id}") { pillarBalance(windowDays: 0) { service } } }`);
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'windowDays' }] },
    });
  });
});
