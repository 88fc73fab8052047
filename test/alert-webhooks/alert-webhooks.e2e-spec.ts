// Alert webhooks in the booted app (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): a bad
// moment of truth recorded over GraphQL raises an alert whose notification reaches the configured
// receiver, signed, and acknowledging the alert sends the next one.
import { eq } from 'drizzle-orm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { verifyWebhookSignature, type AlertWebhookPayload } from '#alert-webhooks';
import { ReadModelDatabase, webhookCursors } from '#read-model';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { dataOf, graphqlClient, type GraphQLAnswer } from '../graphql/graphql-client.js';
import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { waitFor } from '../support/helpers.js';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './webhook-receiver.js';

const ADMIN = 'a'.repeat(40);
const INTEGRATION = 'i'.repeat(40);
const KEYS = [`admin:root:${ADMIN}`, `integration:crm:${INTEGRATION}`].join(',');
const SECRET = 'e2e-webhook-secret-0123456789abcdef';

describe.each(DATABASE_TARGETS)('alert webhooks in the app on $name', (target) => {
  let app: NestFastifyApplication;
  let database: FreshDatabase;
  let hook: WebhookReceiver;
  let graphql: (q: string, v?: Record<string, unknown>, key?: string | null) => Promise<GraphQLAnswer>;

  beforeAll(async () => {
    database = await target.fresh();
    hook = await startReceiver();
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: KEYS,
        RISK_SCAN_INTERVAL_MS: '200',
        ALERT_WEBHOOK_URLS: hook.url,
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_WEBHOOK_TIMEOUT_MS: '2000',
        ...database.env,
      },
    });
    graphql = graphqlClient(await startApp(app, { port: 0, host: '127.0.0.1' }), ADMIN);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await hook?.close();
    await database?.drop();
  });

  const delivered = async (what: (payload: AlertWebhookPayload) => boolean): Promise<ReceivedRequest> => {
    let found: ReceivedRequest | undefined;
    await waitFor(
      () => (found = hook.acknowledged().find((r) => what(JSON.parse(r.body)))) !== undefined,
      15_000,
      'a webhook delivery',
    );
    return found!;
  };
  const expectSigned = (request: ReceivedRequest, payload: AlertWebhookPayload) => {
    expect(
      verifyWebhookSignature(request.body, request.headers['x-lifecycle-signature'] as string, SECRET),
    ).toBe(true);
    expect(request.headers['x-lifecycle-delivery']).toBe(payload.id);
    expect(request.headers['x-lifecycle-event']).toBe(payload.type);
  };

  it('posts the NEGATIVE_MOMENT_OF_TRUTH alert, signed, then its acknowledgement', async () => {
    // The URL is new: it receives what is stored once the worker has claimed it.
    const db = app.get(ReadModelDatabase).db;
    await waitFor(
      async () =>
        (await db.select().from(webhookCursors).where(eq(webhookCursors.url, hook.url))).length === 1,
      15_000,
      'the webhook cursor',
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
          input: { id: 'acme', name: 'Acme', tier: 'STRATEGIC', ownerId: 'am-1' },
        },
      ),
    );
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
            touchpointId: 'acme-outage',
            accountId: 'acme',
            occurredAt: new Date().toISOString(),
            channel: 'CALL',
            direction: 'INBOUND',
            pillar: 'SERVICE',
            source: 'test',
            sentiment: 'NEGATIVE',
            momentOfTruth: true,
            summary: 'Production down for two hours',
          },
        },
        INTEGRATION,
      ),
    );

    const raisedRequest = await delivered(
      (p) => p.type === 'RAISED' && p.alert.kind === 'NEGATIVE_MOMENT_OF_TRUTH',
    );
    const raised = JSON.parse(raisedRequest.body) as AlertWebhookPayload;
    expectSigned(raisedRequest, raised);
    expect(raised).toMatchObject({
      type: 'RAISED',
      seq: expect.any(Number),
      alert: {
        kind: 'NEGATIVE_MOMENT_OF_TRUTH',
        severity: 'HIGH',
        accountId: 'acme',
        accountName: 'Acme',
        ownerId: 'am-1',
        tier: 'STRATEGIC',
        subject: 'acme-outage',
        title: 'A bad moment of truth (CALL)',
        detail: 'Production down for two hours',
      },
    });
    expect(Date.parse(raised.recordedAt)).not.toBeNaN();

    dataOf(
      await graphql(
        `
          mutation ($id: ID!) {
            acknowledgeAlert(id: $id, note: "calling them") {
              id
            }
          }
        `,
        {
          id: raised.alert.id,
        },
      ),
    );
    const acknowledgedRequest = await delivered((p) => p.type === 'ACKNOWLEDGED');
    const acknowledged = JSON.parse(acknowledgedRequest.body) as AlertWebhookPayload;
    expectSigned(acknowledgedRequest, acknowledged);
    expect(acknowledged).toMatchObject({
      alert: { id: raised.alert.id, status: 'ACKNOWLEDGED', acknowledgedBy: 'root' },
    });
    expect(acknowledged.id).not.toBe(raised.id);
    expect(acknowledged.seq).toBeGreaterThan(raised.seq);
    // In order, each once (nothing failed, so nothing was retried).
    const seqs = hook.requests.map((r) => (JSON.parse(r.body) as AlertWebhookPayload).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
