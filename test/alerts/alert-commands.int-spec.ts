// The alert write side against the embedded event store: an alert is raised once however many
// writers race to raise it, and people act on alerts by role.
import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';

import {
  AccountCommandExecutor,
  Clock,
  OpenAccountCommand,
  SYSTEM_PRINCIPAL,
  type CommandContext,
} from '#account-commands';
import {
  AcknowledgeAlertCommand,
  AlertCommandExecutor,
  AlertCommandsModule,
  ResolveAlertCommand,
} from '#alert-commands';
import { alertIdOf, alertStreamName, type AlertCommand } from '#alerts';
import { principal, type Role } from '#auth';
import { AppConfigModule } from '#config';
import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore, EventStoreModule } from '#eventstore';

import { tempDir } from '../support/helpers.js';

const system: CommandContext = { principal: SYSTEM_PRINCIPAL, correlationId: 'test', causationId: 'test' };
const as = (id: string, role: Role): CommandContext => ({
  principal: principal(id, [role], 'api-key'),
  correlationId: 'test',
  causationId: 'test',
});

const raise = (alertId: string, accountId: string): AlertCommand => ({
  type: 'RaiseAlert',
  data: {
    alertId,
    kind: 'NEGATIVE_MOMENT_OF_TRUTH',
    severity: 'HIGH',
    accountId,
    subject: 't-1',
    title: 'A bad moment of truth (CALL)',
    detail: null,
    cause: 'evt-1',
  },
});

describe('alert commands', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let moduleRef: TestingModule;
  let store: EventStore;
  let executor: AlertCommandExecutor;
  let commands: CommandBus;

  beforeAll(async () => {
    dir = await tempDir('alert-commands');
    server = await EmbeddedEventStore.start({ dataDir: `${dir.path}/eventstore` });
    moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot({
          env: {
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            EVENTSTORE_CONNECTION_STRING: server.connectionString,
          },
        }),
        EventStoreModule.forRoot(),
        AlertCommandsModule,
      ],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    store = moduleRef.get(EventStore);
    executor = moduleRef.get(AlertCommandExecutor);
    commands = moduleRef.get(CommandBus);
    for (const [id, ownerId] of [
      ['acme', 'am-1'],
      ['globex', 'am-2'],
    ]) {
      await commands.execute(
        new OpenAccountCommand({ id, name: id, tier: 'ENTERPRISE', ownerId } as never, system),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await moduleRef?.close();
    await server?.stop();
    await dir?.remove();
  });

  const typesIn = async (alertId: string) => {
    const types: string[] = [];
    for await (const event of store.readStream(alertStreamName(alertId))) types.push(event.type);
    return types;
  };

  it('raises an alert once: a second raise is a duplicate, even from a writer that never saw the first', async () => {
    const alertId = alertIdOf('NEGATIVE_MOMENT_OF_TRUTH', 'acme', 't-1', 't-1');
    expect((await executor.execute(raise(alertId, 'acme'), system)).outcome).toBe('created');
    expect((await executor.execute(raise(alertId, 'acme'), system)).outcome).toBe('duplicate');
    // Another process: its own cache, which knows nothing of the stream.
    const other = new AlertCommandExecutor(
      store,
      moduleRef.get(Clock),
      moduleRef.get(AccountCommandExecutor),
    );
    expect((await other.execute(raise(alertId, 'acme'), system)).outcome).toBe('duplicate');
    expect(await typesIn(alertId)).toEqual(['AlertRaised']);
  });

  it('lets concurrent writers in separate processes raise the same alert only once', async () => {
    const alertIds = Array.from({ length: 10 }, (_, i) =>
      alertIdOf('ACCOUNT_SILENT', 'acme', null, `race-${i}`),
    );
    const writers = Array.from(
      { length: 4 },
      () => new AlertCommandExecutor(store, moduleRef.get(Clock), moduleRef.get(AccountCommandExecutor)),
    );
    const outcomes = await Promise.all(
      alertIds.flatMap((alertId) =>
        writers.map(async (writer) => (await writer.execute(raise(alertId, 'acme'), system)).outcome),
      ),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(alertIds.length);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(alertIds.length * (writers.length - 1));
    for (const alertId of alertIds) expect(await typesIn(alertId)).toEqual(['AlertRaised']);
  });

  it("lets account managers act on their own accounts' alerts only, and integrations on none", async () => {
    const mine = alertIdOf('NEGATIVE_MOMENT_OF_TRUTH', 'acme', 't-2', 't-2');
    const theirs = alertIdOf('NEGATIVE_MOMENT_OF_TRUTH', 'globex', 't-3', 't-3');
    await executor.execute(raise(mine, 'acme'), system);
    await executor.execute(raise(theirs, 'globex'), system);
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? 'unexpected',
      );

    expect(
      await codeOf(
        commands.execute(
          new AcknowledgeAlertCommand({ alertId: theirs, note: null }, as('am-1', 'account_manager')),
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        commands.execute(
          new AcknowledgeAlertCommand(
            { alertId: 'no-such-alert', note: null },
            as('am-1', 'account_manager'),
          ),
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        commands.execute(
          new ResolveAlertCommand({ alertId: mine, reason: 'done' }, as('crm', 'integration')),
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(await typesIn(theirs)).toEqual(['AlertRaised']);

    const acknowledged = await commands.execute(
      new AcknowledgeAlertCommand({ alertId: mine, note: 'calling them' }, as('am-1', 'account_manager')),
    );
    expect(acknowledged).toMatchObject({ outcome: 'created', state: { status: 'ACKNOWLEDGED' } });
    const resolved = await commands.execute(
      new ResolveAlertCommand({ alertId: theirs, reason: 'handled' }, as('lead', 'leader')),
    );
    expect(resolved).toMatchObject({ outcome: 'created', state: { status: 'RESOLVED' } });
    // Resolving again changes nothing; acknowledging a resolved alert is a conflict.
    expect(
      (
        await commands.execute(
          new ResolveAlertCommand({ alertId: theirs, reason: 'again' }, as('lead', 'leader')),
        )
      ).outcome,
    ).toBe('unchanged');
    expect(
      await codeOf(
        commands.execute(new AcknowledgeAlertCommand({ alertId: theirs, note: null }, as('lead', 'leader'))),
      ),
    ).toBe('CONFLICT');

    const events = [];
    for await (const event of store.readStream(alertStreamName(mine))) events.push(event);
    expect(events.map((e) => [e.type, e.data.by ?? null, e.metadata.principal])).toEqual([
      ['AlertRaised', null, 'system'],
      ['AlertAcknowledged', 'am-1', 'am-1'],
    ]);
  });
});
