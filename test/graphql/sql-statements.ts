// Counts the SQL statements the read model's database runs while a request is answered.
import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ReadModelDatabase } from '#read-model';

import { delay, waitFor } from '../support/helpers.js';

/** Drizzle prepares every statement it runs through a session, whichever the driver. */
interface DrizzleSession {
  prepareQuery(query: { sql: string }, ...rest: unknown[]): unknown;
}

/**
 * The SQL of every statement the read model's database ran during `request`, in order: those
 * Drizzle built (the database's own session and every transaction's, which share its class) and
 * the fixed ones run through `ReadModelDatabase.run`. Other connections (the worker lease's own)
 * are not the read model's; anything else using it meanwhile is counted: see {@link untilIdle}.
 */
export async function statementsDuring(
  app: NestFastifyApplication,
  request: () => Promise<unknown>,
): Promise<string[]> {
  const database = app.get(ReadModelDatabase);
  const { session } = database.db as unknown as { session: DrizzleSession };
  const built = jest.spyOn(Object.getPrototypeOf(session) as DrizzleSession, 'prepareQuery');
  const fixed = jest.spyOn(database, 'run');
  try {
    await request();
    const inOrder: Array<[number, string]> = [
      ...built.mock.calls.map(([query], i): [number, string] => [
        built.mock.invocationCallOrder[i],
        query.sql,
      ]),
      ...fixed.mock.calls.map(([statement], i): [number, string] => [
        fixed.mock.invocationCallOrder[i],
        statement.text,
      ]),
    ];
    return inOrder.sort(([a], [b]) => a - b).map(([, sql]) => sql);
  } finally {
    built.mockRestore();
    fixed.mockRestore();
  }
}

/**
 * Waits until nothing in the background uses the database (the projectors and the alert policy
 * have caught up with what was written), so that what a request runs can be counted alone.
 */
export async function untilIdle(app: NestFastifyApplication): Promise<void> {
  await waitFor(
    async () => (await statementsDuring(app, () => delay(300))).length === 0,
    30_000,
    'the read model to be idle',
  );
}
