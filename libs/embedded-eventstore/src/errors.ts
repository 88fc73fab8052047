import type { ExpectedRevision } from './storage/event-log.js';

/** The stream is not at the revision the writer expected. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision; undefined when the stream does not exist. */
    readonly current: bigint | undefined,
  ) {
    super(
      `wrong expected version for ${stream}: expected ${String(expected)}, current ${current ?? 'no stream'}`,
    );
  }
}

/** The stream was tombstoned: it can never be read or written again. */
export class StreamDeletedError extends Error {
  constructor(readonly stream: string) {
    super(`stream ${stream} is deleted`);
  }
}

/** The files on disk are damaged: the store refuses to serve them. */
export class CorruptEventLogError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`event log ${file} is corrupt:\n- ${problems.join('\n- ')}`);
  }
}
