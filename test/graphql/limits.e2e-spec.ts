// Depth and cost limits over real HTTP, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: a query
// deeper than MAX_QUERY_DEPTH or dearer than MAX_QUERY_COST is refused as bad input, saying why,
// before it runs (no SQL, nothing written), while a full portfolio page of 200 passes.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { MAX_QUERY_DEPTH } from '../../apps/api/src/graphql/query-depth.js';
import { MAX_QUERY_COST } from '../../apps/api/src/graphql/query-cost.js';
import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from './graphql-client.js';
import { statementsDuring, untilIdle } from './sql-statements.js';

const ADMIN = 'a'.repeat(40);
const KEYS = `admin:root:${ADMIN}`;
const DAY = 24 * 60 * 60 * 1000;

/**
 * accounts › edges › node › timeline › edges › node › commitment › id is 8 levels, the deepest
 * path of the schema; each `... on Account` wrapped around the timeline adds one.
 */
const deepQuery = (extraLevels: number) => {
  const timeline = 'timeline(first: 1) { edges { node { commitment { id } } } }';
  let node = timeline;
  for (let i = 0; i < extraLevels; i++) node = `... on Account { ${node} }`;
  return `query Deep { accounts(first: 1) { edges { node { ${node} } } } }`;
};

describe.each(DATABASE_TARGETS)('query limits on $name', (target) => {
  let app: NestFastifyApplication;
  let database: FreshDatabase;
  let graphql: (q: string, v?: Record<string, unknown>, key?: string | null) => Promise<GraphQLAnswer>;

  beforeAll(async () => {
    database = await target.fresh();
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        ROLES: 'api,projector',
        RISK_SCAN_INTERVAL_MS: String(DAY),
        ...database.env,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);
    for (let i = 0; i < 3; i++) {
      dataOf(
        await graphql(
          `
            mutation ($input: OpenAccountInput!) {
              openAccount(input: $input) {
                id
              }
            }
          `,
          { input: { id: `limits-${i}`, name: `Limits ${i}`, tier: 'SMB', ownerId: 'am-1' } },
        ),
      );
    }
    // The alert policy reacts to the openings after they are answered: let it finish first.
    await untilIdle(app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** The answer, and the SQL statements run while it was made. */
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    let answer: GraphQLAnswer | undefined;
    const statements = await statementsDuring(app, async () => {
      answer = await graphql(query, variables);
    });
    return { answer: answer!, statements };
  };

  it('answers a query as deep as the limit', async () => {
    expect(MAX_QUERY_DEPTH).toBe(10);
    const { answer } = await ask(deepQuery(MAX_QUERY_DEPTH - 8));
    expect(dataOf(answer).accounts.edges).toHaveLength(1);
  });

  it('refuses a query one level deeper, saying so, before anything runs', async () => {
    const { answer, statements } = await ask(deepQuery(MAX_QUERY_DEPTH - 7));
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors![0].message).toMatch(
      new RegExp(`is ${MAX_QUERY_DEPTH + 1} levels deep, more than the ${MAX_QUERY_DEPTH} allowed`),
    );
    expect(statements).toEqual([]);
  });

  it('refuses a mutation deeper than the limit and writes nothing', async () => {
    let selection = 'timeline { edges { node { commitment { id } } } }';
    // openAccount › timeline › edges › node › commitment › id is 6 levels.
    for (let i = 0; i < MAX_QUERY_DEPTH - 5; i++) selection = `... on Account { ${selection} }`;
    const { answer, statements } = await ask(
      `mutation($input: OpenAccountInput!) { openAccount(input: $input) { ${selection} } }`,
      { input: { id: 'too-deep', name: 'Too deep', tier: 'SMB', ownerId: 'am-1' } },
    );
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toMatch(/levels deep/);
    expect(statements).toEqual([]);
    expect(dataOf(await graphql('{ account(id: "too-deep") { id } }')).account).toBeNull();
    // Not in the event store either: the account's stream, folded now, has nothing.
    const stream = await graphql('query($asOf: DateTime) { account(id: "too-deep", asOf: $asOf) { id } }', {
      asOf: new Date().toISOString(),
    });
    expect(dataOf(stream).account).toBeNull();
  });

  it('refuses a query over the cost limit with its cost, before anything runs', async () => {
    const { answer, statements } = await ask(`{
      accounts(first: 200) { edges { node { timeline(first: 200) { edges { node { summary touchpoint { participants } } } } } } }
    }`);
    // Every field costs 1, a paginated one its selection times `first`: an entry's selection
    // (edges, node, summary, touchpoint, participants) is 5, a timeline 1 + 200 × 5, an account's
    // (edges, node, timeline) 2 + 1001, and the page 1 + 200 × 1003.
    const cost = 1 + 200 * (2 + (1 + 200 * 5));
    expect(cost).toBeGreaterThan(MAX_QUERY_COST);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      cost,
      maxCost: MAX_QUERY_COST,
    });
    expect(answer.errors![0].message).toContain(`costs ${cost}`);
    expect(answer.errors![0].message).toContain(String(MAX_QUERY_COST));
    expect(statements).toEqual([]);
  });

  it('prices variables too: the same page is refused or answered by the `first` it is sent', async () => {
    const query = `query($first: Int!) {
      accounts(first: 200) { edges { node { timeline(first: $first) { edges { node { summary } } } } } }
    }`;
    const dear = await ask(query, { first: 200 });
    expect(dear.answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(dear.statements).toEqual([]);
    const cheap = await ask(query, { first: 2 });
    expect(dataOf(cheap.answer).accounts.edges).toHaveLength(3);
  });

  it('answers a full portfolio page of 200 with health, commitments, alerts, history and balance', async () => {
    const { answer, statements } = await ask(`{
      accounts(first: 200) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node {
          id name tier ownerId stage phase daysInStage cadenceDays lastQualifyingTouchAt silent touchpointCount
          stageHistory { stage enteredAt exitedAt reason lessons }
          commitments { id title status dueAt fulfilledAt onTime renegotiations }
          commitmentStats { open overdue fulfilledOnTime fulfilledLate missed cancelled onTimeRate }
          openAlerts { id kind severity status title }
          health { score band factors { name points maxPoints detail } }
          pillarBalance { windowDays discovery service engagement }
        } }
      }
    }`);
    expect(dataOf(answer).accounts.totalCount).toBe(3);
    expect(answer.data!.accounts.edges.map((e: any) => e.node.health.band)).toHaveLength(3);
    expect(statements.length).toBeGreaterThan(0);
  });
});
