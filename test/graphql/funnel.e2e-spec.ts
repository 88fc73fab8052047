// The funnel over real HTTP, from the read model the projector keeps, on each database target.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { delay } from '../support/helpers.js';

const INTEGRATION = 'i'.repeat(40);
const ADMIN = 'a'.repeat(40);
const LEADER = 'l'.repeat(40);
const JANE = 'j'.repeat(40);

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
/** Day `n` of the scripted history; `shiftMs` moves it by a few milliseconds. */
const d = (n: number, shiftMs = 0) => new Date(T0 + n * DAY + shiftMs).toISOString();

type Move = { to: string; at: string; reason?: string };
type Scripted = { id: string; tier: string; ownerId: string; stage: string; openedAt: string; moves: Move[] };

// The period asked is [day 30, day 60). Each visit below: stage [entered, exited) → where it went.
const ACCOUNTS: Scripted[] = [
  // PROSPECT [0,30) → DISCOVERY [30,40) → PROPOSAL [40,45) → ONBOARDING [45,60) → ACTIVE [60, now)
  {
    id: 'a1',
    tier: 'SMB',
    ownerId: 'am-jane',
    stage: 'PROSPECT',
    openedAt: d(0),
    moves: [
      { to: 'DISCOVERY', at: d(30) },
      { to: 'PROPOSAL', at: d(40) },
      { to: 'ONBOARDING', at: d(45) },
      { to: 'ACTIVE', at: d(60) },
    ],
  },
  // PROSPECT [10,20) → DISCOVERY [20,35) → PROSPECT [35,50) → LOST [50, now)
  {
    id: 'a2',
    tier: 'MIDMARKET',
    ownerId: 'am-bob',
    stage: 'PROSPECT',
    openedAt: d(10),
    moves: [
      { to: 'DISCOVERY', at: d(20) },
      { to: 'PROSPECT', at: d(35) },
      { to: 'LOST', at: d(50), reason: 'no budget' },
    ],
  },
  // ACTIVE [0,31) → RENEWAL [31,33) → ACTIVE [33,50) → ADVOCATE [50, now)
  {
    id: 'a3',
    tier: 'ENTERPRISE',
    ownerId: 'am-jane',
    stage: 'ACTIVE',
    openedAt: d(0),
    moves: [
      { to: 'RENEWAL', at: d(31) },
      { to: 'ACTIVE', at: d(33) },
      { to: 'ADVOCATE', at: d(50) },
    ],
  },
  // ADVOCATE [0,40) → RENEWAL [40,45) → CHURNED [45, now)
  {
    id: 'a4',
    tier: 'STRATEGIC',
    ownerId: 'am-bob',
    stage: 'ADVOCATE',
    openedAt: d(0),
    moves: [
      { to: 'RENEWAL', at: d(40) },
      { to: 'CHURNED', at: d(45), reason: 'acquired' },
    ],
  },
  // PROSPECT [0,30⁻) → DISCOVERY [30⁻,60⁻) → PROPOSAL [60⁻, now), where n⁻ is 1 ms before day n
  {
    id: 'a5',
    tier: 'SMB',
    ownerId: 'am-bob',
    stage: 'PROSPECT',
    openedAt: d(0),
    moves: [
      { to: 'DISCOVERY', at: d(30, -1) },
      { to: 'PROPOSAL', at: d(60, -1) },
    ],
  },
  // PROSPECT [45, now)
  { id: 'a6', tier: 'MIDMARKET', ownerId: 'am-jane', stage: 'PROSPECT', openedAt: d(45), moves: [] },
  // PROSPECT [100, now)
  { id: 'a7', tier: 'ENTERPRISE', ownerId: 'am-jane', stage: 'PROSPECT', openedAt: d(100), moves: [] },
  // PROSPECT [0,20) → LOST [20,40) → PROSPECT [40, now)
  {
    id: 'a8',
    tier: 'SMB',
    ownerId: 'am-bob',
    stage: 'PROSPECT',
    openedAt: d(0),
    moves: [
      { to: 'LOST', at: d(20), reason: 'went with a competitor' },
      { to: 'PROSPECT', at: d(40) },
    ],
  },
];

type Row = [
  current: number,
  entered: number,
  exited: number,
  conversionRate: number | null,
  median: number | null,
];
const ORDER = [
  'PROSPECT',
  'DISCOVERY',
  'PROPOSAL',
  'ONBOARDING',
  'ACTIVE',
  'RENEWAL',
  'ADVOCATE',
  'LOST',
  'CHURNED',
] as const;
/** The expected stages, in lifecycle order, from one row of numbers per stage. */
const stages = (rows: Record<(typeof ORDER)[number], Row>) =>
  ORDER.map((stage) => {
    const [current, entered, exited, conversionRate, medianDaysInStage] = rows[stage];
    return { stage, current, entered, exited, conversionRate, medianDaysInStage };
  });

type FunnelAnswer = {
  data: { funnel: { from: string; to: string; stages: unknown[] } } | null;
  errors?: Array<{ message: string; extensions: { code: string; fields?: Array<{ path: string }> } }>;
};

describe.each(DATABASE_TARGETS)('GraphQL funnel on $name', (target) => {
  let app: NestFastifyApplication;
  let base: string;
  let database: FreshDatabase;

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': INTEGRATION, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const funnel = async (key: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        query: `query($from: DateTime!, $to: DateTime!, $tiers: [Tier!]) {
          funnel(from: $from, to: $to, tiers: $tiers) {
            from to stages { stage current entered exited conversionRate medianDaysInStage } } }`,
        variables,
      }),
    });
    return (await res.json()) as FunnelAnswer;
  };
  const PERIOD = { from: d(30), to: d(60) };

  beforeAll(async () => {
    database = await target.fresh();
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `integration:crm:${INTEGRATION},admin:root:${ADMIN},leader:lead:${LEADER},account_manager:am-jane:${JANE}`,
        ...database.env,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });

    const opened = (await post('/v1/accounts', {
      accounts: ACCOUNTS.map(({ moves: _moves, ...account }) => ({
        ...account,
        name: `Account ${account.id}`,
      })),
    })) as { results: Array<{ status: string }> };
    expect(opened.results.map((r) => r.status)).toEqual(ACCOUNTS.map(() => 'created'));
    for (const account of ACCOUNTS) {
      for (const { to, at, reason } of account.moves) {
        await post(`/v1/accounts/${account.id}/stage`, { to, occurredAt: at, ...(reason ? { reason } : {}) });
      }
    }
    // Every event written is in the read model once the projector reports no lag.
    let lag: number | undefined;
    for (let i = 0; i < 200 && lag !== 0; i++) {
      const res = await fetch(`${base}/health/ready`);
      lag = ((await res.json()) as { details?: { readmodel?: { lagEvents?: number } } }).details?.readmodel
        ?.lagEvents;
      if (lag !== 0) await delay(50);
    }
    expect(lag).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('counts each stage now and in [from, to): entered, exited, conversion to the next stage, median days', async () => {
    const answer = await funnel(ADMIN, PERIOD);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.funnel.from).toBe(PERIOD.from);
    expect(answer.data!.funnel.to).toBe(PERIOD.to);
    expect(answer.data!.funnel.stages).toEqual(
      stages({
        // now a6 a7 a8 | in a2@35 a6@45 a8@40 | out a1@30 →DISCOVERY 30d, a2@50 →LOST 15d
        PROSPECT: [3, 3, 2, 1 / 2, 22.5],
        // in a1@30 (a5 entered 1 ms before from) | out a1@40 →PROPOSAL 10d, a2@35 →PROSPECT 15d, a5@60⁻ →PROPOSAL 30d
        DISCOVERY: [0, 1, 3, 2 / 3, 15],
        // now a5 | in a1@40, a5@60⁻ | out a1@45 →ONBOARDING 5d
        PROPOSAL: [1, 2, 1, 1, 5],
        // in a1@45 | a1 left at day 60 exactly: outside [from, to)
        ONBOARDING: [0, 1, 0, null, null],
        // now a1 (entered at day 60: outside) | in a3@33 | out a3@31 →RENEWAL 31d, a3@50 →ADVOCATE 17d
        ACTIVE: [1, 1, 2, 1 / 2, 24],
        // in a3@31 a4@40 | out a3@33 →ACTIVE (renewed) 2d, a4@45 →CHURNED 5d
        RENEWAL: [0, 2, 2, 1 / 2, 3.5],
        // now a3 | in a3@50 | out a4@40 →RENEWAL 40d
        ADVOCATE: [1, 1, 1, 1, 40],
        // now a2 | in a2@50 (a8 entered at day 20) | out a8@40 →PROSPECT 20d: no next stage
        LOST: [1, 1, 1, null, 20],
        // now a4 | in a4@45
        CHURNED: [1, 1, 0, null, null],
      }),
    );
    // Leaders see every account too.
    expect(await funnel(LEADER, PERIOD)).toEqual(answer);
  });

  it('counts only the accounts of the tiers asked, in every number', async () => {
    // a1 a5 a8 (SMB) and a4 (STRATEGIC)
    const answer = await funnel(ADMIN, { ...PERIOD, tiers: ['SMB', 'STRATEGIC'] });
    expect(answer.data!.funnel.stages).toEqual(
      stages({
        PROSPECT: [1, 1, 1, 1, 30],
        DISCOVERY: [0, 1, 2, 1, 20],
        PROPOSAL: [1, 2, 1, 1, 5],
        ONBOARDING: [0, 1, 0, null, null],
        ACTIVE: [1, 0, 0, null, null],
        RENEWAL: [0, 1, 1, 0, 5],
        ADVOCATE: [0, 0, 1, 1, 40],
        LOST: [0, 0, 1, null, 20],
        CHURNED: [1, 1, 0, null, null],
      }),
    );
    // No tier named is no tier filter.
    expect(await funnel(ADMIN, { ...PERIOD, tiers: [] })).toEqual(await funnel(ADMIN, PERIOD));
  });

  it('takes from inclusive and to exclusive', async () => {
    // [day 60, day 61): a1 left ONBOARDING (15 days) and entered ACTIVE exactly at from;
    // a5's moves 1 ms before it are out.
    const answer = await funnel(ADMIN, { from: d(60), to: d(61) });
    expect(answer.data!.funnel.stages).toEqual(
      stages({
        PROSPECT: [3, 0, 0, null, null],
        DISCOVERY: [0, 0, 0, null, null],
        PROPOSAL: [1, 0, 0, null, null],
        ONBOARDING: [0, 0, 1, 1, 15],
        ACTIVE: [1, 1, 0, null, null],
        RENEWAL: [0, 0, 0, null, null],
        ADVOCATE: [1, 0, 0, null, null],
        LOST: [1, 0, 0, null, null],
        CHURNED: [1, 0, 0, null, null],
      }),
    );
  });

  it('counts only their own accounts for an account manager', async () => {
    // a1 a3 a6 a7
    const answer = await funnel(JANE, PERIOD);
    expect(answer.data!.funnel.stages).toEqual(
      stages({
        PROSPECT: [2, 1, 1, 1, 30],
        DISCOVERY: [0, 1, 1, 1, 10],
        PROPOSAL: [0, 1, 1, 1, 5],
        ONBOARDING: [0, 1, 0, null, null],
        ACTIVE: [1, 1, 2, 1 / 2, 24],
        RENEWAL: [0, 1, 1, 1, 2],
        ADVOCATE: [1, 1, 0, null, null],
        LOST: [0, 0, 0, null, null],
        CHURNED: [0, 0, 0, null, null],
      }),
    );
  });

  it('is not for integrations', async () => {
    const answer = await funnel(INTEGRATION, PERIOD);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers for a period of the longest length allowed', async () => {
    const answer = await funnel(ADMIN, { from: d(0), to: d(3660) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.funnel.stages).toHaveLength(9);
  });

  it.each([
    ['to equal to from', { from: d(30), to: d(30) }, 'must be after from'],
    ['to before from', { from: d(60), to: d(30) }, 'must be after from'],
    ['a period over 3660 days', { from: d(0), to: d(3661) }, 'must be at most 3660 days after from'],
  ])('refuses %s, naming the field', async (_case, period, message) => {
    const answer = await funnel(ADMIN, period);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'to', message }],
    });
    expect(answer.errors?.[0].message).toContain(`to: ${message}`);
  });
});
