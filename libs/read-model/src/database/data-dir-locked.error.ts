/** Who holds a PGlite data directory, as its lock file says. */
export interface DataDirLockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** When it took the lock (ISO 8601). */
  readonly since: string;
}

/**
 * Another live process (or this one, through another `ReadModelDatabase`) has the PGlite data
 * directory open. Two PGlite instances on the same files corrupt them, so the open is refused.
 */
export class ReadModelDataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLockHolder,
    readonly lockFile: string,
    /** The holder is this very process. */
    readonly heldHere: boolean,
  ) {
    const problem = heldHere
      ? `is already open in this process (pid ${holder.pid}): close that ReadModelDatabase first`
      : `is in use by process ${holder.pid} on ${holder.hostname} (since ${holder.since}). Stop that ` +
        `process, or give this one another DATA_DIR or a DATABASE_URL; if no such process is running, ` +
        `delete ${lockFile}`;
    super(
      `The read model's PGlite data directory ${dataDir} ${problem}. Two PGlite instances on the ` +
        `same files would corrupt them.`,
    );
    this.name = 'ReadModelDataDirLockedError';
  }
}
