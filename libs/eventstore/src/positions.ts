import type { Position } from '@eventstore/db-client';

/** Orders `$all` positions: negative when `a` comes first. Positions grow but are not consecutive. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
