// The demo seeder against a booted service: a small portfolio goes in through the public REST API,
// a second run with the same seed changes nothing, and GraphQL shows the accounts' histories.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { planPortfolio, type DemoOptions } from '../../apps/seed-demo/src/demo-portfolio.js';
import {
  ITEM_KINDS,
  SeedAbortedError,
  seedDemo,
  type SeedSummary,
} from '../../apps/seed-demo/src/seed-demo.js';
import { delay, tempDir } from '../support/helpers.js';

const INTEGRATION = 'integration-key-seed-demo-e2e-0123456789';
const ADMIN = 'admin-key-seed-demo-e2e-0123456789abcdefgh';
const LEADER = 'leader-key-seed-demo-e2e-0123456789abcdefg';

type GraphQLAnswer = { data?: Record<string, any> | null; errors?: Array<{ message: string }> };

describe('seed:demo against a running service', () => {
  let app: NestFastifyApplication;
  let base: string;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  // The start of the current UTC day, as the command line defaults to.
  const asOf = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const demo: DemoOptions = { seed: 'e2e', accounts: 20, touchpoints: 1_000, asOf };
  const plan = planPortfolio(demo);
  const seed = () => seedDemo({ ...demo, url: base, token: INTEGRATION, concurrency: 4 });

  beforeAll(async () => {
    dir = await tempDir('seed-demo');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `integration:crm:${INTEGRATION},admin:root:${ADMIN},leader:lead:${LEADER}`,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await res.json()) as GraphQLAnswer;
    expect(answer.errors).toBeUndefined();
    return answer.data!;
  };
  /** Polls until the read model has caught up with what `ready` expects. */
  const eventually = async <T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (ready(value) || Date.now() > deadline) return value;
      await delay(200);
    }
  };
  const totals = (summary: SeedSummary) =>
    Object.fromEntries(ITEM_KINDS.map((kind) => [kind, summary.counts[kind]]));

  const planned = {
    accounts: plan.accounts.length,
    stageChanges: plan.accounts.reduce((n, a) => n + a.stageChanges.length, 0),
    commitments: plan.accounts.reduce((n, a) => n + a.commitments.length, 0),
    commitmentUpdates: plan.accounts.reduce((n, a) => n + a.commitments.filter((c) => c.update).length, 0),
    touchpoints: 1_000,
  };
  const all = (status: 'created' | 'duplicate') =>
    Object.fromEntries(
      ITEM_KINDS.map((kind) => [
        kind,
        { created: 0, duplicate: 0, rejected: 0, skipped: 0, [status]: planned[kind] },
      ]),
    );

  it('creates every planned item, then finds every one a duplicate on a re-run', async () => {
    const first = await seed();
    expect(first.rejections).toEqual([]);
    expect(totals(first)).toEqual(all('created'));
    expect(first.asOf).toBe(asOf.toISOString());

    const second = await seed();
    expect(second.rejections).toEqual([]);
    expect(totals(second)).toEqual(all('duplicate'));
  }, 120_000);

  it("shows an account's history in GraphQL as the plan has it", async () => {
    // The account with every kind of touch and every commitment outcome.
    const account = plan.accounts[4];
    const query = `query($id: ID!) {
      account(id: $id) {
        name tier ownerId stage touchpointCount
        stageHistory { stage enteredAt reason }
        commitments { id status renegotiations fulfilledAt onTime }
        health { score band }
        timeline(first: 200) { edges { node { type occurredAt } } }
      }
    }`;
    const view = (
      await eventually(
        () => graphql(query, { id: account.open.id }),
        (data) => data.account?.touchpointCount === account.touchpoints.length,
      )
    ).account;

    expect(view).toMatchObject({
      name: account.open.name,
      tier: account.open.tier,
      ownerId: account.open.ownerId,
      stage: account.stageChanges.at(-1)!.to,
      touchpointCount: account.touchpoints.length,
    });
    expect(view.stageHistory).toEqual([
      { stage: account.open.stage, enteredAt: account.open.openedAt, reason: null },
      ...account.stageChanges.map((c) => ({
        stage: c.to,
        enteredAt: c.occurredAt,
        reason: c.reason ?? null,
      })),
    ]);
    expect(view.health.band).toMatch(/^(GREEN|AMBER|RED)$/);

    const byId = new Map<string, any>(view.commitments.map((c: { id: string }) => [c.id, c]));
    expect(byId.size).toBe(account.commitments.length);
    for (const { item, outcome } of account.commitments) {
      const seen = byId.get(item.commitmentId);
      if (outcome === 'ON_TIME') expect(seen).toMatchObject({ status: 'FULFILLED' });
      if (outcome === 'LATE') expect(seen).toMatchObject({ status: 'FULFILLED', onTime: false });
      if (outcome === 'CANCELLED') expect(seen.status).toBe('CANCELLED');
      if (outcome === 'RENEGOTIATED') expect(seen).toMatchObject({ status: 'OPEN', renegotiations: 1 });
      // Left open past its date: OPEN until the service's deadline check records it MISSED.
      if (outcome === 'MISSED') expect(['OPEN', 'MISSED']).toContain(seen.status);
      if (outcome === 'OPEN') expect(seen.status).toBe('OPEN');
    }

    const types = new Set(view.timeline.edges.map((e: { node: { type: string } }) => e.node.type));
    for (const type of ['AccountOpened', 'LifecycleStageChanged', 'TouchpointRecorded', 'CommitmentMade']) {
      expect(types).toContain(type);
    }
  }, 90_000);

  it('lists the lost deals with their reasons and lessons', async () => {
    const expected = plan.accounts.flatMap((a) =>
      a.stageChanges
        .filter((c) => c.to === 'LOST')
        .map((c) => ({
          accountId: a.open.id,
          lostAt: c.occurredAt,
          reason: c.reason,
          lessons: c.lessons ?? null,
        })),
    );
    expect(expected.length).toBeGreaterThan(0);
    const deals = (
      await eventually(
        () => graphql('{ lostDeals { accountId lostAt reason lessons } }'),
        (data) => data.lostDeals.length >= expected.length,
      )
    ).lostDeals;
    expect(deals).toEqual(expect.arrayContaining(expected));
    expect(deals).toHaveLength(expected.length);
  }, 90_000);

  it('stops before writing anything when the key may not ingest', async () => {
    await expect(seedDemo({ ...demo, url: base, token: LEADER, concurrency: 1 })).rejects.toThrow(
      new SeedAbortedError('The token may not ingest (403): use an integration or admin key'),
    );
    await expect(seedDemo({ ...demo, url: base, token: 'x'.repeat(40), concurrency: 1 })).rejects.toThrow(
      SeedAbortedError,
    );
  });
});
