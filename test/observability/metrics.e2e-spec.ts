// GET /metrics of a booted app (api and worker roles) after real REST, GraphQL and WebSocket
// traffic: the series exist, carry route patterns and operation names, and count what happened.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { startReceiver, type WebhookReceiver } from '../alert-webhooks/webhook-receiver.js';
import { dataOf, graphqlClient } from '../graphql/graphql-client.js';
import { tempDir, waitFor } from '../support/helpers.js';
import { sample, scrape } from './metrics-text.js';

const ADMIN = 'a'.repeat(40);
const WEBHOOK_SECRET = 'w'.repeat(32);

describe('GET /metrics', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let receiver: WebhookReceiver;
  let app: NestFastifyApplication;
  let base: string;
  let graphql: ReturnType<typeof graphqlClient>;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = await tempDir('metrics');
    // The first delivery fails and is retried (about a second later): both are counted.
    receiver = await startReceiver((n) => (n === 1 ? 503 : 200));
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `admin:root:${ADMIN}`,
        // A token in the query: the metric names the webhook by its position, never by this.
        ALERT_WEBHOOK_URLS: `${receiver.url}?token=receiver-secret-token`,
        ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
    graphql = graphqlClient(base, ADMIN);
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await app?.close();
    await receiver?.close();
    await dir?.remove();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const touchpoint = (accountId: string, extra: Record<string, unknown> = {}) => ({
    touchpointId: `tp-${Math.random().toString(36).slice(2)}`,
    accountId,
    occurredAt: new Date().toISOString(),
    channel: 'CALL',
    direction: 'OUTBOUND',
    pillar: 'SERVICE',
    sentiment: 'POSITIVE',
    source: 'crm',
    ...extra,
  });

  it('is open without METRICS_TOKEN and speaks the Prometheus text format, with the process metrics', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts HTTP requests by route pattern and status, and commands by outcome, with the events appended', async () => {
    const before = await scrape(base);
    const created = (t: string) => sample(t, 'commands_total{type="OpenAccount",outcome="created"}') ?? 0;
    const rejected = (t: string) =>
      sample(t, 'commands_total{type="RecordTouchpoint",outcome="rejected"}') ?? 0;
    const opened = (t: string) => sample(t, 'events_appended_total{type="AccountOpened"}') ?? 0;

    expect(
      (await post('/v1/accounts', { accounts: [{ id: 'm-1', name: 'M', tier: 'SMB', ownerId: 'am-1' }] }))
        .status,
    ).toBe(200);
    // A touchpoint of an account that does not exist: decided, and rejected.
    const refused = await post('/v1/touchpoints', { touchpoints: [touchpoint('m-missing')] });
    expect(refused.status).toBe(200);
    expect(((await refused.json()) as { results: Array<{ status: string }> }).results[0].status).toBe(
      'rejected',
    );
    expect((await post('/v1/accounts/m-1/stage', { to: 'DISCOVERY' })).status).toBe(200);

    const after = await scrape(base);
    expect(created(after)).toBe(created(before) + 1);
    expect(rejected(after)).toBe(rejected(before) + 1);
    expect(opened(after)).toBe(opened(before) + 1);
    expect(
      sample(after, 'http_requests_total{method="POST",route="/v1/accounts",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, 'http_request_duration_seconds_count{method="POST",route="/v1/accounts",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    // The pattern, not the URL: no account id in a label.
    expect(
      sample(after, 'http_requests_total{method="POST",route="/v1/accounts/:accountId/stage",status="200"}'),
    ).toBe(1);
    expect(after).not.toContain('route="/v1/accounts/m-1/stage"');

    expect((await fetch(`${base}/v1/nowhere/42`)).status).toBe(404);
    const unmatched = await scrape(base);
    expect(
      sample(unmatched, 'http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(unmatched).not.toContain('/v1/nowhere/42');
  });

  it('counts GraphQL operations by type, name and outcome', async () => {
    dataOf(await graphql('query PortfolioPage { accounts(first: 5) { totalCount } }'));
    const bad = await graphql('query Broken { noSuchField }');
    expect(bad.errors?.length).toBeGreaterThan(0);
    dataOf(
      await graphql('mutation OpenOne($input: OpenAccountInput!) { openAccount(input: $input) { id } }', {
        input: { id: 'm-2', name: 'M2', tier: 'MIDMARKET', ownerId: 'am-1' },
      }),
    );
    const text = await scrape(base);
    expect(
      sample(
        text,
        'graphql_operations_total{operation_type="query",operation_name="PortfolioPage",outcome="success"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'graphql_operations_total{operation_type="mutation",operation_name="OpenOne",outcome="success"}',
      ),
    ).toBe(1);
    // Refused at validation: counted as an error, before its operation could be told.
    expect(
      sample(
        text,
        'graphql_operations_total{operation_type="unknown",operation_name="unknown",outcome="error"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'graphql_operation_duration_seconds_count{operation_type="mutation",operation_name="OpenOne",outcome="success"}',
      ),
    ).toBe(1);
    expect(sample(text, 'commands_total{type="OpenAccount",outcome="created"}')).toBeGreaterThanOrEqual(2);
    expect(
      sample(text, 'http_requests_total{method="POST",route="/graphql",status="200"}'),
    ).toBeGreaterThanOrEqual(2);
  });

  it('reports every projection’s checkpoint and lag, and alerts raised and delivered by kind and webhook', async () => {
    await post('/v1/accounts', {
      accounts: [{ id: 'm-3', name: 'M3', tier: 'ENTERPRISE', ownerId: 'am-1' }],
    });
    const negative = {
      channel: 'SUPPORT_TICKET',
      direction: 'INBOUND',
      sentiment: 'NEGATIVE',
      momentOfTruth: true,
    };
    expect((await post('/v1/touchpoints', { touchpoints: [touchpoint('m-3', negative)] })).status).toBe(200);

    let text = '';
    await waitFor(
      async () => {
        text = await scrape(base);
        return (
          (sample(text, 'alerts_raised_total{kind="NEGATIVE_MOMENT_OF_TRUTH"}') ?? 0) >= 1 &&
          (sample(text, 'alert_webhook_deliveries_total{webhook="1",outcome="delivered"}') ?? 0) >= 1 &&
          sample(text, 'projection_lag_events{projection="alerts-read-model"}') === 0 &&
          sample(text, 'projection_lag_events{projection="account-read-model"}') === 0 &&
          sample(text, 'projection_lag_events{projection="alert-policy"}') === 0
        );
      },
      20_000,
      'the alert to be raised, delivered and projected',
    );
    expect(sample(text, 'alerts_raised_total{kind="NEGATIVE_MOMENT_OF_TRUTH"}')).toBe(1);
    expect(sample(text, 'commands_total{type="RaiseAlert",outcome="created"}')).toBe(1);
    expect(sample(text, 'events_appended_total{type="AlertRaised"}')).toBe(1);
    for (const projection of ['account-read-model', 'alerts-read-model', 'alert-policy']) {
      expect(
        sample(text, `projection_checkpoint_commit_position{projection="${projection}"}`),
      ).toBeGreaterThan(0);
      expect(sample(text, `projection_events_applied{projection="${projection}"}`)).toBeGreaterThan(0);
    }
    expect(sample(text, 'alert_webhook_deliveries_total{webhook="1",outcome="failed"}')).toBe(1);
    expect(sample(text, 'alert_webhook_deliveries_total{webhook="1",outcome="delivered"}')).toBe(1);
    expect(text).not.toContain('receiver-secret-token');
    expect(text).not.toContain(receiver.url);
  });

  it('counts open riskAlerts subscriptions, back to none when they end', async () => {
    const subscribers = async () => sample(await scrape(base), 'risk_alert_subscribers');
    expect(await subscribers()).toBe(0);
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${ADMIN}` },
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    const stop = client.subscribe(
      { query: 'subscription { riskAlerts { type cursor } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await waitFor(async () => (await subscribers()) === 1, 10_000, 'the subscription to be counted');
    stop();
    await waitFor(async () => (await subscribers()) === 0, 10_000, 'the subscription to end');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const TOKEN = 'scrape-token-0123456789abcdef';
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    dir = await tempDir('metrics-token');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `admin:root:${ADMIN}`,
        METRICS_TOKEN: TOKEN,
      },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it.each([
    ['no credentials', {}],
    ['another token', { authorization: `Bearer ${TOKEN}x` }],
    ['an API key of AUTH_API_KEYS', { authorization: `Bearer ${ADMIN}` }],
    ['the token in X-Api-Key', { 'x-api-key': TOKEN }],
    ['the token without the Bearer scheme', { authorization: TOKEN }],
  ])('refuses %s with 401', async (_what, headers) => {
    const res = await fetch(`${base}/metrics`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const body = await res.text();
    expect(body).not.toContain('process_cpu');
    expect(body).not.toContain(TOKEN);
  });

  it('answers the metrics to Authorization: Bearer <METRICS_TOKEN>', async () => {
    const text = await scrape(base, TOKEN);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});
