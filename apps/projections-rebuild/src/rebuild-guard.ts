import pg from 'pg';

/** Held for a whole rebuild, so that a second one against the same database is refused. */
const REBUILD_LOCK_KEY = 72_011_118;

/**
 * A session-level advisory lock on its own connection (the read model's pool hands connections
 * around, so a lock taken through it would not stay with anyone). Resolves undefined when
 * another rebuild holds it.
 */
export async function takeRebuildLock(
  databaseUrl: string,
): Promise<{ release(): Promise<void> } | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A lost connection loses the lock too; the rebuild itself then fails on its own connections.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ taken: boolean }>('select pg_try_advisory_lock($1) as taken', [
      REBUILD_LOCK_KEY,
    ]);
    if (rows[0]?.taken) return { release: () => client.end() };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end();
  return undefined;
}
