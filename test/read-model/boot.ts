import { Test, type TestingModule } from '@nestjs/testing';

import { AppConfigModule } from '#config';
import { EventStore, EventStoreModule, createEvent, startedBy, type Position } from '#eventstore';
import { accountStreamName, type AccountEvent } from '#lifecycle';
import { ReadModelModule, type AccountProjectorOptions } from '#read-model';

import type { FreshDatabase } from './databases.js';

/** Boots config, the event store at `connectionString` and the read model, as the api does. */
export async function bootReadModel(
  database: FreshDatabase,
  connectionString: string,
  projector: AccountProjectorOptions = {},
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot({
        env: {
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          EVENTSTORE_CONNECTION_STRING: connectionString,
          ...database.env,
        },
      }),
      EventStoreModule.forRoot(),
      ReadModelModule.forRoot({ projector }),
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef;
}

const context = startedBy('cmd-test', 'system:test');

/** Appends each account's events to its stream; returns the position of the last append. */
export async function appendAll(store: EventStore, list: readonly AccountEvent[]): Promise<Position> {
  let last: Position | undefined;
  for (const event of list) {
    const result = await store.append(
      accountStreamName(event.data.accountId),
      [createEvent(event.type, event.data, context)],
      'any',
    );
    last = result.position;
  }
  if (last === undefined) throw new Error('nothing appended');
  return last;
}

/** Appends whole histories, one append per stream and chunk (faster for volume). */
export async function appendHistories(
  store: EventStore,
  histories: readonly AccountEvent[][],
  chunk = 50,
): Promise<Position> {
  let last: Position | undefined;
  for (let offset = 0; histories.some((h) => h.length > offset); offset += chunk) {
    for (const history of histories) {
      const part = history.slice(offset, offset + chunk);
      if (part.length === 0) continue;
      const result = await store.append(
        accountStreamName(part[0].data.accountId),
        part.map((event) => createEvent(event.type, event.data, context)),
        'any',
      );
      last = result.position;
    }
  }
  if (last === undefined) throw new Error('nothing appended');
  return last;
}
