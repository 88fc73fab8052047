// Runs the account projector on its own (the worker role, and the crash tests' child process):
//   node dist/apps/projector/src/main.js [--progress] [--batch-size N]
// Configuration comes from the same variables as the api (EVENTSTORE_CONNECTION_STRING,
// DATABASE_URL, DATA_DIR, LOG_LEVEL). --progress prints one JSON line per stored batch.
import 'reflect-metadata';

import { parseArgs } from 'node:util';

import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppConfigModule, ConfigValidationError, readConfig } from '#config';
import { guardEventStoreClientFaults } from '#eventstore';
import { AccountProjector } from '#read-model';

import { ProjectorModule } from './projector.module.js';

const { values } = parseArgs({
  options: { progress: { type: 'boolean', default: false }, 'batch-size': { type: 'string' } },
  strict: true,
});
const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
  process.stderr.write(
    `--batch-size: must be a whole number of events, at least 1 (got "${values['batch-size']}")\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(
    ProjectorModule.register(await AppConfigModule.forRoot({ config }), batchSize),
    { bufferLogs: true, abortOnError: false },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  guardEventStoreClientFaults({
    warn: (entry) => logger.warn(entry, 'EventStoreClient'),
    fatal: (entry) => logger.fatal(entry, 'Main'),
  });
  const projector = app.get(AccountProjector);
  if (values.progress) {
    projector.onBatchApplied((applied, position) => {
      process.stdout.write(
        `${JSON.stringify({ progress: true, applied, total: projector.eventsApplied, commit: position.commit.toString() })}\n`,
      );
    });
  }
  app.enableShutdownHooks(['SIGINT', 'SIGTERM'], { useProcessExit: true });
  await app.init();
  await projector.start();
  const from = projector.position?.commit.toString() ?? null;
  process.stdout.write(`${JSON.stringify({ started: true, commit: from })}\n`);
}

await main();
