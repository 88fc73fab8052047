// Alert webhook delivery against the read model (PGlite, and PostgreSQL when TEST_DATABASE_URL is
// set) and local receivers: every notification reaches every URL in order, signed, at least once;
// a failing or hanging receiver delays only itself; a restart resumes from the checkpoint; and of
// two workers only the lease holder delivers, the other taking over when it stops.
import { Logger, type LoggerService } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';

import {
  AlertWebhookDelivery,
  alertWebhookSettings,
  verifyWebhookSignature,
  type AlertWebhookPayload,
  type AlertWebhooksOptions,
} from '#alert-webhooks';
import {
  accounts,
  alertNotifications,
  alerts,
  ReadModelDatabase,
  webhookCursors,
  type ReadModelDb,
} from '#read-model';

import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { waitFor } from '../support/helpers.js';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'webhook-secret-for-tests-0123456789';
/** Fast enough for tests; the lease still outlives several renewals. */
const TUNING: AlertWebhooksOptions = {
  autoStart: false,
  pollIntervalMs: 25,
  leaseMs: 5000,
  claimIntervalMs: 50,
  backoff: { initialMs: 20, maxMs: 150 },
};

/** Every log line, to check what they never show. */
class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...args: unknown[]) => void this.lines.push(JSON.stringify(args));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
  fatal = this.keep;
}

const payloadOf = (request: ReceivedRequest) => JSON.parse(request.body) as AlertWebhookPayload;
const idsOf = (requests: readonly ReceivedRequest[]) => requests.map((r) => payloadOf(r).id);

describe.each(DATABASE_TARGETS)('alert webhooks on $name', (target) => {
  let database: FreshDatabase;
  let readModel: ReadModelDatabase;
  /** A second connection pool on PostgreSQL, as another worker process would have (PGlite has one). */
  let otherReadModel: ReadModelDatabase;
  let db: ReadModelDb;
  const logs = new CapturedLogs();
  const receivers: WebhookReceiver[] = [];
  const services: AlertWebhookDelivery[] = [];
  let nextEvent = 0;

  beforeAll(async () => {
    Logger.overrideLogger(logs);
    database = await target.fresh();
    readModel = await ReadModelDatabase.open(database.config);
    await readModel.migrate();
    otherReadModel = target.name === 'postgres' ? await ReadModelDatabase.open(database.config) : readModel;
    db = readModel.db;
    const now = new Date();
    await db.insert(accounts).values({
      id: 'acme',
      name: 'Acme',
      tier: 'STRATEGIC',
      ownerId: 'am-1',
      stage: 'ACTIVE',
      phase: 'RETENTION',
      stageEnteredAt: now,
      openedAt: now,
      effectiveCadenceDays: 14,
      healthScore: 70,
      healthBand: 'GREEN',
      healthAsOf: now,
      updatedAt: now,
    });
  }, 60_000);

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  afterAll(async () => {
    if (otherReadModel !== readModel) await otherReadModel?.close();
    await readModel?.close();
    await database?.drop();
  });

  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };

  const service = (
    urls: string[],
    options: AlertWebhooksOptions = {},
    timeoutMs = 300,
    on: ReadModelDatabase = readModel,
  ) => {
    const created = new AlertWebhookDelivery(
      on,
      alertWebhookSettings(
        { alertWebhookUrls: urls, alertWebhookSecret: SECRET, alertWebhookTimeoutMs: timeoutMs },
        { ...TUNING, ...options },
      ),
    );
    services.push(created);
    return created;
  };

  /** Stores one alert event as the alerts projection does: the alert's row and a notification. */
  const notify = async (
    type: 'RAISED' | 'ESCALATED' | 'ACKNOWLEDGED' | 'RESOLVED' = 'RAISED',
  ): Promise<{ seq: number; eventId: string }> => {
    nextEvent += 1;
    const alertId = `alert-${nextEvent}`;
    const eventId = `00000000-0000-4000-8000-${String(nextEvent).padStart(12, '0')}`;
    await db
      .insert(alerts)
      .values({
        alertId,
        accountId: 'acme',
        kind: 'NEGATIVE_MOMENT_OF_TRUTH',
        severity: 'HIGH',
        status: 'OPEN',
        subject: `tp-${nextEvent}`,
        title: `A bad moment of truth #${nextEvent}`,
        detail: null,
        cause: `cause-${nextEvent}`,
        raisedAt: new Date(),
        revision: 0n,
      })
      .onConflictDoNothing();
    const [row] = await db
      .insert(alertNotifications)
      .values({ eventId, alertId, type, recordedAt: new Date() })
      .returning({ seq: alertNotifications.seq });
    return { seq: Number(row.seq), eventId };
  };
  const notifyMany = async (count: number) => {
    const stored: { seq: number; eventId: string }[] = [];
    for (let i = 0; i < count; i += 1) stored.push(await notify());
    return stored;
  };

  const cursorOf = async (url: string) => {
    const [row] = await db.select().from(webhookCursors).where(eq(webhookCursors.url, url));
    return row;
  };
  const head = async () => {
    const [row] = await db
      .select({ seq: sql<string | null>`max(${alertNotifications.seq})` })
      .from(alertNotifications);
    return Number(row.seq ?? 0);
  };
  /** Notifications stored from now on reach `url` (a new URL starts at the head when first claimed). */
  const claimed = (url: string) =>
    waitFor(async () => (await cursorOf(url)) !== undefined, 10_000, `a cursor for ${url}`);

  const expectGenuine = (request: ReceivedRequest) => {
    const payload = payloadOf(request);
    expect(
      verifyWebhookSignature(request.body, request.headers['x-lifecycle-signature'] as string, SECRET),
    ).toBe(true);
    expect(request.headers['x-lifecycle-delivery']).toBe(payload.id);
    expect(request.headers['x-lifecycle-event']).toBe(payload.type);
    expect(request.headers['content-type']).toBe('application/json');
  };

  it('starts a URL seen for the first time at the head: history is not replayed', async () => {
    const before = await notifyMany(3);
    const hook = await receiver();
    service([hook.url]).start();
    await claimed(hook.url);
    expect((await cursorOf(hook.url)).deliveredSeq).toBe(before[2].seq);

    const fresh = await notify();
    await waitFor(() => hook.acknowledged().length === 1, 10_000, 'the new notification');
    expect(idsOf(hook.requests)).toEqual([fresh.eventId]);
    const payload = payloadOf(hook.requests[0]);
    expect(payload).toMatchObject({
      id: fresh.eventId,
      type: 'RAISED',
      seq: fresh.seq,
      alert: {
        kind: 'NEGATIVE_MOMENT_OF_TRUTH',
        severity: 'HIGH',
        status: 'OPEN',
        accountId: 'acme',
        accountName: 'Acme',
        ownerId: 'am-1',
        tier: 'STRATEGIC',
        resolvedAt: null,
      },
    });
    expectGenuine(hook.requests[0]);
    await waitFor(
      async () => (await cursorOf(hook.url)).deliveredSeq === fresh.seq,
      10_000,
      'the checkpoint',
    );
  });

  it('delivers everything to a healthy URL while another fails and a third hangs; they catch up, in order', async () => {
    const healthy = await receiver();
    let failing = true;
    const flaky = await receiver(() => (failing ? 500 : 200));
    let hanging = true;
    const stuck = await receiver(() => (hanging ? 'hang' : 200));
    // A token in the query must stay out of the logs.
    const flakyUrl = `${flaky.url}?token=tok-do-not-log-42`;
    service([healthy.url, flakyUrl, stuck.url]).start();
    await Promise.all([claimed(healthy.url), claimed(flakyUrl), claimed(stuck.url)]);
    const start = await head();

    const stored = await notifyMany(6);
    const ids = stored.map((s) => s.eventId);
    await waitFor(() => healthy.acknowledged().length === 6, 10_000, 'the healthy receiver');
    expect(idsOf(healthy.requests)).toEqual(ids);
    healthy.requests.forEach(expectGenuine);
    // The others are still failing: nothing of theirs was acknowledged, yet the healthy one has all.
    expect(flaky.acknowledged()).toEqual([]);
    expect(stuck.acknowledged()).toEqual([]);

    // Each failure is retried with the same notification: same id, same signed body.
    await waitFor(() => flaky.requests.length >= 3 && stuck.requests.length >= 2, 10_000, 'retries');
    for (const retried of [flaky.requests, stuck.requests]) {
      expect(new Set(idsOf(retried))).toEqual(new Set([ids[0]]));
      expect(new Set(retried.map((r) => r.body)).size).toBe(1);
      retried.forEach(expectGenuine);
    }
    const flakyCursor = await cursorOf(flakyUrl);
    const stuckCursor = await cursorOf(stuck.url);
    expect(flakyCursor).toMatchObject({
      deliveredSeq: start,
      lastError: expect.stringContaining('HTTP 500'),
    });
    expect(stuckCursor).toMatchObject({
      deliveredSeq: start,
      lastError: expect.stringContaining('no answer within 300 ms'),
    });
    expect(flakyCursor.lastErrorAt).toBeInstanceOf(Date);

    failing = false;
    hanging = false;
    await waitFor(
      () => flaky.acknowledged().length === 6 && stuck.acknowledged().length === 6,
      20_000,
      'the recovered receivers',
    );
    for (const recovered of [flaky, stuck]) {
      expect(idsOf(recovered.acknowledged())).toEqual(ids);
      recovered.acknowledged().forEach(expectGenuine);
    }
    for (const url of [healthy.url, flakyUrl, stuck.url]) {
      await waitFor(async () => (await cursorOf(url)).deliveredSeq === stored[5].seq, 10_000, 'checkpoints');
    }

    const logged = logs.lines.join('\n');
    expect(logged).toContain('Alert webhook delivery failed; retrying');
    expect(logged).toContain('?***');
    expect(logged).not.toContain('tok-do-not-log-42');
    expect(logged).not.toContain(SECRET);
  });

  it('resumes from the checkpoint after a restart: every notification at least once, none skipped', async () => {
    const hook = await receiver((n) => (n === 5 ? 'hang' : 200));
    // A long timeout: the fifth request is still open when the worker stops.
    const first = service([hook.url], { workerId: 'worker-before-restart' }, 30_000);
    first.start();
    await claimed(hook.url);
    const stored = await notifyMany(8);
    await waitFor(() => hook.requests.length === 5, 10_000, 'the hanging fifth request');

    await first.stop();
    const cursor = await cursorOf(hook.url);
    expect(cursor).toMatchObject({ deliveredSeq: stored[3].seq, leaseOwner: null, leaseUntil: null });
    // Stored while no worker runs.
    stored.push(await notify());

    service([hook.url], { workerId: 'worker-after-restart' }).start();
    const ids = stored.map((s) => s.eventId);
    await waitFor(() => hook.acknowledged().length === 9, 10_000, 'the rest after the restart');
    // The interrupted fifth came again (at least once); the first four did not.
    expect(idsOf(hook.requests)).toEqual([...ids.slice(0, 5), ...ids.slice(4)]);
    expect(new Set(idsOf(hook.acknowledged()))).toEqual(new Set(ids));
    hook.requests.forEach(expectGenuine);
    await waitFor(
      async () => (await cursorOf(hook.url)).deliveredSeq === stored[8].seq,
      10_000,
      'checkpoint',
    );
  });

  it('lets one worker deliver to a URL at a time; the other takes over when it stops', async () => {
    // Each answer takes a while, so overlapping deliveries would show.
    const hook = await receiver(() => 200, { delayMs: 15 });
    const a = service([hook.url], { workerId: 'worker-a' });
    const b = service([hook.url], { workerId: 'worker-b' }, 300, otherReadModel);
    a.start();
    b.start();
    await claimed(hook.url);
    const firstBatch = await notifyMany(8);
    await waitFor(() => hook.acknowledged().length === 8, 10_000, 'the first batch');
    expect(idsOf(hook.requests)).toEqual(firstBatch.map((s) => s.eventId));
    expect(hook.maxInFlight).toBe(1);

    const holder = (await cursorOf(hook.url)).leaseOwner;
    expect(['worker-a', 'worker-b']).toContain(holder);
    await (holder === 'worker-a' ? a : b).stop();
    const secondBatch = await notifyMany(4);
    await waitFor(() => hook.acknowledged().length === 12, 10_000, 'the second batch');
    expect(idsOf(hook.requests)).toEqual([...firstBatch, ...secondBatch].map((s) => s.eventId));
    expect(hook.maxInFlight).toBe(1);
    expect((await cursorOf(hook.url)).leaseOwner).toBe(holder === 'worker-a' ? 'worker-b' : 'worker-a');
  });

  it('keeps renewing the lease while a request takes longer than the lease itself', async () => {
    const hook = await receiver(() => 200, { delayMs: 2500 });
    const options = { leaseMs: 1000 };
    service([hook.url], { ...options, workerId: 'worker-slow-a' }, 10_000).start();
    service([hook.url], { ...options, workerId: 'worker-slow-b' }, 10_000, otherReadModel).start();
    await claimed(hook.url);
    const stored = await notifyMany(2);
    await waitFor(() => hook.acknowledged().length === 2, 20_000, 'the slow deliveries');
    // Had the lease run out during a request, the other worker would have sent it again meanwhile.
    expect(idsOf(hook.requests)).toEqual(stored.map((s) => s.eventId));
    expect(hook.maxInFlight).toBe(1);
  }, 30_000);

  it('waits for the lease of a worker that died without releasing it to run out', async () => {
    const hook = await receiver();
    const [row] = await db
      .insert(webhookCursors)
      .values({
        url: hook.url,
        deliveredSeq: await head(),
        leaseOwner: 'worker-that-died',
        leaseUntil: sql`now() + interval '1 second'`,
      })
      .returning();
    const stored = await notify();
    service([hook.url], { workerId: 'worker-successor' }).start();
    await waitFor(() => hook.acknowledged().length === 1, 10_000, 'the takeover');
    expect(idsOf(hook.requests)).toEqual([stored.eventId]);
    expect(hook.requests[0].receivedAt).toBeGreaterThanOrEqual(row.leaseUntil!.getTime());
    expect((await cursorOf(hook.url)).leaseOwner).toBe('worker-successor');
  });

  it('stays idle without URLs, and refuses URLs without a secret to sign with', () => {
    const idle = service([]);
    expect(idle.enabled).toBe(false);
    expect(
      () =>
        new AlertWebhookDelivery(
          readModel,
          alertWebhookSettings({
            alertWebhookUrls: ['http://127.0.0.1:9/hook'],
            alertWebhookSecret: undefined,
            alertWebhookTimeoutMs: 1000,
          }),
        ),
    ).toThrow('ALERT_WEBHOOK_SECRET');
  });
});
