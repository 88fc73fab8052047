/** The stream moved on since it was loaded: reload, decide again, retry (bounded). */
export class ConcurrencyConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor(
    readonly streamName: string,
    /** What the caller expected: a revision (-1n = no stream) or `any`/`no_stream`/`stream_exists`. */
    readonly expectedRevision: bigint | string,
    /** The stream's revision when the append was refused; -1n when it does not exist. */
    readonly actualRevision: bigint | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `Stream ${streamName} is at revision ${actualRevision ?? 'unknown'}, expected ${expectedRevision}`,
      options,
    );
    this.name = 'ConcurrencyConflictError';
  }
}
