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
 * The SQL of every statement the read model's database ran during `request`, in order: those of
 * the database's own session and of every transaction's (they share the session's class). Anything
 * else using the database meanwhile is counted too: see {@link untilIdle}.
 */
export async function statementsDuring(
  app: NestFastifyApplication,
  request: () => Promise<unknown>,
): Promise<string[]> {
  const { session } = app.get(ReadModelDatabase).db as unknown as { session: DrizzleSession };
  const prepared = jest.spyOn(Object.getPrototypeOf(session) as DrizzleSession, 'prepareQuery');
  try {
    await request();
    return prepared.mock.calls.map(([query]) => query.sql);
  } finally {
    prepared.mockRestore();
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
