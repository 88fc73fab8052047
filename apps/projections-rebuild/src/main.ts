// Rebuilds the account read model from the event store and switches the live one over:
//   npm run projections:rebuild -- [--batch-size N] [--schema NAME]
// Configuration comes from the same variables as the api (EVENTSTORE_CONNECTION_STRING,
// DATABASE_URL, DATA_DIR, LOG_LEVEL). Progress and the summary go to stdout (a bar on a
// terminal), logs to stderr. Exit codes: 0 switched over, 1 failed or refused (live tables
// unchanged), 2 bad arguments, 130 stopped by a signal.
import 'reflect-metadata';

import { join } from 'node:path';

import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

import { AppConfigModule, readConfig, type AppConfig } from '#config';
import { EventStore, EventStoreConnection } from '#eventstore';
import {
  AccountProjection,
  EventStoreTail,
  ProjectionRebuild,
  ReadModelDatabase,
  RebuildAbortedError,
} from '#read-model';

import { USAGE, UsageError, parseRebuildArgs, type RebuildArgs } from './args.js';
import { processesHolding } from './data-dir-holders.js';
import { ProgressOutput } from './progress-output.js';
import { takeRebuildLock } from './rebuild-guard.js';
import { RebuildModule } from './rebuild.module.js';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * PGlite's files and the embedded event store's can be open in one process only: a second
 * would corrupt them. Refuses while a service (or another rebuild) has them open.
 */
async function refuseSharedDataDir(config: AppConfig): Promise<void> {
  const embedded = [
    ...(config.databaseUrl === undefined ? [{ what: 'the read model (PGlite)', dir: 'readmodel' }] : []),
    ...(config.eventStoreConnectionString === undefined
      ? [{ what: 'the embedded event store', dir: 'eventstore' }]
      : []),
  ];
  for (const { what, dir } of embedded) {
    const path = join(config.dataDir, dir);
    const holders = await processesHolding(path);
    if (holders.length === 0) continue;
    fail(
      `rebuild refused: ${what} in ${path} is in use by ` +
        holders.map((holder) => `process ${holder.pid} (${holder.command})`).join(', ') +
        '.\nIts files can be open in one process only: stop that process and run the rebuild again, ' +
        'or run the services against PostgreSQL (DATABASE_URL) and an external event store ' +
        '(EVENTSTORE_CONNECTION_STRING) to rebuild while they keep serving.',
      1,
    );
  }
}

async function main(): Promise<void> {
  let args: RebuildArgs;
  try {
    args = parseRebuildArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let config: AppConfig;
  try {
    config = readConfig();
  } catch (error) {
    fail(message(error), 1);
  }
  await refuseSharedDataDir(config);
  let lock: { release(): Promise<void> } | undefined;
  if (config.databaseUrl !== undefined) {
    try {
      lock = await takeRebuildLock(config.databaseUrl);
    } catch (error) {
      fail(`rebuild failed: cannot reach the read model's database: ${message(error)}`, 1);
    }
    if (lock === undefined) {
      fail('rebuild refused: another rebuild is running against the same database; wait for it to end', 1);
    }
  }

  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(
      RebuildModule.register(await AppConfigModule.forRoot({ config })),
      { bufferLogs: true, abortOnError: false },
    );
    app.useLogger(app.get(Logger));
    await app.init();
  } catch (error) {
    fail(`rebuild failed: cannot open the read model or the event store: ${message(error)}`, 1);
  }

  const output = new ProgressOutput(process.stdout);
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping the rebuild; the live tables stay as they are\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const rebuild = new ProjectionRebuild({
    database: app.get(ReadModelDatabase),
    eventStore: app.get(EventStore),
    tail: new EventStoreTail(app.get(EventStoreConnection)),
    projectionName: app.get(AccountProjection).name,
    schema: args.schema,
    batchSize: args.batchSize,
    onProgress: (progress) => output.update(progress),
    signal: stop.signal,
  });
  let code = 0;
  try {
    output.finish(await rebuild.run());
  } catch (error) {
    output.abandon();
    if (error instanceof RebuildAbortedError) {
      process.stderr.write(`rebuild stopped: ${error.message}\n`);
      code = 130;
    } else {
      process.stderr.write(`rebuild failed: ${message(error)}\nThe live tables are unchanged.\n`);
      code = 1;
    }
  } finally {
    await app.close();
    await lock?.release().catch(() => undefined);
  }
  process.exit(code);
}

await main();
