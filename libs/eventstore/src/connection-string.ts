/** Keeps credentials (`esdb://user:password@host`) out of the logs. */
export function redact(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/?]*@/, '//***@');
}
