// Counts the SQL statements the read model's database runs while a request is answered.
import { jest } from '@jest/globals';
import pg from 'pg';

import { delay, waitFor } from '../support/helpers.js';

type Query = (config: string | { text: string }, ...rest: unknown[]) => unknown;

/**
 * The SQL of every statement the read model's database ran during `request`, in order, as
 * node-postgres sends them (both drivers go through it: PostgreSQL over TCP, PGlite over its
 * thread's ports): Drizzle's, the fixed prepared ones, and every transaction's. Anything else
 * using the database meanwhile is counted too: see {@link untilIdle}.
 */
export async function statementsDuring(request: () => Promise<unknown>): Promise<string[]> {
  const query = jest.spyOn(pg.Client.prototype as unknown as { query: Query }, 'query');
  try {
    await request();
    return query.mock.calls.map(([config]) => (typeof config === 'string' ? config : config.text));
  } finally {
    query.mockRestore();
  }
}

/**
 * Waits until nothing in the background uses the database (the projectors and the alert policy
 * have caught up with what was written), so that what a request runs can be counted alone.
 */
export async function untilIdle(): Promise<void> {
  await waitFor(
    async () => (await statementsDuring(() => delay(300))).length === 0,
    30_000,
    'the read model to be idle',
  );
}
