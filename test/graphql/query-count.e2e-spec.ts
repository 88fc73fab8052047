// A portfolio page costs the read model the same few SQL statements whether it shows 10 accounts
// or 200, each with its commitments, open alerts, stage history, health and pillar balance: on
// PGlite and (with TEST_DATABASE_URL) PostgreSQL, counted as the database is asked.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { waitFor } from '../support/helpers.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from './graphql-client.js';
import { statementsDuring, untilIdle } from './sql-statements.js';

const ADMIN = 'a'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const KEYS = `admin:root:${ADMIN},integration:crm:${INTEGRATION}`;
const DAY = 24 * 60 * 60 * 1000;
const ACCOUNTS = 200;
const TIERS = ['STRATEGIC', 'ENTERPRISE', 'MIDMARKET', 'SMB'] as const;
const PILLARS = ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'] as const;

const PAGE = `query Portfolio($first: Int!) {
  accounts(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name tier stage daysInStage lastQualifyingTouchAt
        stageHistory { stage enteredAt reason }
        commitments { id status dueAt }
        commitmentStats { open overdue fulfilledOnTime onTimeRate }
        openAlerts { id kind severity }
        health { score band factors { name points } }
        pillarBalance { windowDays discovery service engagement }
        recent: pillarBalance(windowDays: 30) { windowDays discovery service engagement }
      }
    }
  }
}`;

/** What was written about account `i`: the page must show exactly this for it. */
function planned(i: number) {
  const id = `acct-${String(i).padStart(3, '0')}`;
  return {
    id,
    name: `Company ${String(i).padStart(3, '0')}`,
    tier: TIERS[i % TIERS.length],
    // A few touches (none for some) and commitments (none for some), all different per account.
    touches: Array.from({ length: i % 3 }, (_, n) => ({
      touchpointId: `${id}-t${n}`,
      accountId: id,
      occurredAt: new Date(Date.now() - (n * 40 + (i % 20) + 1) * DAY).toISOString(),
      channel: 'CALL',
      direction: 'OUTBOUND',
      pillar: PILLARS[(i + n) % 3],
      sentiment: n % 2 === 0 ? 'POSITIVE' : 'NEGATIVE',
      source: 'crm',
    })),
    commitments: Array.from({ length: i % 4 }, (_, n) => ({
      commitmentId: `${id}-c${n}`,
      accountId: id,
      title: `Promise ${n}`,
      ownerId: 'am-1',
      madeAt: new Date(Date.now() - 30 * DAY).toISOString(),
      dueAt: new Date(Date.now() + (n - 1) * 7 * DAY).toISOString(),
    })),
    inDiscovery: i % 5 === 0,
  };
}

describe.each(DATABASE_TARGETS)('SQL statements of a portfolio page on $name', (target) => {
  let app: NestFastifyApplication;
  let database: FreshDatabase;
  let base: string;
  let graphql: (q: string, v?: Record<string, unknown>, key?: string | null) => Promise<GraphQLAnswer>;
  const plans = Array.from({ length: ACCOUNTS }, (_, i) => planned(i));

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': INTEGRATION, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { results?: Array<{ status: string }> };
    for (const result of answer.results ?? []) expect(result.status).toBe('created');
  };

  beforeAll(async () => {
    database = await target.fresh();
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        // Only the requests counted may use the database: no background scan.
        ROLES: 'api,projector',
        RISK_SCAN_INTERVAL_MS: String(DAY),
        ...database.env,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
    graphql = graphqlClient(base, ADMIN);

    // Written in batches through REST (it does not wait for the read model), then waited for once.
    await post('/v1/accounts', {
      accounts: plans.map((p, i) => ({
        id: p.id,
        name: p.name,
        tier: p.tier,
        ownerId: `am-${i % 3}`,
        openedAt: new Date(Date.now() - (100 + (i % 50)) * DAY).toISOString(),
      })),
    });
    await post('/v1/touchpoints', { touchpoints: plans.flatMap((p) => p.touches) });
    await post('/v1/commitments', { commitments: plans.flatMap((p) => p.commitments) });
    const movers = plans.filter((p) => p.inDiscovery);
    for (const p of movers) await post(`/v1/accounts/${p.id}/stage`, { to: 'DISCOVERY' });
    // The read model applies events in the order they were written: the last one shown means all are.
    const last = movers[movers.length - 1].id;
    await waitFor(
      async () =>
        (await graphql('query($id: ID!) { account(id: $id) { stage } }', { id: last })).data?.account
          ?.stage === 'DISCOVERY',
      60_000,
      'the read model to show every write',
    );
    await untilIdle(app);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const page = async (first: number) => {
    let answer: GraphQLAnswer | undefined;
    const statements = await statementsDuring(app, async () => {
      answer = await graphql(PAGE, { first });
    });
    return { accounts: dataOf(answer!).accounts, statements };
  };

  it('shows every account of a page of 200 with its own commitments, history and balance', async () => {
    const { accounts } = await page(ACCOUNTS);
    expect(accounts.totalCount).toBe(ACCOUNTS);
    expect(accounts.edges).toHaveLength(ACCOUNTS);
    expect(accounts.pageInfo.hasNextPage).toBe(false);
    for (const { node } of accounts.edges) {
      const plan = plans.find((p) => p.id === node.id)!;
      expect(node.commitments.map((c: any) => c.id)).toEqual(plan.commitments.map((c) => c.commitmentId));
      expect(node.commitmentStats.open).toBe(plan.commitments.length);
      expect(node.stageHistory.map((v: any) => v.stage)).toEqual(
        plan.inDiscovery ? ['PROSPECT', 'DISCOVERY'] : ['PROSPECT'],
      );
      const seen = (pillar: string) => plan.touches.filter((t) => t.pillar === pillar).length;
      expect(node.pillarBalance).toEqual({
        windowDays: 90,
        discovery: seen('DISCOVERY'),
        service: seen('SERVICE'),
        engagement: seen('ENGAGEMENT'),
      });
      expect(node.health.factors).toHaveLength(5);
      expect(node.openAlerts).toEqual([]);
    }
    // Each node is the same as the account asked for on its own.
    for (const { node } of accounts.edges.filter((_: unknown, i: number) => i % 37 === 0)) {
      const alone = dataOf(
        await graphql(
          `
            query ($id: ID!) {
              account(id: $id) {
                stageHistory {
                  stage
                }
                commitments {
                  id
                  status
                  dueAt
                }
                health {
                  score
                  band
                  factors {
                    name
                    points
                  }
                }
                pillarBalance {
                  windowDays
                  discovery
                  service
                  engagement
                }
              }
            }
          `,
          { id: node.id },
        ),
      ).account;
      expect(alone).toEqual({
        stageHistory: node.stageHistory.map((v: any) => ({ stage: v.stage })),
        commitments: node.commitments,
        health: node.health,
        pillarBalance: node.pillarBalance,
      });
    }
  });

  it('runs as many statements for 200 accounts as for 10 or for 1', async () => {
    const one = await page(1);
    const ten = await page(10);
    const all = await page(ACCOUNTS);
    expect(one.accounts.edges).toHaveLength(1);
    expect(ten.accounts.edges).toHaveLength(10);
    expect(all.accounts.edges).toHaveLength(ACCOUNTS);
    // The same statements, not merely as many: one per kind of thing a page shows.
    expect(all.statements.length).toBe(ten.statements.length);
    expect(ten.statements.length).toBe(one.statements.length);
    expect(normalised(all.statements)).toEqual(normalised(ten.statements));
    // A handful, never one per account (today: the page, its total, the accounts' facts, and the
    // second pillar window).
    expect(all.statements.length).toBeGreaterThan(0);
    expect(all.statements.length).toBeLessThan(ten.accounts.edges.length);
  });
});

/** A statement's shape: the lists of ids it was given differ in length, not in kind. */
function normalised(statements: string[]): string[] {
  return statements.map((sql) => sql.replace(/\(\$\d+(, \$\d+)*\)/g, '($…)').replace(/\$\d+/g, '$?')).sort();
}
