import { badUserInput } from '../../http/validation.js';

/** Where an entry sits in a timeline's order: business time, then its revision in the stream. */
export interface TimelinePlace {
  readonly at: number;
  readonly revision: bigint;
}

/** The cursor names an entry by its place in the order, so a page never skips or repeats. */
export function encodeTimelineCursor(entry: { occurredAt: Date; revision: bigint }): string {
  return Buffer.from(`${entry.occurredAt.getTime()}:${entry.revision}`).toString('base64url');
}

export function decodeTimelineCursor(cursor: string): TimelinePlace {
  const [at, revision] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!/^\d{1,15}$/.test(at ?? '') || !/^\d{1,19}$/.test(revision ?? '')) {
    throw badUserInput([{ path: 'after', message: 'is not a cursor this field returned' }]);
  }
  return { at: Number(at), revision: BigInt(revision) };
}

/** `first` must be a whole number from 0 to the cap. */
export function checkPageSize(first: number, max: number, path = 'first'): void {
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw badUserInput([{ path, message: `must be a whole number from 0 to ${max}` }]);
  }
}
