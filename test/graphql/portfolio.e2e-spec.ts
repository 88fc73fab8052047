// The portfolio (`accounts`) over real HTTP, on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
// every filter and order checked against expectations the test computes from what it wrote,
// cursor pages that neither skip nor repeat while accounts change, roles, and bounded SQL.
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { RecordAccountSilentCommand, SYSTEM_PRINCIPAL } from '#account-commands';
import { AccountProjector } from '#read-model';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from './graphql-client.js';

const ADMIN = 'a'.repeat(40);
const OWNER = 'o'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const DAY = 24 * 60 * 60 * 1000;
const KEYS = `admin:root:${ADMIN},account_manager:am-1:${OWNER},integration:crm:${INTEGRATION}`;

const TIERS = ['STRATEGIC', 'ENTERPRISE', 'MIDMARKET', 'SMB'] as const;
const NAMES = [
  'Acme',
  'globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'soylent',
  'Stark Industries',
  'Wayne Enterprises',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Aperture',
  'Black Mesa',
  'Oscorp',
  'Vandelay',
  'Pied Piper',
  'Massive Dynamic',
  'Gringotts',
  'Monarch',
  'Nakatomi',
];

/** What the test wrote about each account: the source of every expectation. */
interface Written {
  id: string;
  name: string;
  tier: (typeof TIERS)[number];
  ownerId: string;
  stage: string;
  stageEnteredAt: number;
  lastTouch: number | null;
  overdue: boolean;
  silent: boolean;
  health?: { score: number; band: string };
}

const PAGE = `query($filter: AccountFilter, $orderBy: AccountOrder, $first: Int, $after: String) {
  accounts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name ownerId } }
  }
}`;

describe.each(DATABASE_TARGETS)('portfolio on $name', (target) => {
  let app: NestFastifyApplication;
  let database: FreshDatabase;
  let graphql: (q: string, v?: Record<string, unknown>, key?: string | null) => Promise<GraphQLAnswer>;
  const written: Written[] = [];
  const now = Date.now();

  beforeAll(async () => {
    database = await target.fresh();
    app = await createApp({
      // Silence is recorded by the test itself, not by the deadline monitor.
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        RISK_SCAN_INTERVAL_MS: '86400000',
        ...database.env,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);

    for (const [i, name] of NAMES.entries()) {
      const id = `acct-${String(i).padStart(2, '0')}`;
      const tier = TIERS[i % TIERS.length];
      const ownerId = `am-${i % 3}`;
      const openedAt = now - (200 - i) * DAY;
      dataOf(
        await graphql(
          `
            mutation ($input: OpenAccountInput!) {
              openAccount(input: $input) {
                id
              }
            }
          `,
          { input: { id, name, tier, ownerId, openedAt: new Date(openedAt).toISOString() } },
        ),
      );
      const account: Written = {
        id,
        name,
        tier,
        ownerId,
        stage: 'PROSPECT',
        stageEnteredAt: openedAt,
        lastTouch: null,
        overdue: false,
        silent: false,
      };
      if (i % 4 !== 3) {
        const enteredAt = now - (60 - i) * DAY;
        dataOf(
          await graphql(
            `
              mutation ($input: ChangeStageInput!) {
                changeStage(input: $input) {
                  stage
                }
              }
            `,
            { input: { accountId: id, to: 'DISCOVERY', occurredAt: new Date(enteredAt).toISOString() } },
          ),
        );
        account.stage = 'DISCOVERY';
        account.stageEnteredAt = enteredAt;
      }
      // Some touched, with sentiments that spread health; every fifth never touched.
      if (i % 5 !== 0) {
        const touchAt = now - ((i * 7) % 50) * DAY - i * 1000;
        const sentiment = i % 3 === 0 ? 'NEGATIVE' : i % 3 === 1 ? 'POSITIVE' : 'NEUTRAL';
        dataOf(
          await graphql(
            `
              mutation ($input: TouchpointInput!) {
                recordTouchpoint(input: $input) {
                  id
                }
              }
            `,
            {
              input: {
                touchpointId: `${id}-t`,
                accountId: id,
                occurredAt: new Date(touchAt).toISOString(),
                channel: 'CALL',
                direction: 'OUTBOUND',
                pillar: 'SERVICE',
                sentiment,
                source: 'test',
              },
            },
          ),
        );
        account.lastTouch = touchAt;
      }
      if (i % 6 === 1) {
        dataOf(
          await graphql(
            `
              mutation ($input: MakeCommitmentInput!) {
                makeCommitment(input: $input) {
                  id
                }
              }
            `,
            {
              input: {
                commitmentId: `${id}-c`,
                accountId: id,
                title: 'Send the proposal',
                ownerId,
                madeAt: new Date(now - 20 * DAY).toISOString(),
                dueAt: new Date(now - (i % 12 === 1 ? 2 * DAY : -5 * DAY)).toISOString(),
              },
            },
          ),
        );
        account.overdue = i % 12 === 1;
      }
      written.push(account);
    }
    // Silence is recorded by the system (the risk monitor); untouched accounts opened long ago qualify.
    const commands = app.get(CommandBus);
    for (const account of written.filter((a) => a.lastTouch === null && a.tier !== 'SMB')) {
      const result = await commands.execute(
        new RecordAccountSilentCommand(
          { accountId: account.id },
          { principal: SYSTEM_PRINCIPAL, correlationId: 'test', causationId: 'test' },
        ),
      );
      if (result.results[0].status === 'created') account.silent = true;
      if (result.commitPosition !== undefined)
        await app.get(AccountProjector).waitFor(result.commitPosition, 10_000);
    }
    // Health as the account view computes it: the portfolio must agree with it.
    for (const account of written) {
      const view = dataOf(
        await graphql(
          `
            query ($id: ID!) {
              account(id: $id) {
                silent
                health {
                  score
                  band
                }
              }
            }
          `,
          { id: account.id },
        ),
      ).account;
      account.health = view.health;
      expect(view.silent).toBe(account.silent);
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Every page of a walk, in order. */
  const walk = async (
    variables: Record<string, unknown>,
    key: string = ADMIN,
    between?: () => Promise<void>,
  ) => {
    const ids: string[] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: any = dataOf(await graphql(PAGE, { ...variables, after }, key)).accounts;
      ids.push(...page.edges.map((e: any) => e.node.id));
      totals.push(page.totalCount);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      await between?.();
    }
    return { ids, totals };
  };

  const byId = (a: Written, b: Written) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const expectedOrder: Record<string, (a: Written, b: Written) => number> = {
    NAME_ASC: (a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase()
        ? -1
        : a.name.toLowerCase() > b.name.toLowerCase()
          ? 1
          : byId(a, b),
    HEALTH_ASC: (a, b) => a.health!.score - b.health!.score || byId(a, b),
    HEALTH_DESC: (a, b) => b.health!.score - a.health!.score || byId(a, b),
    LAST_TOUCH_ASC: (a, b) => (a.lastTouch ?? -Infinity) - (b.lastTouch ?? -Infinity) || byId(a, b),
    DAYS_IN_STAGE_DESC: (a, b) => a.stageEnteredAt - b.stageEnteredAt || byId(a, b),
  };

  it.each(Object.keys(expectedOrder))('sorts by %s across pages', async (orderBy) => {
    const { ids, totals } = await walk({ orderBy, first: 6 });
    expect(ids).toEqual([...written].sort(expectedOrder[orderBy]).map((a) => a.id));
    expect(new Set(totals)).toEqual(new Set([written.length]));
  });

  const filters: Array<[string, Record<string, unknown>, (a: Written) => boolean]> = [
    ['owner', { ownerId: 'am-2' }, (a) => a.ownerId === 'am-2'],
    ['stages', { stages: ['DISCOVERY'] }, (a) => a.stage === 'DISCOVERY'],
    ['tiers', { tiers: ['STRATEGIC', 'SMB'] }, (a) => a.tier === 'STRATEGIC' || a.tier === 'SMB'],
    ['health bands', { healthBands: ['RED', 'AMBER'] }, (a) => a.health!.band !== 'GREEN'],
    ['silent', { silent: true }, (a) => a.silent],
    ['not silent', { silent: false }, (a) => !a.silent],
    ['overdue commitments', { hasOverdueCommitments: true }, (a) => a.overdue],
    ['no overdue commitments', { hasOverdueCommitments: false }, (a) => !a.overdue],
    ['name, case-insensitive', { nameContains: 'IN' }, (a) => a.name.toLowerCase().includes('in')],
    ['name with a wildcard character', { nameContains: '%' }, () => false],
    [
      'several at once',
      { tiers: ['ENTERPRISE', 'MIDMARKET'], stages: ['DISCOVERY'], nameContains: 'e' },
      (a) =>
        ['ENTERPRISE', 'MIDMARKET'].includes(a.tier) &&
        a.stage === 'DISCOVERY' &&
        a.name.toLowerCase().includes('e'),
    ],
  ];

  it.each(filters)('filters by %s', async (_what, filter, keep) => {
    const expected = written
      .filter(keep)
      .sort(expectedOrder.NAME_ASC)
      .map((a) => a.id);
    const { ids, totals } = await walk({ filter, first: 4 });
    expect(ids).toEqual(expected);
    expect(totals[0]).toBe(expected.length);
  });

  it('shows an account manager their own accounts only', async () => {
    const { ids } = await walk({ first: 50 }, OWNER);
    expect(ids).toEqual(
      written
        .filter((a) => a.ownerId === 'am-1')
        .sort(expectedOrder.NAME_ASC)
        .map((a) => a.id),
    );
    // Asking for another owner's accounts finds none.
    expect((await walk({ filter: { ownerId: 'am-2' } }, OWNER)).ids).toEqual([]);
    const integration = await graphql(PAGE, {}, INTEGRATION);
    expect(integration.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('neither skips nor repeats while accounts change and new ones open between pages', async () => {
    const before = [...written].sort(expectedOrder.LAST_TOUCH_ASC).map((a) => a.id);
    let round = 0;
    const { ids, totals } = await walk({ orderBy: 'LAST_TOUCH_ASC', first: 3 }, ADMIN, async () => {
      round += 1;
      // Touch the account that sorts first now (it moves to the end) and open a new one.
      const first = before[round % before.length];
      dataOf(
        await graphql(
          `
            mutation ($input: TouchpointInput!) {
              recordTouchpoint(input: $input) {
                id
              }
            }
          `,
          {
            input: {
              touchpointId: `moving-${round}`,
              accountId: first,
              occurredAt: new Date().toISOString(),
              channel: 'EMAIL',
              direction: 'INBOUND',
              pillar: 'ENGAGEMENT',
              source: 'test',
            },
          },
        ),
      );
      dataOf(
        await graphql(
          `
            mutation ($input: OpenAccountInput!) {
              openAccount(input: $input) {
                id
              }
            }
          `,
          {
            input: { id: `new-${round}`, name: `Aaa new ${round}`, tier: 'SMB', ownerId: 'am-0' },
          },
        ),
      );
    });
    expect(round).toBeGreaterThan(3);
    expect(ids).toEqual(before);
    expect(new Set(totals)).toEqual(new Set([written.length]));
    // A new walk sees the changes.
    const fresh = await walk({ orderBy: 'LAST_TOUCH_ASC', first: 50 });
    const opened = Array.from({ length: round }, (_, i) => `new-${i + 1}`);
    expect(fresh.ids).toHaveLength(written.length + round);
    expect(new Set(fresh.ids)).toEqual(new Set([...before, ...opened]));
    // The accounts touched during the walk now sort last, in the order they were touched.
    expect(fresh.ids.slice(-round)).toEqual(before.slice(1, round + 1));
  });

  it('refuses a cursor of another filter or order, a made-up cursor and an oversized page', async () => {
    const first: any = dataOf(await graphql(PAGE, { first: 2 })).accounts;
    const other = await graphql(PAGE, { first: 2, orderBy: 'HEALTH_ASC', after: first.pageInfo.endCursor });
    expect(other.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'after' }],
    });
    const madeUp = await graphql(PAGE, { first: 2, after: 'bm90LWEtY3Vyc29y' });
    expect(madeUp.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'after' }],
    });
    const tooMany = await graphql(PAGE, { first: 201 });
    expect(tooMany.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'first' }],
    });
  });
});
