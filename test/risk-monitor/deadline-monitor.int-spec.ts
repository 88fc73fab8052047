// The deadline monitor against the embedded event store and the read model (PGlite, and
// PostgreSQL when TEST_DATABASE_URL is set): it records what is due, nothing twice, and a
// fulfilment racing it ends with one consistent outcome.
import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';

import {
  AccountCommandsModule,
  FulfilCommitmentCommand,
  MakeCommitmentsCommand,
  OpenAccountCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { AppConfigModule } from '#config';
import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, EventStoreModule } from '#eventstore';
import { accountStreamName } from '#lifecycle';
import { AccountProjector, ReadModelModule } from '#read-model';
import { DeadlineMonitor, RiskMonitorModule } from '#risk-monitor';

import { DATABASE_TARGETS, type FreshDatabase } from '../read-model/databases.js';
import { tempDir } from '../support/helpers.js';

const DAY = 24 * 60 * 60 * 1000;
const context: CommandContext = { principal: SYSTEM_PRINCIPAL, correlationId: 'test', causationId: 'test' };

describe.each(DATABASE_TARGETS)('the deadline monitor on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  let moduleRef: TestingModule;
  let commands: CommandBus;
  let monitor: DeadlineMonitor;
  let projector: AccountProjector;

  beforeAll(async () => {
    dir = await tempDir('deadline-monitor');
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
        AccountCommandsModule,
        RiskMonitorModule.forRoot({ autoStart: false }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
    monitor = moduleRef.get(DeadlineMonitor);
    projector = moduleRef.get(AccountProjector);
  }, 60_000);
  afterAll(async () => {
    await moduleRef?.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  const run = async (command: object): Promise<AccountCommandsResult> => {
    const result = (await commands.execute(command as never)) as AccountCommandsResult;
    if (result.commitPosition !== undefined) await projector.waitFor(result.commitPosition, 10_000);
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
        context,
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
            madeAt: new Date(dueAt.getTime() - 10 * DAY).toISOString(),
            dueAt: dueAt.toISOString(),
          } as never,
        ],
        context,
      ),
    );
  const eventTypes = async (accountId: string) => {
    const types: string[] = [];
    for await (const event of moduleRef.get(EventStore).readStream(accountStreamName(accountId)))
      types.push(event.type);
    return types;
  };

  it('records commitments past due and accounts past their silence deadline, once', async () => {
    await open('due-acct', 'ENTERPRISE', 5);
    await commit('due-acct', 'late', new Date(Date.now() - DAY));
    await commit('due-acct', 'future', new Date(Date.now() + 3 * DAY));
    await open('quiet-acct', 'SMB', 91);
    await open('fresh-acct', 'SMB', 89);

    const first = await monitor.scanOnce();
    expect(first).toMatchObject({ missedRecorded: 1, silentRecorded: 1 });
    expect(await eventTypes('due-acct')).toEqual([
      'AccountOpened',
      'CommitmentMade',
      'CommitmentMade',
      'CommitmentMissed',
    ]);
    expect(await eventTypes('quiet-acct')).toEqual(['AccountOpened', 'AccountWentSilent']);
    expect(await eventTypes('fresh-acct')).toEqual(['AccountOpened']);

    // Even before the read model shows it, a second scan records nothing: the stream decides.
    const second = await monitor.scanOnce();
    expect(second).toMatchObject({ missedRecorded: 0, silentRecorded: 0 });
    await projector.waitFor(
      (
        (await commands.execute(
          new OpenAccountCommand({ id: 'sync', name: 'sync', tier: 'SMB', ownerId: 'am' } as never, context),
        )) as AccountCommandsResult
      ).commitPosition!,
      10_000,
    );
    const third = await monitor.scanOnce();
    expect(third).toMatchObject({ overdueFound: 0, silenceFound: 0 });
  });

  /** The first event of `type` in the account's stream, waiting up to `timeoutMs` for it. */
  const firstOf = async (accountId: string, type: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for await (const event of moduleRef.get(EventStore).readStream(accountStreamName(accountId)))
        if (event.type === type) return event;
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('records a commitment missed and an account silent at their instant when they come before the next scan', async () => {
    // Three seconds ahead: time enough to set them up and scan before they come, even on a busy machine.
    await open('armed-acct', 'STRATEGIC', 5);
    const dueAt = new Date(Date.now() + 3000);
    await commit('armed-acct', 'soon', dueAt);
    // An SMB account goes silent 90 days after it opened, with no qualifying touch.
    const silenceAt = Date.now() + 3000;
    await open('armed-quiet', 'SMB', 90 - (silenceAt - Date.now()) / DAY);

    const scan = await monitor.scanOnce();
    expect(scan).toMatchObject({ overdueFound: 0, silenceFound: 0, deadlinesArmed: 2 });
    // A scan before they come arms nothing twice.
    expect(await monitor.scanOnce()).toMatchObject({ deadlinesArmed: 0 });

    // No scan runs (autoStart is off): the armed timers alone record them, just after their instant.
    const missed = await firstOf('armed-acct', 'CommitmentMissed', 10_000);
    const silent = await firstOf('armed-quiet', 'AccountWentSilent', 10_000);
    expect(missed).toBeDefined();
    expect(silent).toBeDefined();
    const missedAt = new Date((missed!.data as { occurredAt: string }).occurredAt).getTime();
    expect(missedAt).toBeGreaterThan(dueAt.getTime());
    expect(missedAt - dueAt.getTime()).toBeLessThan(2000);
    const silentAt = new Date((silent!.data as { occurredAt: string }).occurredAt).getTime();
    expect(silentAt).toBeGreaterThan(silenceAt - 50);
    expect(silentAt - silenceAt).toBeLessThan(2000);
  });

  it('records nothing for an armed commitment fulfilled before it is due', async () => {
    await open('armed-kept', 'ENTERPRISE', 5);
    const dueAt = new Date(Date.now() + 3000);
    await commit('armed-kept', 'kept', dueAt);
    expect(await monitor.scanOnce()).toMatchObject({ deadlinesArmed: 1 });
    await run(new FulfilCommitmentCommand({ accountId: 'armed-kept', commitmentId: 'kept' }, context));
    expect(Date.now()).toBeLessThan(dueAt.getTime());
    await new Promise((resolve) => setTimeout(resolve, dueAt.getTime() - Date.now() + 500));
    expect(await eventTypes('armed-kept')).toEqual([
      'AccountOpened',
      'CommitmentMade',
      'CommitmentFulfilled',
    ]);
  });

  it('ends a fulfilment racing the scan with one consistent outcome', async () => {
    await open('race-acct', 'MIDMARKET', 5);
    const ids = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    for (const id of ids) await commit('race-acct', id, new Date(Date.now() + 400));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Now every one is due: the scan and the fulfilments race.
    await Promise.all([
      monitor.scanOnce(),
      ...ids.map((commitmentId) =>
        commands.execute(new FulfilCommitmentCommand({ accountId: 'race-acct', commitmentId }, context)),
      ),
    ]);
    const byCommitment = new Map<string, string[]>();
    for await (const event of moduleRef.get(EventStore).readStream(accountStreamName('race-acct'))) {
      const data = event.data as { commitmentId?: string; onTime?: boolean; lateAfterMissed?: boolean };
      if (!data.commitmentId || event.type === 'CommitmentMade') continue;
      const tag =
        event.type === 'CommitmentFulfilled'
          ? `Fulfilled(onTime=${data.onTime},afterMiss=${data.lateAfterMissed})`
          : event.type;
      byCommitment.set(data.commitmentId, [...(byCommitment.get(data.commitmentId) ?? []), tag]);
    }
    for (const id of ids) {
      // Fulfilled after the due time: late; missed first only if the scan got there first.
      expect([
        ['Fulfilled(onTime=false,afterMiss=false)'],
        ['CommitmentMissed', 'Fulfilled(onTime=false,afterMiss=true)'],
      ]).toContainEqual(byCommitment.get(id));
    }
  });
});
