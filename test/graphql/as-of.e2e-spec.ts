// `account(id, asOf)` over real HTTP, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the view
// is captured right after each write, from the read model and folded `asOf` that instant; asked
// again later for each remembered instant, the fold answers exactly what was captured then, even
// after later writes and a backfill whose business time lies before them.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { delay, waitFor } from '../support/helpers.js';
import { ACCOUNT_VIEW_QUERY, withClockAt } from './account-view.selection.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from './graphql-client.js';

const ADMIN = 'a'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const OWNER = 'o'.repeat(40);
const OTHER_MANAGER = 'm'.repeat(40);
const KEYS = `admin:root:${ADMIN},integration:crm:${INTEGRATION},account_manager:am-owner:${OWNER},account_manager:am-other:${OTHER_MANAGER}`;
const DAY = 24 * 60 * 60 * 1000;
const START = Date.now();
const daysAgo = (days: number) => START - days * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

/** The view as it was answered right after one write. */
interface Capture {
  readonly label: string;
  readonly at: number;
  readonly view: any;
}

describe.each(DATABASE_TARGETS)('account asOf on $name', (target) => {
  let app: NestFastifyApplication;
  let database: FreshDatabase;
  let graphql: (q: string, v?: Record<string, unknown>, key?: string | null) => Promise<GraphQLAnswer>;
  const id = `asof-${target.name}`;
  const captures: Capture[] = [];
  let beforeOpening: number;

  beforeAll(async () => {
    database = await target.fresh();
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        // Nothing but this file's writes may change the account between captures.
        ROLES: 'api,projector',
        RISK_SCAN_INTERVAL_MS: String(DAY),
        ...database.env,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const folded = async (asOf: number, key: string = ADMIN) =>
    dataOf(await graphql(ACCOUNT_VIEW_QUERY, { id, asOf: iso(asOf) }, key)).account;
  const stored = async (now: number, key: string = ADMIN) =>
    withClockAt(
      app,
      new Date(now),
      async () => dataOf(await graphql(ACCOUNT_VIEW_QUERY, { id }, key)).account,
    );

  const write = async (mutation: string, input: Record<string, unknown>, key: string = INTEGRATION) =>
    dataOf(await graphql(mutation, { input }, key));

  /**
   * Remembers an instant after everything written so far and before anything written next, and the
   * view at it: folded `asOf` it, and from the read model computed for it, which must agree.
   */
  const capture = async (label: string): Promise<Capture> => {
    await delay(2);
    const at = Date.now();
    await delay(2);
    const view = await folded(at);
    expect(view).not.toBeNull();
    expect(await stored(at)).toEqual(view);
    const taken = { label, at, view };
    captures.push(taken);
    return taken;
  };
  /** Waits until the read model shows the account's open alerts of these kinds (the policy works after the write). */
  const alertsShown = (kinds: string[]) =>
    waitFor(
      async () => {
        const answer = await graphql('query($id: ID!) { account(id: $id) { openAlerts { kind } } }', { id });
        const shown = (answer.data?.account?.openAlerts ?? []).map((a: any) => a.kind).sort();
        return JSON.stringify(shown) === JSON.stringify([...kinds].sort());
      },
      10_000,
      `the open alerts to be [${kinds.join(', ')}]`,
    );
  const recency = (view: any) => view.health.factors.find((f: any) => f.name === 'recency').points;
  const entryTypes = (view: any) => view.timeline.edges.map((edge: any) => edge.node.type);
  const touchpointIds = (view: any) =>
    view.timeline.edges.flatMap((edge: any) =>
      edge.node.type === 'TouchpointRecorded' ? [edge.node.touchpoint.id] : [],
    );

  const touch = (touchpointId: string, days: number, extra: Record<string, unknown> = {}) => ({
    touchpointId,
    accountId: id,
    occurredAt: iso(daysAgo(days)),
    channel: 'CALL',
    direction: 'OUTBOUND',
    pillar: 'SERVICE',
    source: 'crm',
    ...extra,
  });

  it('answers null before the account was recorded, though its opening date is earlier', async () => {
    beforeOpening = Date.now();
    await delay(2);
    await write(`mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`, {
      id,
      name: 'Globex',
      tier: 'ENTERPRISE',
      ownerId: 'am-owner',
      openedAt: iso(daysAgo(40)),
    });
    expect(await folded(beforeOpening)).toBeNull();
    const opened = await capture('opened');
    expect(opened.view).toMatchObject({
      stage: 'PROSPECT',
      touchpointCount: 0,
      daysInStage: Math.floor((opened.at - daysAgo(40)) / DAY),
      timeline: { edges: [{ node: { type: 'AccountOpened' } }] },
    });
    // 40 days without a touch on a 30-day cadence: full until 15 days, none from 60.
    expect(recency(opened.view)).toBeCloseTo((35 * (60 * DAY - (opened.at - daysAgo(40)))) / (45 * DAY), 2);
  });

  it('captures the view after each write of a scripted history', async () => {
    const batch = dataOf(
      await graphql(
        `
          mutation ($inputs: [TouchpointInput!]!) {
            recordTouchpoints(inputs: $inputs) {
              results {
                status
              }
            }
          }
        `,
        {
          inputs: [
            touch('t-1', 30, { pillar: 'DISCOVERY', sentiment: 'POSITIVE', summary: 'First call' }),
            touch('t-2', 2, { channel: 'EMAIL', pillar: 'SERVICE', sentiment: 'NEGATIVE' }),
          ],
        },
        INTEGRATION,
      ),
    );
    expect(batch.recordTouchpoints.results.map((r: any) => r.status)).toEqual(['CREATED', 'CREATED']);
    const touched = await capture('touched');
    expect(recency(touched.view)).toBe(35);

    // A bad moment of truth raises an alert (its own stream, after the touch is answered), and a
    // later positive touch resolves it: each is captured once the read model shows it.
    await write(`mutation($input: TouchpointInput!) { recordTouchpoint(input: $input) { id } }`, {
      ...touch('t-3', 1.5, {
        channel: 'SUPPORT_TICKET',
        direction: 'INBOUND',
        sentiment: 'NEGATIVE',
        momentOfTruth: true,
      }),
    });
    await alertsShown(['NEGATIVE_MOMENT_OF_TRUTH']);
    const bad = await capture('bad moment');
    expect(bad.view.openAlerts).toMatchObject([
      { kind: 'NEGATIVE_MOMENT_OF_TRUTH', severity: 'HIGH', status: 'OPEN' },
    ]);
    expect(bad.view.health.factors.find((f: any) => f.name === 'openAlerts').points).toBe(5);
    await write(`mutation($input: TouchpointInput!) { recordTouchpoint(input: $input) { id } }`, {
      ...touch('t-4', 1.2, { sentiment: 'POSITIVE', summary: 'Fixed, thanks' }),
    });
    await alertsShown([]);
    const recovered = await capture('recovered');
    expect(recovered.view.openAlerts).toEqual([]);
    expect(recovered.view.health.factors.find((f: any) => f.name === 'openAlerts').points).toBe(10);

    await write(`mutation($input: ChangeStageInput!) { changeStage(input: $input) { stage } }`, {
      accountId: id,
      to: 'DISCOVERY',
      occurredAt: iso(daysAgo(1)),
    });
    await capture('in discovery');

    const makeCommitment = (commitmentId: string, dueInDays: number) =>
      write(`mutation($input: MakeCommitmentInput!) { makeCommitment(input: $input) { id } }`, {
        commitmentId,
        accountId: id,
        title: `Deliver ${commitmentId}`,
        ownerId: 'am-owner',
        madeAt: iso(daysAgo(1)),
        dueAt: iso(Date.now() + dueInDays * DAY),
      });
    await makeCommitment('c-1', 5);
    await capture('promised');
    await write(`mutation($input: FulfilCommitmentInput!) { fulfilCommitment(input: $input) { id } }`, {
      accountId: id,
      commitmentId: 'c-1',
    });
    await capture('kept');

    await makeCommitment('c-2', 3);
    await capture('promised again');
    await write(
      `mutation($input: RenegotiateCommitmentInput!) { renegotiateCommitment(input: $input) { id } }`,
      {
        accountId: id,
        commitmentId: 'c-2',
        newDueAt: iso(Date.now() + 10 * DAY),
        reason: 'The customer asked for more time',
      },
    );
    await capture('renegotiated');
    await write(`mutation($input: CancelCommitmentInput!) { cancelCommitment(input: $input) { id } }`, {
      accountId: id,
      commitmentId: 'c-2',
      reason: 'No longer needed',
    });
    await capture('cancelled');

    await write(`mutation($input: SetCadenceInput!) { setCadence(input: $input) { cadenceDays } }`, {
      accountId: id,
      cadenceDays: 10,
    });
    await capture('cadence agreed');
    await write(`mutation($input: AssignOwnerInput!) { assignOwner(input: $input) { ownerId } }`, {
      accountId: id,
      ownerId: 'am-other',
    });
    await capture('handed over');

    // A backfill: recorded now, with a business time before every other touch.
    await write(`mutation($input: TouchpointInput!) { recordTouchpoint(input: $input) { id } }`, {
      ...touch('t-old', 35, { channel: 'MEETING', pillar: 'ENGAGEMENT', sentiment: 'POSITIVE' }),
    });
    await capture('backfilled');
    await write(`mutation($input: ChangeStageInput!) { changeStage(input: $input) { stage } }`, {
      accountId: id,
      to: 'PROPOSAL',
    });
    await capture('proposed');
    expect(captures.map((c) => c.label)).toHaveLength(14);
  });

  it('answers each remembered instant exactly as it was captured then', async () => {
    for (const { label, at, view } of captures) {
      expect({ label, view: await folded(at) }).toEqual({ label, view });
    }
    expect(await folded(beforeOpening)).toBeNull();
  });

  it('leaves a backfill out of every instant before it was recorded, though it happened earlier', async () => {
    const at = (label: string) => captures.find((c) => c.label === label)!;
    const handedOver = await folded(at('handed over').at);
    const backfilled = await folded(at('backfilled').at);
    expect(touchpointIds(handedOver)).toEqual(['t-1', 't-2', 't-3', 't-4']);
    expect(handedOver.touchpointCount).toBe(4);
    expect(handedOver.pillars90).toMatchObject({ discovery: 1, service: 3, engagement: 0 });
    // Sorted by business time: the backfill comes first once it is known.
    expect(touchpointIds(backfilled)).toEqual(['t-old', 't-1', 't-2', 't-3', 't-4']);
    expect(backfilled.touchpointCount).toBe(5);
    expect(backfilled.pillars90).toMatchObject({ discovery: 1, service: 3, engagement: 1 });
    expect(backfilled.timeline.edges[1].node).toMatchObject({
      type: 'TouchpointRecorded',
      occurredAt: iso(daysAgo(35)),
      touchpoint: { id: 't-old', stage: 'PROSPECT' },
    });
    expect(Date.parse(backfilled.timeline.edges[1].node.recordedAt)).toBeGreaterThan(at('handed over').at);
  });

  it('shows each commitment as it stood at the instant, in the timeline too', async () => {
    const at = (label: string) => captures.find((c) => c.label === label)!.view;
    const madeEntry = (view: any, commitmentId: string) =>
      view.timeline.edges.find(
        (edge: any) => edge.node.type === 'CommitmentMade' && edge.node.commitment.id === commitmentId,
      ).node.commitment;
    expect(madeEntry(at('promised'), 'c-1')).toMatchObject({ status: 'OPEN', fulfilledAt: null });
    expect(madeEntry(at('kept'), 'c-1')).toMatchObject({ status: 'FULFILLED', onTime: true });
    expect(madeEntry(at('promised again'), 'c-2')).toMatchObject({ status: 'OPEN', renegotiations: 0 });
    expect(madeEntry(at('renegotiated'), 'c-2')).toMatchObject({ status: 'OPEN', renegotiations: 1 });
    expect(madeEntry(at('cancelled'), 'c-2')).toMatchObject({ status: 'CANCELLED', renegotiations: 1 });
    expect(at('promised').commitmentStats).toMatchObject({ open: 1, fulfilledOnTime: 0, onTimeRate: null });
    expect(at('kept').commitmentStats).toMatchObject({ open: 0, fulfilledOnTime: 1, onTimeRate: 1 });
    expect(entryTypes(at('promised'))).not.toContain('CommitmentFulfilled');
    expect(at('cadence agreed').cadenceDays).toBe(10);
    expect(at('cancelled').cadenceDays).toBe(30);
    expect(at('proposed')).toMatchObject({ stage: 'PROPOSAL', daysInStage: 0 });
    expect(at('backfilled')).toMatchObject({ stage: 'DISCOVERY', daysInStage: 1 });
  });

  it('answers an account manager asOf only while the account was theirs', async () => {
    const at = (label: string) => captures.find((c) => c.label === label)!.at;
    expect((await folded(at('cadence agreed'), OWNER))?.ownerId).toBe('am-owner');
    expect(await folded(at('cadence agreed'), OTHER_MANAGER)).toBeNull();
    expect(await folded(at('handed over'), OWNER)).toBeNull();
    expect((await folded(at('handed over'), OTHER_MANAGER))?.ownerId).toBe('am-other');
    // Now: the new owner's, from the read model too.
    expect(await stored(Date.now(), OWNER)).toBeNull();
    expect((await stored(Date.now(), OTHER_MANAGER))?.id).toBe(id);
    const integration = await graphql(ACCOUNT_VIEW_QUERY, { id, asOf: iso(Date.now()) }, INTEGRATION);
    expect(integration.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
