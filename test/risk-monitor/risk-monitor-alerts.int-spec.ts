// The deadline monitor's alerts against the embedded event store, the alert policy and the alerts
// projection (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): commitments due within 48 h,
// silent accounts escalated at twice their cadence, and health falling to RED as time passes.
import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { and, eq } from 'drizzle-orm';

import {
  FulfilCommitmentCommand,
  MakeCommitmentsCommand,
  OpenAccountCommand,
  RecordTouchpointsCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { AlertPolicyModule, AlertPolicyRunner } from '#alert-policy';
import { alertIdOf, alertStreamName } from '#alerts';
import { AppConfigModule } from '#config';
import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, EventStoreModule } from '#eventstore';
import {
  AccountProjector,
  alerts,
  healthWatch,
  ReadModelDatabase,
  ReadModelModule,
  type ReadModelDb,
} from '#read-model';
import { DeadlineMonitor, HealthMonitor, RiskMonitorModule } from '#risk-monitor';

import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { tempDir, waitFor } from '../support/helpers.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const system: CommandContext = { principal: SYSTEM_PRINCIPAL, correlationId: 'test', causationId: 'test' };

describe.each(DATABASE_TARGETS)('the risk monitor’s alerts on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  let moduleRef: TestingModule;
  let commands: CommandBus;
  let db: ReadModelDb;
  let monitor: DeadlineMonitor;
  let health: HealthMonitor;

  beforeAll(async () => {
    dir = await tempDir('risk-monitor-alerts');
    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
    database = await target.fresh();
    moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot({
          env: {
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            EVENTSTORE_CONNECTION_STRING: server.connectionString,
            ...database.env,
          },
        }),
        EventStoreModule.forRoot(),
        ReadModelModule.forRoot(),
        AlertPolicyModule.forRoot({ maxWaitMs: 5 }),
        RiskMonitorModule.forRoot({ autoStart: false }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
    db = moduleRef.get(ReadModelDatabase).db;
    monitor = moduleRef.get(DeadlineMonitor);
    health = moduleRef.get(HealthMonitor);
  }, 60_000);
  afterAll(async () => {
    await moduleRef?.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  const run = async (command: object): Promise<AccountCommandsResult> => {
    const result = (await commands.execute(command as never)) as AccountCommandsResult;
    if (result.results.some((r) => r.status === 'rejected')) throw new Error(JSON.stringify(result.results));
    if (result.commitPosition !== undefined) {
      await moduleRef.get(AccountProjector).waitFor(result.commitPosition, 10_000);
      await moduleRef.get(AlertPolicyRunner).waitFor(result.commitPosition, 10_000);
    }
    return result;
  };
  const open = (id: string, tier: string, openedDaysAgo: number) =>
    run(
      new OpenAccountCommand(
        {
          id,
          name: id,
          tier,
          ownerId: 'am',
          openedAt: new Date(Date.now() - openedDaysAgo * DAY).toISOString(),
        } as never,
        system,
      ),
    );
  const commit = (accountId: string, commitmentId: string, dueAt: Date) =>
    run(
      new MakeCommitmentsCommand(
        accountId,
        [
          {
            accountId,
            commitmentId,
            title: `Deliver ${commitmentId}`,
            ownerId: 'am',
            madeAt: new Date(Date.now() - DAY).toISOString(),
            dueAt: dueAt.toISOString(),
          } as never,
        ],
        system,
      ),
    );
  const touch = (accountId: string, touchpointId: string, at: Date, sentiment: string) =>
    run(
      new RecordTouchpointsCommand(
        accountId,
        [
          {
            touchpointId,
            accountId,
            occurredAt: at.toISOString(),
            channel: 'CALL',
            direction: 'INBOUND',
            pillar: 'SERVICE',
            sentiment,
            momentOfTruth: false,
            summary: 'Quarterly check-in',
            source: 'test',
          } as never,
        ],
        system,
      ),
    );
  const alertRow = async (alertId: string) =>
    (await db.select().from(alerts).where(eq(alerts.alertId, alertId)))[0];
  const alertIn = async (alertId: string, status: string) => {
    await waitFor(async () => (await alertRow(alertId))?.status === status, 10_000, `${alertId} ${status}`);
    return (await alertRow(alertId))!;
  };
  const streamTypes = async (alertId: string) => {
    const types: string[] = [];
    for await (const event of moduleRef.get(EventStore).readStream(alertStreamName(alertId)))
      types.push(event.type);
    return types;
  };
  const alertsOf = (accountId: string, kind: string) =>
    db
      .select()
      .from(alerts)
      .where(and(eq(alerts.accountId, accountId), eq(alerts.kind, kind as never)));

  it('raises COMMITMENT_DUE_SOON once within 48 h of the due date and resolves it on fulfilment', async () => {
    await open('soon', 'ENTERPRISE', 5);
    const dueSoon = new Date(Date.now() + 24 * HOUR);
    const dueLater = new Date(Date.now() + 72 * HOUR);
    await commit('soon', 'soon-1', dueSoon);
    await commit('soon', 'later-1', dueLater);

    const first = await monitor.scanOnce();
    expect(first).toMatchObject({ dueSoonRaised: 1 });
    const soonId = alertIdOf('COMMITMENT_DUE_SOON', 'soon', 'soon-1', dueSoon.toISOString());
    expect(await alertIn(soonId, 'OPEN')).toMatchObject({
      kind: 'COMMITMENT_DUE_SOON',
      severity: 'LOW',
      subject: 'soon-1',
      detail: `Due ${dueSoon.toISOString()}`,
    });
    // Its alert exists now: the next scan does not even nominate it.
    expect(await monitor.scanOnce()).toMatchObject({ dueSoonFound: 0, dueSoonRaised: 0 });

    // A day later the other one is within 48 h too.
    const later = await monitor.scanOnce(new Date(Date.now() + 30 * HOUR));
    expect(later).toMatchObject({ dueSoonRaised: 1 });
    const laterId = alertIdOf('COMMITMENT_DUE_SOON', 'soon', 'later-1', dueLater.toISOString());
    expect((await alertIn(laterId, 'OPEN')).subject).toBe('later-1');

    await run(new FulfilCommitmentCommand({ accountId: 'soon', commitmentId: 'soon-1' }, system));
    expect(await alertIn(soonId, 'RESOLVED')).toMatchObject({
      resolutionKind: 'AUTO',
      resolution: 'AUTO: The commitment was fulfilled',
    });
    expect(await streamTypes(soonId)).toEqual(['AlertRaised', 'AlertResolved']);
  });

  it('leaves no due-soon alert open when fulfilments race the scan', async () => {
    await open('soon-race', 'SMB', 5);
    const ids = Array.from({ length: 12 }, (_, i) => `soon-race-${i}`);
    for (const id of ids) await commit('soon-race', id, new Date(Date.now() + 10 * HOUR));
    await Promise.all([
      monitor.scanOnce(),
      ...ids.map((commitmentId) =>
        commands.execute(new FulfilCommitmentCommand({ accountId: 'soon-race', commitmentId }, system)),
      ),
    ]);
    const last = (
      await run(
        new OpenAccountCommand({ id: 'sync-1', name: 'sync', tier: 'SMB', ownerId: 'am' } as never, system),
      )
    ).commitPosition!;
    await moduleRef.get(AlertPolicyRunner).waitFor(last, 10_000);
    await waitFor(
      async () =>
        (await alertsOf('soon-race', 'COMMITMENT_DUE_SOON')).every((row) => row.status === 'RESOLVED'),
      10_000,
      'every due-soon alert resolved',
    );
    // Whichever won, a raised alert was resolved by the fulfilment or as stale, never left open.
    for (const row of await alertsOf('soon-race', 'COMMITMENT_DUE_SOON')) {
      expect(row.resolution).toMatch(/^AUTO: The commitment was (already )?fulfilled$/);
    }
  });

  it('escalates ACCOUNT_SILENT one step once the account has been silent for twice its cadence', async () => {
    await open('silent-long', 'ENTERPRISE', 70); // 30-day cadence: silent for 70 days
    await open('silent-short', 'ENTERPRISE', 40);
    await open('silent-strategic', 'STRATEGIC', 40); // 14-day cadence
    const first = await monitor.scanOnce();
    expect(first).toMatchObject({ silentRecorded: 3 });
    const idOf = async (accountId: string) => {
      await waitFor(
        async () => (await alertsOf(accountId, 'ACCOUNT_SILENT')).length === 1,
        10_000,
        accountId,
      );
      return (await alertsOf(accountId, 'ACCOUNT_SILENT'))[0].alertId;
    };
    const longId = await idOf('silent-long');
    const shortId = await idOf('silent-short');
    const strategicId = await idOf('silent-strategic');

    // The same scan may already have escalated what the policy raised meanwhile; the next one does the rest.
    const second = await monitor.scanOnce();
    expect(first.escalated + second.escalated).toBe(2);
    await waitFor(async () => (await alertRow(longId))!.severity === 'HIGH', 10_000, 'escalated');
    await waitFor(async () => (await alertRow(strategicId))!.severity === 'CRITICAL', 10_000, 'escalated');
    expect((await alertRow(shortId))!.severity).toBe('MEDIUM');
    expect(await streamTypes(longId)).toEqual(['AlertRaised', 'AlertEscalated']);

    // Escalated once: later scans leave it alone.
    expect(await monitor.scanOnce()).toMatchObject({ escalated: 0 });
    expect(await streamTypes(longId)).toEqual(['AlertRaised', 'AlertEscalated']);
  });

  it('raises HEALTH_DROPPED when time alone takes the band to RED, once, and resolves it when health recovers', async () => {
    const now = Date.now();
    await open('decay', 'MIDMARKET', 2);
    // A negative touch: sentiment 0, one pillar; with full recency AMBER (73), RED as recency decays.
    await touch('decay', 'neg', new Date(now - HOUR), 'NEGATIVE');
    await health.review(new Date());
    const [watched] = await db.select().from(healthWatch).where(eq(healthWatch.accountId, 'decay'));
    expect(watched).toMatchObject({ band: 'AMBER', score: 73, alertId: null, drops: 0 });
    const reviewAt = watched.reviewAt!;
    // Recency is full for half the 45-day cadence and reaches 0 at twice it.
    expect(reviewAt.getTime()).toBeGreaterThan(now + 22 * DAY);
    expect(reviewAt.getTime()).toBeLessThan(now + 90 * DAY);

    const healthAlerts = async () => (await alertsOf('decay', 'HEALTH_DROPPED')).length;
    // Just before, it is still AMBER; at it, RED (other accounts may drop too: only this one is looked at).
    await health.review(new Date(reviewAt.getTime() - 60_000));
    expect((await db.select().from(healthWatch).where(eq(healthWatch.accountId, 'decay')))[0].band).toBe(
      'AMBER',
    );
    await Promise.all([health.review(reviewAt), health.review(reviewAt)]);
    const [dropped] = await db.select().from(healthWatch).where(eq(healthWatch.accountId, 'decay'));
    expect(dropped).toMatchObject({ band: 'RED', drops: 1 });
    const alertId = alertIdOf('HEALTH_DROPPED', 'decay', null, 'drop-1');
    expect(dropped.alertId).toBe(alertId);
    expect(await alertIn(alertId, 'OPEN')).toMatchObject({ kind: 'HEALTH_DROPPED', severity: 'HIGH' });
    await health.review(new Date(reviewAt.getTime() + DAY));
    expect(await healthAlerts()).toBe(1);
    expect(await streamTypes(alertId)).toEqual(['AlertRaised']);

    // Today a positive touch: recency full, sentiment 0.5 → GREEN even with the open HIGH alert.
    await touch('decay', 'pos', new Date(), 'POSITIVE');
    expect((await health.review(new Date())).recovered).toBeGreaterThanOrEqual(1);
    expect(await alertIn(alertId, 'RESOLVED')).toMatchObject({ resolutionKind: 'AUTO' });
    expect((await alertRow(alertId))!.resolution).toMatch(/^AUTO: Health is back to (GREEN|AMBER)/);
    expect(await streamTypes(alertId)).toEqual(['AlertRaised', 'AlertResolved']);
  });
});
