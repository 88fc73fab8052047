// The alert policy and the alerts projection against the embedded event store and the read model
// (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): what account facts raise and resolve,
// the alerts table and its notifications, the health the portfolio sorts by, a crash between the
// appends and the commit, and two policy runners over the same stores raising every alert once.
import { FORWARDS, START } from '@eventstore/db-client';
import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { and, eq, isNull } from 'drizzle-orm';

import {
  AccountCommandExecutor,
  Clock,
  FulfilCommitmentCommand,
  MakeCommitmentsCommand,
  OpenAccountCommand,
  RecordCommitmentMissedCommand,
  RecordTouchpointsCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { AlertCommandExecutor, ResolveAlertCommand } from '#alert-commands';
import { ALERT_POLICY_NAME, AlertPolicy, AlertPolicyModule, AlertPolicyRunner } from '#alert-policy';
import { alertIdOf, alertStreamName } from '#alerts';
import { principal } from '#auth';
import { AppConfigModule } from '#config';
import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, EventStoreConnection, EventStoreModule } from '#eventstore';
import {
  accounts,
  accountVersions,
  AccountProjector,
  alertNotifications,
  alertPolicyAlerts,
  alerts,
  AlertsProjector,
  CheckpointedSubscriber,
  loadProjectionCheckpoint,
  ReadModelDatabase,
  ReadModelModule,
  type ReadModelDb,
} from '#read-model';

import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { tempDir, waitFor } from '../support/helpers.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const system: CommandContext = { principal: SYSTEM_PRINCIPAL, correlationId: 'test', causationId: 'test' };
const leader: CommandContext = {
  principal: principal('lead', ['leader'], 'api-key'),
  correlationId: 'test',
  causationId: 'test',
};

function bootWorker(env: Record<string, string>): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot({ env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env } }),
      EventStoreModule.forRoot(),
      ReadModelModule.forRoot(),
      AlertPolicyModule.forRoot({ maxWaitMs: 5 }),
    ],
  }).compile();
}

describe.each(DATABASE_TARGETS)('the alert policy and the alerts projection on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  let moduleRef: TestingModule;
  let commands: CommandBus;
  let db: ReadModelDb;
  let runner: AlertPolicyRunner;

  beforeAll(async () => {
    dir = await tempDir('alert-policy');
    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
    database = await target.fresh();
    moduleRef = await bootWorker({ EVENTSTORE_CONNECTION_STRING: server.connectionString, ...database.env });
    moduleRef.useLogger(false);
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
    db = moduleRef.get(ReadModelDatabase).db;
    runner = moduleRef.get(AlertPolicyRunner);
  }, 60_000);
  afterAll(async () => {
    await moduleRef?.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  /** Runs a command and waits until the account projection and the policy (when it runs) have seen it. */
  const run = async (command: object): Promise<AccountCommandsResult> => {
    const result = (await commands.execute(command as never)) as AccountCommandsResult;
    if (result.results.some((r) => r.status === 'rejected')) throw new Error(JSON.stringify(result.results));
    if (result.commitPosition !== undefined) {
      await moduleRef.get(AccountProjector).waitFor(result.commitPosition, 10_000);
      if (runner.running) await runner.waitFor(result.commitPosition, 10_000);
    }
    return result;
  };
  const open = (id: string, tier: string) =>
    run(
      new OpenAccountCommand(
        {
          id,
          name: `Account ${id}`,
          tier,
          ownerId: 'am-1',
          openedAt: new Date(Date.now() - 10 * DAY).toISOString(),
        } as never,
        system,
      ),
    );
  const touch = (
    accountId: string,
    touchpointId: string,
    hoursAgo: number,
    fields: { sentiment: string; momentOfTruth?: boolean; channel?: string; direction?: string },
  ) =>
    run(
      new RecordTouchpointsCommand(
        accountId,
        [
          {
            touchpointId,
            accountId,
            occurredAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
            channel: fields.channel ?? 'CALL',
            direction: fields.direction ?? 'INBOUND',
            pillar: 'SERVICE',
            sentiment: fields.sentiment,
            momentOfTruth: fields.momentOfTruth ?? false,
            summary: 'The export failed again',
            source: 'test',
          } as never,
        ],
        system,
      ),
    );
  const alertRow = async (alertId: string) =>
    (await db.select().from(alerts).where(eq(alerts.alertId, alertId)))[0];
  /** Waits for the alerts projection to show the alert in `status`. */
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
  const nmotId = (accountId: string, touchpointId: string) =>
    alertIdOf('NEGATIVE_MOMENT_OF_TRUTH', accountId, touchpointId, touchpointId);

  it('raises a bad moment of truth at once; an internal note leaves it open, a later positive touch resolves it', async () => {
    await open('nmot', 'SMB');
    await touch('nmot', 'bad', 3, { sentiment: 'NEGATIVE', momentOfTruth: true });
    const alertId = nmotId('nmot', 'bad');
    expect(await alertIn(alertId, 'OPEN')).toMatchObject({
      kind: 'NEGATIVE_MOMENT_OF_TRUTH',
      severity: 'HIGH',
      accountId: 'nmot',
      subject: 'bad',
      title: 'A bad moment of truth (CALL)',
      detail: 'The export failed again',
      resolution: null,
    });

    // Positive, but no contact with the customer: nothing to resolve.
    await touch('nmot', 'note', 2, {
      sentiment: 'POSITIVE',
      channel: 'INTERNAL_NOTE',
      direction: 'INTERNAL',
    });
    await touch('nmot', 'neutral', 2, { sentiment: 'NEUTRAL' });
    expect((await alertRow(alertId))!.status).toBe('OPEN');

    await touch('nmot', 'good', 1, { sentiment: 'POSITIVE' });
    expect(await alertIn(alertId, 'RESOLVED')).toMatchObject({
      resolutionKind: 'AUTO',
      resolution: 'AUTO: A later qualifying touch was positive',
    });
    expect(await streamTypes(alertId)).toEqual(['AlertRaised', 'AlertResolved']);
    const notifications = await db
      .select()
      .from(alertNotifications)
      .where(eq(alertNotifications.alertId, alertId))
      .orderBy(alertNotifications.seq);
    expect(notifications.map((n) => n.type)).toEqual(['RAISED', 'RESOLVED']);
    expect(notifications[0].seq).toBeLessThan(notifications[1].seq);
  });

  it('sees, within one batch, the alert an earlier event of the same batch raised', async () => {
    await open('one-batch', 'ENTERPRISE');
    const item = (touchpointId: string, minutesAgo: number, fields: Record<string, unknown>) => ({
      touchpointId,
      accountId: 'one-batch',
      occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      channel: 'CALL',
      direction: 'INBOUND',
      pillar: 'SERVICE',
      momentOfTruth: false,
      summary: 'Renewal call',
      source: 'test',
      ...fields,
    });
    // One command, one append: the policy gets the three events in one batch, with its reads of
    // the account's open alerts remembered across them.
    await run(
      new RecordTouchpointsCommand(
        'one-batch',
        [
          item('quiet', 30, { sentiment: 'NEUTRAL' }),
          item('bad', 20, { sentiment: 'NEGATIVE', momentOfTruth: true }),
          item('good', 10, { sentiment: 'POSITIVE' }),
        ] as never,
        system,
      ),
    );
    const alertId = nmotId('one-batch', 'bad');
    expect(await alertIn(alertId, 'RESOLVED')).toMatchObject({
      kind: 'NEGATIVE_MOMENT_OF_TRUTH',
      resolution: 'AUTO: A later qualifying touch was positive',
    });
    expect(await streamTypes(alertId)).toEqual(['AlertRaised', 'AlertResolved']);
  });

  it('raises a missed commitment with its tier’s severity and title; fulfilling it late resolves it', async () => {
    for (const [accountId, tier, severity] of [
      ['missed-s', 'STRATEGIC', 'CRITICAL'],
      ['missed-e', 'ENTERPRISE', 'HIGH'],
      ['missed-m', 'MIDMARKET', 'MEDIUM'],
    ]) {
      await open(accountId, tier);
      const dueAt = new Date(Date.now() - DAY).toISOString();
      await run(
        new MakeCommitmentsCommand(
          accountId,
          [
            {
              accountId,
              commitmentId: 'proposal',
              title: 'Send the proposal',
              ownerId: 'am-1',
              madeAt: new Date(Date.now() - 5 * DAY).toISOString(),
              dueAt,
            } as never,
          ],
          system,
        ),
      );
      await run(new RecordCommitmentMissedCommand({ accountId, commitmentId: 'proposal' } as never, system));
      const alertId = alertIdOf('COMMITMENT_MISSED', accountId, 'proposal', dueAt);
      expect(await alertIn(alertId, 'OPEN')).toMatchObject({
        kind: 'COMMITMENT_MISSED',
        severity,
        subject: 'proposal',
        title: 'Missed "Send the proposal"',
      });
      await run(new FulfilCommitmentCommand({ accountId, commitmentId: 'proposal' }, system));
      expect(await alertIn(alertId, 'RESOLVED')).toMatchObject({
        resolution: 'AUTO: The commitment was fulfilled late',
      });
    }
  });

  it('counts open HIGH alerts in the stored health and records it as a new portfolio version', async () => {
    await open('health', 'MIDMARKET');
    await touch('health', 'outage', 1, { sentiment: 'NEGATIVE', momentOfTruth: true });
    const alertId = nmotId('health', 'outage');
    await alertIn(alertId, 'OPEN');
    const current = async () => {
      const [row] = await db.select().from(accounts).where(eq(accounts.id, 'health'));
      const [version] = await db
        .select()
        .from(accountVersions)
        .where(and(eq(accountVersions.accountId, 'health'), isNull(accountVersions.validTo)));
      return { score: row.healthScore, version };
    };
    const before = await current();
    expect(before.version.healthScore).toBe(before.score);

    // A person resolves it: no account event, yet the health the portfolio sorts by moves.
    const resolved = await moduleRef
      .get(CommandBus)
      .execute(new ResolveAlertCommand({ alertId, reason: 'called them back' }, leader));
    await moduleRef.get(AlertsProjector).waitFor(resolved.commitPosition!, 10_000);
    const after = await current();
    expect(after.score).toBe(before.score + 5);
    expect(after.version.healthScore).toBe(after.score);
    expect(after.version.validFrom).toBeGreaterThan(before.version.validFrom);
    expect((await alertRow(alertId))!.resolution).toBe('MANUAL by lead: called them back');
  });

  it('keeps its state exact when it crashes between the appends and the commit', async () => {
    await runner.stop();
    try {
      await open('crash', 'ENTERPRISE');
      const bad = await run(
        new RecordTouchpointsCommand(
          'crash',
          [
            {
              touchpointId: 'crash-bad',
              accountId: 'crash',
              occurredAt: new Date(Date.now() - 2 * HOUR).toISOString(),
              channel: 'SUPPORT_TICKET',
              direction: 'INBOUND',
              pillar: 'SERVICE',
              sentiment: 'NEGATIVE',
              momentOfTruth: true,
              source: 'test',
            } as never,
          ],
          system,
        ),
      );
      const stored = await loadProjectionCheckpoint(db, ALERT_POLICY_NAME);
      // A policy whose every transaction fails after its appends, as if the process died there.
      let crashes = 0;
      const crashing = new Proxy(db, {
        get(target, property, receiver) {
          if (property !== 'transaction') return Reflect.get(target, property, receiver);
          return (work: (tx: unknown) => Promise<unknown>) =>
            target.transaction(async (tx) => {
              await work(tx);
              crashes += 1;
              throw new Error('the process died before the commit');
            });
        },
      });
      const store = moduleRef.get(EventStore);
      const doomed = new CheckpointedSubscriber(
        { db: crashing } as unknown as ReadModelDatabase,
        store,
        new AlertPolicy(
          new AlertCommandExecutor(store, moduleRef.get(Clock), moduleRef.get(AccountCommandExecutor)),
        ),
        { maxWaitMs: 5 },
      );
      await doomed.start();
      const alertId = nmotId('crash', 'crash-bad');
      await waitFor(
        async () => (await streamTypes(alertId)).length > 0 && crashes > 0,
        10_000,
        'a crashed batch',
      );
      await doomed.stop();
      // The alert is in its stream, but nothing of the batch is in the policy's state.
      expect(await streamTypes(alertId)).toEqual(['AlertRaised']);
      expect(await db.select().from(alertPolicyAlerts).where(eq(alertPolicyAlerts.alertId, alertId))).toEqual(
        [],
      );
      expect(await loadProjectionCheckpoint(db, ALERT_POLICY_NAME)).toEqual(stored);

      await runner.start();
      await runner.waitFor(bad.commitPosition!, 10_000);
      await touch('crash', 'crash-good', 1, { sentiment: 'POSITIVE' });
      await alertIn(alertId, 'RESOLVED');
      expect(await streamTypes(alertId)).toEqual(['AlertRaised', 'AlertResolved']);
    } finally {
      await runner.start();
    }
  });

  it('raises every alert exactly once with two policy runners over the same stores', async () => {
    let second: { start(): Promise<void>; stop(): Promise<void>; close(): Promise<void> };
    if (target.name === 'postgres') {
      // Another instance of the service: its own Nest application, caches and subscription.
      const other = await bootWorker({
        EVENTSTORE_CONNECTION_STRING: server.connectionString,
        ...database.env,
      });
      other.useLogger(false);
      await other.init();
      const otherRunner = other.get(AlertPolicyRunner);
      second = {
        start: () => otherRunner.start(),
        stop: () => otherRunner.stop(),
        close: () => other.close(),
      };
    } else {
      // PGlite's data directory is one process's: the second runner shares this one's database.
      const store = moduleRef.get(EventStore);
      const subscriber = new CheckpointedSubscriber(
        moduleRef.get(ReadModelDatabase),
        store,
        new AlertPolicy(
          new AlertCommandExecutor(store, moduleRef.get(Clock), moduleRef.get(AccountCommandExecutor)),
        ),
        { maxWaitMs: 5, batchSize: 7 },
      );
      await subscriber.start();
      second = {
        start: () => subscriber.start(),
        stop: () => subscriber.stop(),
        close: async () => undefined,
      };
    }
    try {
      const expected = new Set<string>();
      let last: AccountCommandsResult | undefined;
      for (let a = 0; a < 6; a++) {
        const accountId = `twice-${a}`;
        await commands.execute(
          new OpenAccountCommand(
            { id: accountId, name: accountId, tier: 'STRATEGIC', ownerId: 'am-1' } as never,
            system,
          ),
        );
        for (let t = 0; t < 4; t++) {
          const touchpointId = `twice-${a}-${t}`;
          last = await commands.execute(
            new RecordTouchpointsCommand(
              accountId,
              [
                {
                  touchpointId,
                  accountId,
                  occurredAt: new Date(Date.now() - (10 - t) * HOUR).toISOString(),
                  channel: 'MEETING',
                  direction: 'OUTBOUND',
                  pillar: 'ENGAGEMENT',
                  sentiment: 'NEGATIVE',
                  momentOfTruth: true,
                  source: 'test',
                } as never,
              ],
              system,
            ),
          );
          expected.add(nmotId(accountId, touchpointId));
        }
      }
      await runner.waitFor(last!.commitPosition!, 20_000);
      await waitFor(
        async () => {
          const checkpoint = await loadProjectionCheckpoint(db, ALERT_POLICY_NAME);
          return checkpoint !== undefined && checkpoint.position.commit >= last!.commitPosition!;
        },
        20_000,
        'the policy to pass the last touch',
      );

      const raised = new Map<string, number>();
      const reading = moduleRef
        .get(EventStoreConnection)
        .client.readAll({ direction: FORWARDS, fromPosition: START });
      // Read to the end: the client never finishes a read left half way.
      for await (const resolved of reading) {
        const event = resolved.event;
        if (event?.type !== 'AlertRaised' || !event.streamId.startsWith('alert-')) continue;
        const { alertId } = event.data as { alertId: string };
        raised.set(alertId, (raised.get(alertId) ?? 0) + 1);
      }
      const ours = [...raised].filter(([alertId]) => expected.has(alertId));
      expect(ours).toHaveLength(expected.size);
      expect(ours.filter(([, count]) => count !== 1)).toEqual([]);
    } finally {
      await second.stop();
      await second.close();
    }
  });
});
