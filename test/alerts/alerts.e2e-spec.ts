// Risk alerts over real HTTP (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): account facts
// raise and resolve alerts through the alert policy, people acknowledge and resolve them by role,
// the list filters and pages, and the account view shows its open alerts and their health cost.
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { RecordCommitmentMissedCommand, SYSTEM_PRINCIPAL } from '#account-commands';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from '../graphql/graphql-client.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { waitFor } from '../support/helpers.js';

const ADMIN = 'a'.repeat(40);
const LEADER = 'l'.repeat(40);
const AM_1 = '1'.repeat(40);
const AM_2 = '2'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const KEYS = [
  `admin:root:${ADMIN}`,
  `leader:lead:${LEADER}`,
  `account_manager:am-1:${AM_1}`,
  `account_manager:am-2:${AM_2}`,
  `integration:crm:${INTEGRATION}`,
].join(',');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const ALERT_FIELDS = `id kind severity status accountId accountName ownerId tier title detail raisedAt
  acknowledgedAt acknowledgedBy resolvedAt resolution`;
const ALERTS = `query($filter: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ALERT_FIELDS} } }
  }
}`;
const ACKNOWLEDGE = `mutation($id: ID!, $note: String) { acknowledgeAlert(id: $id, note: $note) { ${ALERT_FIELDS} } }`;
const RESOLVE = `mutation($id: ID!, $reason: String!) { resolveAlert(id: $id, reason: $reason) { ${ALERT_FIELDS} } }`;
const ACCOUNT_ALERTS = `query($id: ID!, $asOf: DateTime) {
  account(id: $id, asOf: $asOf) {
    openAlerts { id kind status severity accountName }
    health { score factors { name points detail } }
  }
}`;

type Alert = Record<string, any>;

describe.each(DATABASE_TARGETS)('risk alerts on $name', (target) => {
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
        // The deadline monitor stays out of the way: the test records what it would.
        RISK_SCAN_INTERVAL_MS: String(DAY),
        ...database.env,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);
    for (const [id, name, tier, ownerId] of [
      ['acme', 'Acme', 'STRATEGIC', 'am-1'],
      ['globex', 'Globex', 'ENTERPRISE', 'am-2'],
      ['initech', 'Initech', 'SMB', 'am-1'],
    ]) {
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
            input: { id, name, tier, ownerId },
          },
        ),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const touch = (accountId: string, id: string, fields: Record<string, unknown>) =>
    graphql(
      `
        mutation ($input: TouchpointInput!) {
          recordTouchpoint(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          touchpointId: id,
          accountId,
          occurredAt: new Date().toISOString(),
          channel: 'CALL',
          direction: 'INBOUND',
          pillar: 'SERVICE',
          source: 'test',
          ...fields,
        },
      },
      INTEGRATION,
    ).then(dataOf);
  const list = async (filter: Record<string, unknown> = {}, key = ADMIN, first = 50): Promise<Alert[]> =>
    dataOf(await graphql(ALERTS, { filter, first }, key)).alerts.edges.map((e: { node: Alert }) => e.node);
  /** The alert policy reacts asynchronously: ask again until `test` holds. */
  const eventually = async (filter: Record<string, unknown>, test: (alerts: Alert[]) => boolean) => {
    let last: Alert[] = [];
    await waitFor(
      async () => test((last = await list(filter))),
      10_000,
      `alerts matching ${JSON.stringify(filter)}`,
    );
    return last;
  };
  const missCommitment = async (accountId: string, commitmentId: string, title: string) => {
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
            commitmentId,
            accountId,
            title,
            ownerId: 'am-1',
            madeAt: new Date(Date.now() - 5 * DAY).toISOString(),
            dueAt: new Date(Date.now() - DAY).toISOString(),
          },
        },
        INTEGRATION,
      ),
    );
    // The system records the miss (the deadline monitor does it in production).
    const result = await app.get(CommandBus).execute(
      new RecordCommitmentMissedCommand({ accountId, commitmentId } as never, {
        principal: SYSTEM_PRINCIPAL,
        correlationId: 'test',
        causationId: 'test',
      }),
    );
    expect(result.results[0].status).toBe('created');
  };

  let badMoment: Alert;
  let missedAcme: Alert;
  let missedGlobex: Alert;
  let raisedGlobexAt: Date;

  it('raises NEGATIVE_MOMENT_OF_TRUTH at once; an internal note leaves it open; a positive touch resolves it', async () => {
    await touch('acme', 'acme-outage', {
      sentiment: 'NEGATIVE',
      momentOfTruth: true,
      summary: 'Production down for two hours',
      occurredAt: new Date(Date.now() - 2 * HOUR).toISOString(),
    });
    [badMoment] = await eventually(
      { accountId: 'acme', kinds: ['NEGATIVE_MOMENT_OF_TRUTH'] },
      (a) => a.length === 1,
    );
    expect(badMoment).toMatchObject({
      kind: 'NEGATIVE_MOMENT_OF_TRUTH',
      severity: 'HIGH',
      status: 'OPEN',
      accountId: 'acme',
      accountName: 'Acme',
      ownerId: 'am-1',
      tier: 'STRATEGIC',
      title: 'A bad moment of truth (CALL)',
      detail: 'Production down for two hours',
      acknowledgedAt: null,
      resolvedAt: null,
      resolution: null,
    });

    await touch('acme', 'acme-note', {
      sentiment: 'POSITIVE',
      channel: 'INTERNAL_NOTE',
      direction: 'INTERNAL',
    });
    // The policy takes events in order: once a later bad moment has raised its alert, it has seen the note.
    await touch('initech', 'initech-outage', { sentiment: 'NEGATIVE', momentOfTruth: true });
    await eventually({ accountId: 'initech' }, (a) => a.length === 1);
    expect((await list({ accountId: 'acme' }))[0]).toMatchObject({ id: badMoment.id, status: 'OPEN' });

    await touch('acme', 'acme-thanks', { sentiment: 'POSITIVE', direction: 'OUTBOUND' });
    const [resolved] = await eventually({ accountId: 'acme', statuses: ['RESOLVED'] }, (a) => a.length === 1);
    expect(resolved).toMatchObject({
      id: badMoment.id,
      status: 'RESOLVED',
      resolution: 'AUTO: A later qualifying touch was positive',
    });
    expect(resolved.resolvedAt).not.toBeNull();
  });

  it('raises COMMITMENT_MISSED with the tier’s severity; fulfilling it late resolves it', async () => {
    await missCommitment('globex', 'globex-proposal', 'Send the proposal');
    await missCommitment('acme', 'acme-plan', 'Share the rollout plan');
    [missedGlobex] = await eventually(
      { kinds: ['COMMITMENT_MISSED'], accountId: 'globex' },
      (a) => a.length === 1,
    );
    [missedAcme] = await eventually(
      { kinds: ['COMMITMENT_MISSED'], accountId: 'acme' },
      (a) => a.length === 1,
    );
    raisedGlobexAt = new Date();
    expect(missedGlobex).toMatchObject({
      severity: 'HIGH',
      status: 'OPEN',
      tier: 'ENTERPRISE',
      ownerId: 'am-2',
      title: 'Missed "Send the proposal"',
    });
    expect(missedAcme).toMatchObject({ severity: 'CRITICAL', title: 'Missed "Share the rollout plan"' });

    // Its health pays for it, and the account lists it.
    const view = dataOf(await graphql(ACCOUNT_ALERTS, { id: 'globex' })).account;
    expect(view.openAlerts).toEqual([
      {
        id: missedGlobex.id,
        kind: 'COMMITMENT_MISSED',
        status: 'OPEN',
        severity: 'HIGH',
        accountName: 'Globex',
      },
    ]);
    expect(view.health.factors.find((f: { name: string }) => f.name === 'openAlerts')).toMatchObject({
      points: 5,
      detail: expect.stringContaining('1 open HIGH or CRITICAL alert'),
    });

    dataOf(
      await graphql(
        `
          mutation ($input: FulfilCommitmentInput!) {
            fulfilCommitment(input: $input) {
              status
            }
          }
        `,
        { input: { accountId: 'globex', commitmentId: 'globex-proposal' } },
        INTEGRATION,
      ),
    );
    const [resolved] = await eventually(
      { kinds: ['COMMITMENT_MISSED'], accountId: 'globex', statuses: ['RESOLVED'] },
      (a) => a.length === 1,
    );
    expect(resolved.resolution).toBe('AUTO: The commitment was fulfilled late');
    const after = dataOf(await graphql(ACCOUNT_ALERTS, { id: 'globex' })).account;
    expect(after.openAlerts).toEqual([]);
    expect(after.health.factors.find((f: { name: string }) => f.name === 'openAlerts').points).toBe(10);

    // As of the moment it was open, the account showed it, folded from the alert's stream.
    const then = dataOf(
      await graphql(ACCOUNT_ALERTS, { id: 'globex', asOf: raisedGlobexAt.toISOString() }),
    ).account;
    expect(then.openAlerts).toEqual([
      {
        id: missedGlobex.id,
        kind: 'COMMITMENT_MISSED',
        status: 'OPEN',
        severity: 'HIGH',
        accountName: 'Globex',
      },
    ]);
    expect(then.health.factors.find((f: { name: string }) => f.name === 'openAlerts').points).toBe(5);
  });

  it('lets account managers acknowledge and resolve their own accounts’ alerts, leaders any, integrations none', async () => {
    const codeOf = (answer: GraphQLAnswer) => answer.errors?.[0]?.extensions?.code;
    // Another owner's alert is as good as missing; integrations may not touch alerts.
    expect(codeOf(await graphql(ACKNOWLEDGE, { id: missedAcme.id }, AM_2))).toBe('NOT_FOUND');
    expect(codeOf(await graphql(ACKNOWLEDGE, { id: missedAcme.id }, INTEGRATION))).toBe('FORBIDDEN');
    expect(codeOf(await graphql(RESOLVE, { id: missedAcme.id, reason: 'no' }, INTEGRATION))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await graphql(ACKNOWLEDGE, { id: 'no-such-alert' }, LEADER))).toBe('NOT_FOUND');

    const acknowledged = dataOf(
      await graphql(ACKNOWLEDGE, { id: missedAcme.id, note: 'calling them' }, AM_1),
    ).acknowledgeAlert;
    expect(acknowledged).toMatchObject({ id: missedAcme.id, status: 'ACKNOWLEDGED', acknowledgedBy: 'am-1' });
    expect(acknowledged.acknowledgedAt).not.toBeNull();
    // Read your own writes: the next query shows it without waiting.
    expect((await list({ accountId: 'acme', kinds: ['COMMITMENT_MISSED'] }, AM_1))[0].status).toBe(
      'ACKNOWLEDGED',
    );

    const blank = await graphql(RESOLVE, { id: missedAcme.id, reason: '  ' }, LEADER);
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0]?.extensions?.fields).toEqual([{ path: 'reason', message: 'must not be blank' }]);
    expect((await list({ accountId: 'acme', kinds: ['COMMITMENT_MISSED'] }))[0].status).toBe('ACKNOWLEDGED');

    const resolved = dataOf(
      await graphql(RESOLVE, { id: missedAcme.id, reason: 'Plan shared on a call' }, LEADER),
    ).resolveAlert;
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      acknowledgedBy: 'am-1',
      resolution: 'MANUAL by lead: Plan shared on a call',
    });
    expect(codeOf(await graphql(ACKNOWLEDGE, { id: missedAcme.id }, LEADER))).toBe('CONFLICT');

    // An account manager resolves an alert of their own account.
    const initech = (await list({ accountId: 'initech' }))[0];
    expect(
      dataOf(await graphql(RESOLVE, { id: initech.id, reason: 'Fixed' }, AM_1)).resolveAlert,
    ).toMatchObject({
      status: 'RESOLVED',
      resolution: 'MANUAL by am-1: Fixed',
    });
  });

  it('filters by every field of AlertFilter and pages newest first', async () => {
    await touch('initech', 'initech-again', { sentiment: 'NEGATIVE', momentOfTruth: true, channel: 'CHAT' });
    const [reopened] = await eventually({ accountId: 'initech', statuses: ['OPEN'] }, (a) => a.length === 1);
    const initech = await list({ accountId: 'initech', statuses: ['RESOLVED'] });
    const all = await list();
    expect(all.map((a) => a.id).sort()).toEqual(
      [badMoment.id, missedAcme.id, missedGlobex.id, initech[0].id, reopened.id].sort(),
    );
    const newestFirst = [...all].sort(
      (a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || (a.id < b.id ? 1 : -1),
    );
    expect(all.map((a) => a.id)).toEqual(newestFirst.map((a) => a.id));

    const cases: Array<[Record<string, unknown>, (a: Alert) => boolean]> = [
      [{ statuses: ['RESOLVED'] }, (a) => a.status === 'RESOLVED'],
      [{ statuses: ['OPEN', 'ACKNOWLEDGED'] }, (a) => a.status !== 'RESOLVED'],
      [{ kinds: ['NEGATIVE_MOMENT_OF_TRUTH'] }, (a) => a.kind === 'NEGATIVE_MOMENT_OF_TRUTH'],
      [{ minSeverity: 'CRITICAL' }, (a) => a.severity === 'CRITICAL'],
      [{ minSeverity: 'HIGH' }, (a) => ['HIGH', 'CRITICAL'].includes(a.severity)],
      [{ accountId: 'globex' }, (a) => a.accountId === 'globex'],
      [{ ownerId: 'am-1' }, (a) => a.ownerId === 'am-1'],
      [{ tiers: ['SMB', 'ENTERPRISE'] }, (a) => ['SMB', 'ENTERPRISE'].includes(a.tier)],
      [
        { ownerId: 'am-1', kinds: ['COMMITMENT_MISSED'] },
        (a) => a.ownerId === 'am-1' && a.kind === 'COMMITMENT_MISSED',
      ],
    ];
    for (const [filter, keep] of cases) {
      const expected = all.filter(keep).map((a) => a.id);
      expect(expected.length).toBeGreaterThan(0);
      const answer = dataOf(await graphql(ALERTS, { filter })).alerts;
      expect([filter, answer.edges.map((e: { node: Alert }) => e.node.id)]).toEqual([filter, expected]);
      expect(answer.totalCount).toBe(expected.length);
    }

    // Pages of one: every alert once, in order, with the total on each page.
    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer: any = dataOf(await graphql(ALERTS, { first: 1, after })).alerts;
      expect(answer.totalCount).toBe(all.length);
      walked.push(...answer.edges.map((e: { node: Alert }) => e.node.id));
      if (!answer.pageInfo.hasNextPage) break;
      after = answer.pageInfo.endCursor;
    }
    expect(walked).toEqual(all.map((a) => a.id));
    expect((await graphql(ALERTS, { after: 'not-a-cursor' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'after', message: 'is not a cursor this field returned' }],
    });
    expect((await graphql(ALERTS, { first: 201 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("never shows an account manager another owner's alerts, and integrations none", async () => {
    const mine = await list({}, AM_1);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.ownerId === 'am-1')).toBe(true);
    expect(await list({ ownerId: 'am-2' }, AM_1)).toEqual([]);
    expect(await list({ accountId: 'globex' }, AM_1)).toEqual([]);
    expect((await list({}, AM_2)).map((a) => a.accountId)).toEqual(['globex']);
    expect((await graphql(ALERTS, {}, INTEGRATION)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows open alerts on the account and in its health', async () => {
    await touch('globex', 'globex-escalation', {
      sentiment: 'NEGATIVE',
      momentOfTruth: true,
      channel: 'SUPPORT_TICKET',
    });
    const [open] = await eventually(
      { accountId: 'globex', statuses: ['OPEN'] },
      (a) => a.length === 1 && a[0].kind === 'NEGATIVE_MOMENT_OF_TRUTH',
    );
    const view = dataOf(await graphql(ACCOUNT_ALERTS, { id: 'globex' }, AM_2)).account;
    expect(view.openAlerts.map((a: Alert) => a.id)).toEqual([open.id]);
    expect(view.health.factors.find((f: { name: string }) => f.name === 'openAlerts').points).toBe(5);
    // The portfolio sorts and filters by the same health.
    const portfolio = dataOf(
      await graphql(`
        {
          accounts(filter: { nameContains: "Globex" }) {
            edges {
              node {
                id
                health {
                  score
                }
              }
            }
          }
        }
      `),
    ).accounts.edges;
    expect(portfolio[0].node.health.score).toBe(view.health.score);
  });
});
