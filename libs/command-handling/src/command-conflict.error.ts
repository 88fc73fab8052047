/** Other writers kept changing the stream while a command was being decided, past the retry budget. */
export class CommandConflictError extends Error {
  readonly code = 'CONFLICT';

  constructor(
    readonly stream: string,
    readonly attempts: number,
  ) {
    super(`${stream} changed under the command ${attempts} times in a row; try again`);
  }
}
