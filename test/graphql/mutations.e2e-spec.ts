// Every mutation of the contract over real HTTP: read your own writes, the contract's error codes,
// every bad field listed with nothing written, and roles.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir } from '../support/helpers.js';
import { dataOf, graphqlClient } from './graphql-client.js';

const INTEGRATION = 'i'.repeat(40);
const ADMIN = 'a'.repeat(40);
const OWNER = 'o'.repeat(40);
const OTHER_MANAGER = 'm'.repeat(40);
const LEADER = 'l'.repeat(40);
const DAY = 24 * 60 * 60 * 1000;
const KEYS = `integration:crm:${INTEGRATION},admin:root:${ADMIN},account_manager:am-owner:${OWNER},account_manager:am-other:${OTHER_MANAGER},leader:boss:${LEADER}`;

const ACCOUNT_FIELDS = `id name tier ownerId stage phase cadenceDays touchpointCount lastQualifyingTouchAt
  stageHistory { stage reason lessons } commitmentStats { open overdue fulfilledOnTime fulfilledLate cancelled }
  health { score band }`;

describe('GraphQL mutations', () => {
  let app: NestFastifyApplication;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let graphql: ReturnType<typeof graphqlClient>;
  let seq = 0;
  const newId = (prefix: string) => `${prefix}-${Date.now()}-${(seq += 1)}`;

  beforeAll(async () => {
    dir = await tempDir('graphql-mutations');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: process.env.DBG ?? 'silent',
        AUTH_API_KEYS: KEYS,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  const openAccount = async (input: Record<string, unknown>, key: string | null = INTEGRATION) =>
    graphql(
      `mutation($input: OpenAccountInput!) { openAccount(input: $input) { ${ACCOUNT_FIELDS} } }`,
      { input },
      key,
    );
  const readAccount = async (id: string) =>
    dataOf(await graphql(`query($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`, { id })).account;

  it('opens an account and answers it from the read model; the next query sees it', async () => {
    const id = newId('open');
    const answer = await openAccount({ id, name: 'Globex', tier: 'ENTERPRISE', ownerId: 'am-owner' });
    expect(dataOf(answer).openAccount).toMatchObject({
      id,
      name: 'Globex',
      tier: 'ENTERPRISE',
      stage: 'PROSPECT',
      phase: 'PRE_SALES',
      cadenceDays: 30,
      touchpointCount: 0,
      stageHistory: [{ stage: 'PROSPECT', reason: null, lessons: null }],
    });
    expect(answer.extensions?.readModelLag).toBeUndefined();
    // Read your own writes: no waiting between the mutation and the query.
    expect(await readAccount(id)).toMatchObject({ id, name: 'Globex' });
    // The same account again with the same content changes nothing; different content is refused.
    expect(
      dataOf(await openAccount({ id, name: 'Globex', tier: 'ENTERPRISE', ownerId: 'am-owner' })).openAccount
        .id,
    ).toBe(id);
    const conflict = await openAccount({ id, name: 'Other', tier: 'SMB', ownerId: 'am-owner' });
    expect(conflict.errors?.[0].extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await readAccount(id)).name).toBe('Globex');
  });

  it('moves stages, assigns owners and sets cadence, each visible at once', async () => {
    const id = newId('stage');
    dataOf(await openAccount({ id, name: 'Initech', tier: 'SMB', ownerId: 'am-owner' }));
    const change = (input: Record<string, unknown>, key: string | null = INTEGRATION) =>
      graphql(
        `
          mutation ($input: ChangeStageInput!) {
            changeStage(input: $input) {
              stage
              phase
              stageHistory {
                stage
                reason
                lessons
              }
            }
          }
        `,
        { input },
        key,
      );

    expect(dataOf(await change({ accountId: id, to: 'DISCOVERY' })).changeStage.stage).toBe('DISCOVERY');
    const invalid = await change({ accountId: id, to: 'ACTIVE' });
    expect(invalid.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    const noReason = await change({ accountId: id, to: 'LOST' });
    expect(noReason.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'reason' }],
    });
    const lost = dataOf(
      await change({ accountId: id, to: 'LOST', reason: 'Budget cut', lessons: 'Qualify budget early' }),
    );
    expect(lost.changeStage).toMatchObject({
      stage: 'LOST',
      phase: 'EXITED',
      stageHistory: [
        { stage: 'PROSPECT' },
        { stage: 'DISCOVERY' },
        { stage: 'LOST', reason: 'Budget cut', lessons: 'Qualify budget early' },
      ],
    });
    const lostDeals = dataOf(await graphql('{ lostDeals { accountId reason lessons } }')).lostDeals;
    expect(lostDeals).toContainEqual({
      accountId: id,
      reason: 'Budget cut',
      lessons: 'Qualify budget early',
    });

    const owner = await graphql(
      `
        mutation ($input: AssignOwnerInput!) {
          assignOwner(input: $input) {
            ownerId
          }
        }
      `,
      { input: { accountId: id, ownerId: 'am-other' } },
      INTEGRATION,
    );
    expect(dataOf(owner).assignOwner.ownerId).toBe('am-other');
    const cadence = await graphql(
      `
        mutation ($input: SetCadenceInput!) {
          setCadence(input: $input) {
            cadenceDays
          }
        }
      `,
      { input: { accountId: id, cadenceDays: 7 } },
    );
    expect(dataOf(cadence).setCadence.cadenceDays).toBe(7);
    const back = await graphql(
      `
        mutation ($input: SetCadenceInput!) {
          setCadence(input: $input) {
            cadenceDays
          }
        }
      `,
      { input: { accountId: id, cadenceDays: null } },
    );
    expect(dataOf(back).setCadence.cadenceDays).toBe(90);
    expect(await readAccount(id)).toMatchObject({ ownerId: 'am-other', cadenceDays: 90, stage: 'LOST' });
  });

  it('records touchpoints one by one and in batches, item by item, visible at once', async () => {
    const id = newId('touch');
    dataOf(await openAccount({ id, name: 'Hooli', tier: 'MIDMARKET', ownerId: 'am-owner' }));
    const at = new Date(Date.now() - DAY).toISOString();
    const touchpoint = {
      touchpointId: `${id}-t1`,
      accountId: id,
      occurredAt: at,
      channel: 'CALL',
      direction: 'OUTBOUND',
      pillar: 'DISCOVERY',
      sentiment: 'POSITIVE',
      source: 'manual',
      participants: ['jane@hooli.example'],
    };
    const one = await graphql(
      `
        mutation ($input: TouchpointInput!) {
          recordTouchpoint(input: $input) {
            id
            accountId
            occurredAt
            channel
            pillar
            sentiment
            momentOfTruth
            stage
            participants
            source
          }
        }
      `,
      { input: touchpoint },
      INTEGRATION,
    );
    expect(dataOf(one).recordTouchpoint).toEqual({
      id: `${id}-t1`,
      accountId: id,
      occurredAt: at,
      channel: 'CALL',
      pillar: 'DISCOVERY',
      sentiment: 'POSITIVE',
      momentOfTruth: false,
      stage: 'PROSPECT',
      participants: ['jane@hooli.example'],
      source: 'manual',
    });
    expect(await readAccount(id)).toMatchObject({ touchpointCount: 1, lastQualifyingTouchAt: at });

    const batch = await graphql(
      `
        mutation ($inputs: [TouchpointInput!]!) {
          recordTouchpoints(inputs: $inputs) {
            results {
              index
              touchpointId
              status
              error {
                code
                message
                field
              }
            }
          }
        }
      `,
      {
        inputs: [
          touchpoint,
          { ...touchpoint, touchpointId: `${id}-t2`, channel: 'EMAIL' },
          { ...touchpoint, touchpointId: `${id}-t3`, summary: 'x'.repeat(2001) },
          { ...touchpoint, touchpointId: `${id}-t1`, channel: 'MEETING' },
          { ...touchpoint, touchpointId: `${id}-t4`, accountId: newId('missing') },
        ],
      },
      INTEGRATION,
    );
    const results = dataOf(batch).recordTouchpoints.results;
    expect(results.map((r: any) => [r.index, r.touchpointId, r.status, r.error?.code ?? null])).toEqual([
      [0, `${id}-t1`, 'DUPLICATE', null],
      [1, `${id}-t2`, 'CREATED', null],
      [2, `${id}-t3`, 'REJECTED', 'BAD_USER_INPUT'],
      [3, `${id}-t1`, 'REJECTED', 'IDEMPOTENCY_CONFLICT'],
      [4, `${id}-t4`, 'REJECTED', 'NOT_FOUND'],
    ]);
    expect(results[2].error.field).toBe('summary');
    expect((await readAccount(id)).touchpointCount).toBe(2);

    const tooMany = await graphql(
      `
        mutation ($inputs: [TouchpointInput!]!) {
          recordTouchpoints(inputs: $inputs) {
            results {
              status
            }
          }
        }
      `,
      { inputs: Array.from({ length: 501 }, (_, i) => ({ ...touchpoint, touchpointId: `${id}-many-${i}` })) },
      INTEGRATION,
    );
    expect(tooMany.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'inputs' }],
    });
    expect((await readAccount(id)).touchpointCount).toBe(2);
  });

  it('lists every bad field of an input and writes nothing', async () => {
    const id = newId('bad');
    const answer = await graphql(
      `
        mutation ($input: TouchpointInput!) {
          recordTouchpoint(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          accountId: id,
          occurredAt: new Date(Date.now() + 2 * DAY).toISOString(),
          channel: 'CALL',
          direction: 'OUTBOUND',
          pillar: 'SERVICE',
          source: '',
          summary: 'y'.repeat(2001),
        },
      },
      INTEGRATION,
    );
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (answer.errors?.[0].extensions?.fields ?? []).map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['source', 'summary']));
    const opened = await openAccount({ id: '-bad id-', name: '', tier: 'SMB', ownerId: '', cadenceDays: 0 });
    expect(opened.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((opened.errors?.[0].extensions?.fields ?? []).map((f) => f.path).sort()).toEqual([
      'cadenceDays',
      'id',
      'name',
      'ownerId',
    ]);
    expect(
      dataOf(await graphql('query($id: ID!) { account(id: $id) { id } }', { id: '-bad id-' })).account,
    ).toBeNull();
  });

  it('makes, fulfils, renegotiates and cancels commitments, each answered as it then stands', async () => {
    const id = newId('commit');
    dataOf(await openAccount({ id, name: 'Umbrella', tier: 'STRATEGIC', ownerId: 'am-owner' }));
    const make = (commitmentId: string, dueInDays: number) =>
      graphql(
        `
          mutation ($input: MakeCommitmentInput!) {
            makeCommitment(input: $input) {
              id
              accountId
              title
              status
              dueAt
              renegotiations
              onTime
              fulfilledAt
            }
          }
        `,
        {
          input: {
            commitmentId,
            accountId: id,
            title: `Deliver ${commitmentId}`,
            ownerId: 'am-owner',
            madeAt: new Date(Date.now() - 10 * DAY).toISOString(),
            dueAt: new Date(Date.now() + dueInDays * DAY).toISOString(),
          },
        },
        INTEGRATION,
      );
    expect(dataOf(await make('c1', 5)).makeCommitment).toMatchObject({
      id: 'c1',
      status: 'OPEN',
      renegotiations: 0,
    });
    dataOf(await make('c2', 5));
    dataOf(await make('c3', 5));

    const fulfilled = await graphql(
      `
        mutation ($input: FulfilCommitmentInput!) {
          fulfilCommitment(input: $input) {
            status
            onTime
            fulfilledAt
          }
        }
      `,
      { input: { accountId: id, commitmentId: 'c1' } },
    );
    expect(dataOf(fulfilled).fulfilCommitment).toMatchObject({ status: 'FULFILLED', onTime: true });
    const newDueAt = new Date(Date.now() + 20 * DAY).toISOString();
    const renegotiated = await graphql(
      `
        mutation ($input: RenegotiateCommitmentInput!) {
          renegotiateCommitment(input: $input) {
            status
            dueAt
            renegotiations
          }
        }
      `,
      { input: { accountId: id, commitmentId: 'c2', newDueAt, reason: 'Customer asked for more time' } },
    );
    expect(dataOf(renegotiated).renegotiateCommitment).toEqual({
      status: 'OPEN',
      dueAt: newDueAt,
      renegotiations: 1,
    });
    const cancelled = await graphql(
      `
        mutation ($input: CancelCommitmentInput!) {
          cancelCommitment(input: $input) {
            status
          }
        }
      `,
      { input: { accountId: id, commitmentId: 'c3', reason: 'No longer needed' } },
    );
    expect(dataOf(cancelled).cancelCommitment.status).toBe('CANCELLED');
    expect((await readAccount(id)).commitmentStats).toEqual({
      open: 1,
      overdue: 0,
      fulfilledOnTime: 1,
      fulfilledLate: 0,
      cancelled: 1,
    });
    const again = await graphql(
      `
        mutation ($input: CancelCommitmentInput!) {
          cancelCommitment(input: $input) {
            status
          }
        }
      `,
      { input: { accountId: id, commitmentId: 'c1', reason: 'too late' } },
    );
    expect(again.errors?.[0].extensions?.code).toBeDefined();
    const missing = await graphql(
      `
        mutation ($input: FulfilCommitmentInput!) {
          fulfilCommitment(input: $input) {
            status
          }
        }
      `,
      { input: { accountId: id, commitmentId: 'nope' } },
    );
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('applies roles: leaders may not write, account managers only their own accounts', async () => {
    const id = newId('roles');
    const leader = await openAccount({ id, name: 'Soylent', tier: 'SMB', ownerId: 'boss' }, LEADER);
    expect(leader.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await openAccount({ id, name: 'Soylent', tier: 'SMB', ownerId: 'boss' }, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forOther = await openAccount({ id, name: 'Soylent', tier: 'SMB', ownerId: 'am-other' }, OWNER);
    expect(forOther.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(dataOf(await graphql('query($id: ID!) { account(id: $id) { id } }', { id })).account).toBeNull();

    dataOf(await openAccount({ id, name: 'Soylent', tier: 'SMB', ownerId: 'am-owner' }, OWNER));
    const mine = await graphql(
      `
        mutation ($input: SetCadenceInput!) {
          setCadence(input: $input) {
            cadenceDays
          }
        }
      `,
      { input: { accountId: id, cadenceDays: 10 } },
      OWNER,
    );
    expect(dataOf(mine).setCadence.cadenceDays).toBe(10);
    const notMine = await graphql(
      `
        mutation ($input: SetCadenceInput!) {
          setCadence(input: $input) {
            cadenceDays
          }
        }
      `,
      { input: { accountId: id, cadenceDays: 20 } },
      OTHER_MANAGER,
    );
    expect(notMine.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await readAccount(id)).cadenceDays).toBe(10);
  });
});

describe('GraphQL mutations without a projector', () => {
  it('answer from the event store after the bounded wait, and say so', async () => {
    const dir = await tempDir('graphql-mutations-lag');
    const app = await createApp({
      env: { NODE_ENV: 'test', DATA_DIR: dir.path, LOG_LEVEL: 'silent', AUTH_API_KEYS: KEYS, ROLES: 'api' },
    });
    try {
      const graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), INTEGRATION);
      const answer = await graphql(
        `
          mutation ($input: OpenAccountInput!) {
            openAccount(input: $input) {
              id
              name
              stage
            }
          }
        `,
        { input: { id: 'lagging', name: 'Lagging Ltd', tier: 'SMB', ownerId: 'am-owner' } },
      );
      expect(dataOf(answer).openAccount).toEqual({ id: 'lagging', name: 'Lagging Ltd', stage: 'PROSPECT' });
      expect(answer.extensions?.readModelLag).toMatchObject({
        waitedMs: expect.any(Number),
        position: expect.any(String),
      });
      expect(answer.extensions!.readModelLag.waitedMs).toBeGreaterThanOrEqual(5000);
    } finally {
      await app.close();
      await dir.remove();
    }
  });
});
