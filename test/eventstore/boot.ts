import { Test, type TestingModule } from '@nestjs/testing';

import { AppConfigModule, type Environment } from '#config';
import { EventStoreModule, type EventStoreModuleOptions } from '#eventstore';

/** Boots the event-store module as the app does: the embedded store unless `env` names another. */
export async function bootEventStore(
  env: Environment,
  options?: EventStoreModuleOptions,
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot({ env: { NODE_ENV: 'test', ...env } }),
      EventStoreModule.forRoot(options),
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
