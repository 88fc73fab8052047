import { parseArgs } from 'node:util';

import { DEFAULT_REBUILD_SCHEMA, checkRebuildSchemaName } from '#read-model';

export const USAGE = `usage: npm run projections:rebuild -- [--batch-size N] [--schema NAME]

Rebuilds the account read model from the event store into fresh tables and switches the
live read model over to them once they have caught up. Configuration comes from the same
variables as the api: EVENTSTORE_CONNECTION_STRING, DATABASE_URL, DATA_DIR, LOG_LEVEL.

  --batch-size N   most events per transaction (default 500)
  --schema NAME    the working schema the fresh tables are filled in (default ${DEFAULT_REBUILD_SCHEMA})
  --help           this text`;

export interface RebuildArgs {
  readonly help: boolean;
  readonly batchSize: number;
  readonly schema: string;
}

/** Bad command-line arguments; the message names the argument and the rule. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseRebuildArgs(argv: readonly string[]): RebuildArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'batch-size': { type: 'string' },
        schema: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const rawBatchSize = values['batch-size'];
  const batchSize = rawBatchSize === undefined ? 500 : Number(rawBatchSize);
  if (!/^\d+$/.test(rawBatchSize ?? '500') || !Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new UsageError(
      `--batch-size: must be a whole number of events, at least 1 (got "${rawBatchSize}")`,
    );
  }
  const schema = values.schema ?? DEFAULT_REBUILD_SCHEMA;
  try {
    checkRebuildSchemaName(schema);
  } catch (error) {
    throw new UsageError(`--${(error as Error).message}`);
  }
  return { help: values.help ?? false, batchSize, schema };
}
