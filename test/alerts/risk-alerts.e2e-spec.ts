// riskAlerts over a real WebSocket (graphql-transport-ws) against the booted app: live
// notifications from the deadline monitor and the alert policy, resuming with `since` without
// losing or repeating one, filters and roles, and refusals at connection_init and subscribe.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { dataOf, graphqlClient } from '../graphql/graphql-client.js';
import { tempDir, waitFor } from '../support/helpers.js';

const ADMIN = 'a'.repeat(40);
const LEADER = 'l'.repeat(40);
const OWNER = 'o'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const KEYS = `admin:root:${ADMIN},leader:boss:${LEADER},account_manager:am-1:${OWNER},integration:crm:${INTEGRATION}`;
const SCAN_MS = 300;

type Notification = {
  type: string;
  cursor: string;
  alert: { id: string; kind: string; severity: string; status: string; accountId: string; ownerId: string };
};

const SUBSCRIBE = `subscription($filter: AlertFilter, $since: String) {
  riskAlerts(filter: $filter, since: $since) { type cursor alert { id kind severity status accountId ownerId } }
}`;

describe('riskAlerts subscription', () => {
  let app: NestFastifyApplication;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let base: string;
  let graphql: ReturnType<typeof graphqlClient>;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = await tempDir('risk-alerts');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        RISK_SCAN_INTERVAL_MS: String(SCAN_MS),
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
    graphql = graphqlClient(base, ADMIN);
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await app?.close();
    await dir?.remove();
  });

  const connect = (key: string | null) => {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: key ? { authorization: `Bearer ${key}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };

  /** Collects notifications; resolves `errored` if the server refuses. */
  const subscribe = (client: Client, variables: Record<string, unknown> = {}) => {
    const received: Notification[] = [];
    let failure: unknown;
    const stop = client.subscribe<{ riskAlerts: Notification }>(
      { query: SUBSCRIBE, variables },
      {
        next: (value) => {
          if (value.data) received.push(value.data.riskAlerts);
          if (value.errors) failure = value.errors;
        },
        error: (error) => (failure = error),
        complete: () => undefined,
      },
    );
    return { received, stop, failure: () => failure };
  };

  const openAccount = async (id: string, tier: string, ownerId: string, openedAt?: string) =>
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
          input: { id, name: id, tier, ownerId, ...(openedAt ? { openedAt } : {}) },
        },
      ),
    );
  const touch = async (accountId: string, touchpointId: string, fields: Record<string, unknown>) =>
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
            touchpointId,
            accountId,
            occurredAt: new Date().toISOString(),
            pillar: 'ENGAGEMENT',
            source: 'manual',
            ...fields,
          },
        },
      ),
    );
  const alertStatus = async (alertId: string) =>
    (
      dataOf(
        await graphql(`
          {
            alerts(filter: { statuses: [OPEN, ACKNOWLEDGED, RESOLVED] }, first: 200) {
              edges {
                node {
                  id
                  status
                  severity
                  resolution
                }
              }
            }
          }
        `),
      ).alerts.edges as Array<{ node: { id: string } }>
    ).find((edge) => edge.node.id === alertId)?.node;
  const badMoment = async (accountId: string, touchpointId: string) =>
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
            touchpointId,
            accountId,
            occurredAt: new Date().toISOString(),
            channel: 'SUPPORT_TICKET',
            direction: 'INBOUND',
            pillar: 'SERVICE',
            sentiment: 'NEGATIVE',
            momentOfTruth: true,
            source: 'zendesk',
          },
        },
      ),
    );

  it('notifies COMMITMENT_MISSED within the scan interval, with the tier’s severity, and its resolution', async () => {
    await openAccount('strategic-1', 'STRATEGIC', 'am-1');
    const leader = subscribe(connect(LEADER), { filter: { accountId: 'strategic-1' } });
    await waitFor(() => leader.failure() === undefined, 200).catch(() => undefined);
    const dueAt = Date.now() + 2000;
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
            commitmentId: 'c-due',
            accountId: 'strategic-1',
            title: 'Send the SOW',
            ownerId: 'am-1',
            dueAt: new Date(dueAt).toISOString(),
          },
        },
      ),
    );
    await waitFor(
      () => leader.received.some((n) => n.alert.kind === 'COMMITMENT_MISSED'),
      15_000,
      'the miss',
    );
    const missed = leader.received.find((n) => n.alert.kind === 'COMMITMENT_MISSED')!;
    expect(missed).toMatchObject({
      type: 'RAISED',
      alert: { severity: 'CRITICAL', status: 'OPEN', accountId: 'strategic-1' },
    });
    // Arrived within the scan interval plus a margin after the due instant.
    expect(Date.now() - dueAt).toBeLessThan(SCAN_MS + 5000);

    dataOf(
      await graphql(
        `
          mutation ($input: FulfilCommitmentInput!) {
            fulfilCommitment(input: $input) {
              status
            }
          }
        `,
        {
          input: { accountId: 'strategic-1', commitmentId: 'c-due' },
        },
      ),
    );
    await waitFor(
      () => leader.received.some((n) => n.type === 'RESOLVED' && n.alert.id === missed.alert.id),
      15_000,
      'the resolution',
    );
  });

  it('raises ACCOUNT_SILENT for a backdated ENTERPRISE account; an internal note leaves it open, a qualifying touch resolves it', async () => {
    const leader = subscribe(connect(LEADER), {
      filter: { kinds: ['ACCOUNT_SILENT'], tiers: ['ENTERPRISE'] },
    });
    // ENTERPRISE cadence: 30 days. Opened 40 days ago without a touch: silent now.
    await openAccount('quiet-1', 'ENTERPRISE', 'am-1', new Date(Date.now() - 40 * 86_400_000).toISOString());
    await waitFor(
      () => leader.received.some((n) => n.alert.accountId === 'quiet-1' && n.type === 'RAISED'),
      15_000,
      'the silence',
    );
    const raised = leader.received.find((n) => n.alert.accountId === 'quiet-1')!;
    expect(raised.alert).toMatchObject({ kind: 'ACCOUNT_SILENT', severity: 'MEDIUM', status: 'OPEN' });

    await touch('quiet-1', 'note-1', {
      channel: 'INTERNAL_NOTE',
      direction: 'INTERNAL',
      sentiment: 'POSITIVE',
      summary: 'Called their office, nobody answered',
    });
    // Two scans and the policy later, the note has changed nothing.
    await new Promise((resolve) => setTimeout(resolve, 3 * SCAN_MS + 500));
    expect(await alertStatus(raised.alert.id)).toMatchObject({ status: 'OPEN' });

    await touch('quiet-1', 'call-1', { channel: 'CALL', direction: 'OUTBOUND', sentiment: 'NEUTRAL' });
    await waitFor(
      () => leader.received.some((n) => n.alert.id === raised.alert.id && n.type === 'RESOLVED'),
      15_000,
      'the resolution',
    );
    expect(await alertStatus(raised.alert.id)).toMatchObject({
      status: 'RESOLVED',
      resolution: 'AUTO: The account re-engaged',
    });
    expect(leader.received.filter((n) => n.alert.id === raised.alert.id).map((n) => n.type)).toEqual([
      'RAISED',
      'RESOLVED',
    ]);
  });

  it('escalates ACCOUNT_SILENT one step for an account silent for twice its cadence', async () => {
    const leader = subscribe(connect(LEADER), { filter: { accountId: 'quiet-2' } });
    await openAccount('quiet-2', 'ENTERPRISE', 'am-1', new Date(Date.now() - 70 * 86_400_000).toISOString());
    await waitFor(() => leader.received.some((n) => n.type === 'ESCALATED'), 15_000, 'the escalation');
    const silent = leader.received.filter((n) => n.alert.kind === 'ACCOUNT_SILENT');
    expect(silent.map((n) => n.type)).toEqual(['RAISED', 'ESCALATED']);
    expect(silent[1].alert).toMatchObject({ severity: 'HIGH', status: 'OPEN' });
  });

  it('notifies a negative moment of truth as soon as it is recorded', async () => {
    await openAccount('moment-1', 'SMB', 'am-1');
    const leader = subscribe(connect(LEADER), { filter: { accountId: 'moment-1' } });
    await waitFor(() => leader.failure() === undefined, 200).catch(() => undefined);
    await badMoment('moment-1', 'outage-1');
    await waitFor(() => leader.received.length === 1, 15_000, 'the alert');
    expect(leader.received[0]).toMatchObject({
      type: 'RAISED',
      alert: { kind: 'NEGATIVE_MOMENT_OF_TRUTH', severity: 'HIGH', accountId: 'moment-1' },
    });
  });

  it('gives a subscriber back exactly the notifications it missed, then live ones', async () => {
    await openAccount('resume-1', 'SMB', 'am-1');
    const first = subscribe(connect(LEADER), { filter: { accountId: 'resume-1' } });
    await badMoment('resume-1', 'bad-0');
    await waitFor(() => first.received.length === 1, 15_000, 'the first alert');
    const cursor = first.received[0].cursor;
    first.stop();

    for (const id of ['bad-1', 'bad-2', 'bad-3']) await badMoment('resume-1', id);
    // Let the three reach the feed while nobody listens.
    await waitFor(
      async () => {
        const list = dataOf(
          await graphql(`
            {
              alerts(filter: { accountId: "resume-1" }) {
                totalCount
              }
            }
          `),
        );
        return list.alerts.totalCount === 4;
      },
      15_000,
      'four alerts',
    );

    const again = subscribe(connect(LEADER), { filter: { accountId: 'resume-1' }, since: cursor });
    await waitFor(() => again.received.length === 3, 15_000, 'the three missed');
    await badMoment('resume-1', 'bad-4');
    await waitFor(() => again.received.length === 4, 15_000, 'a live one');
    expect(again.received.map((n) => n.type)).toEqual(['RAISED', 'RAISED', 'RAISED', 'RAISED']);
    expect(new Set(again.received.map((n) => n.alert.id)).size).toBe(4);
    expect(again.received.map((n) => n.alert.id)).not.toContain(first.received[0].alert.id);
  });

  it('shows an account manager their own accounts’ alerts only', async () => {
    await openAccount('mine-1', 'MIDMARKET', 'am-1');
    await openAccount('theirs-1', 'MIDMARKET', 'am-2');
    const manager = subscribe(connect(OWNER));
    const leader = subscribe(connect(LEADER), {
      filter: { kinds: ['NEGATIVE_MOMENT_OF_TRUTH'], tiers: ['MIDMARKET'] },
    });
    await badMoment('theirs-1', 'theirs-bad');
    await badMoment('mine-1', 'mine-bad');
    await waitFor(() => leader.received.length === 2, 15_000, 'both alerts for the leader');
    await waitFor(() => manager.received.length >= 1, 15_000, 'the manager’s alert');
    expect(manager.received.every((n) => n.alert.ownerId === 'am-1')).toBe(true);
    expect(manager.received.map((n) => n.alert.accountId)).toEqual(['mine-1']);
  });

  it('refuses connections without credentials or without an alerts role', async () => {
    for (const key of [null, 'x'.repeat(40), INTEGRATION]) {
      const refused = subscribe(connect(key));
      await waitFor(() => refused.failure() !== undefined, 10_000, 'a refusal');
      expect(refused.received).toEqual([]);
    }
  });

  it('refuses queries, invalid documents and over-nested text over WebSocket, naming the rule', async () => {
    const client = connect(LEADER);
    const refusal = (query: string) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(
          { query },
          {
            next: (value) => resolve(value.errors ?? { unexpectedData: value.data }),
            error: (error) => resolve(error),
            complete: () => undefined,
          },
        );
      });
    const query = (await refusal('{ alerts { totalCount } }')) as Array<{ message: string }>;
    expect(query[0].message).toMatch(/Only subscriptions are served over WebSocket; send a query over HTTP/);
    const invalid = (await refusal('subscription { riskAlerts { nope } }')) as Array<{ message: string }>;
    expect(invalid[0].message).toMatch(/Cannot query field "nope"/);
    const nested = `subscription { riskAlerts ${'{ alert '.repeat(70)}${'}'.repeat(70)} }`;
    const tooNested = (await refusal(nested)) as Array<{ message: string; extensions?: { code?: string } }>;
    expect(tooNested[0].message).toMatch(/nests braces, brackets or parentheses more than 64 levels deep/);
    expect(tooNested[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a made-up cursor at subscribe time', async () => {
    const bad = subscribe(connect(LEADER), { since: 'bm90LWEtY3Vyc29y' });
    await waitFor(() => bad.failure() !== undefined, 10_000, 'a refusal');
    expect(JSON.stringify(bad.failure())).toContain('since');
  });
});
