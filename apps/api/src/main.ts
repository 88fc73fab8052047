import './heap-growth.js';
import 'reflect-metadata';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import { ConfigValidationError } from '#config';
import { guardEventStoreClientFaults } from '#eventstore';

import { createApp, startApp } from './app.factory.js';

async function main(): Promise<void> {
  let app: NestFastifyApplication;
  try {
    app = await createApp();
  } catch (error) {
    // A configuration error is the operator's to fix: print the list, not a stack trace.
    // Anything else has already been logged by Nest while building the application.
    if (error instanceof ConfigValidationError) process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = app.get(Logger);
  // The event-store client loses a rejection when its connection drops mid-append; the append
  // itself has failed to its caller already, so that must not end the service.
  guardEventStoreClientFaults({
    warn: (entry) => logger.warn(entry, 'EventStoreClient'),
    fatal: (entry) => logger.fatal(entry, 'Main'),
  });
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const signal of signals) {
    process.once(signal, () => app.get(Logger).log({ msg: `Shutting down on ${signal}`, signal }, 'Main'));
  }
  // Exit 0 after a clean shutdown rather than re-raising the signal.
  app.enableShutdownHooks([...signals], { useProcessExit: true });
  try {
    await startApp(app);
  } catch (error) {
    app.get(Logger).fatal({ msg: 'Could not start listening', err: error }, 'Main');
    await app.close();
    process.exit(1);
  }
}

await main();
