import { badUserInput } from '../../http/validation.js';

/** Where an alert sits in the list's order (newest first): when it was raised, then its id. */
export interface AlertPlace {
  readonly raisedAt: number;
  readonly id: string;
}

export function encodeAlertCursor(alert: { raisedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([alert.raisedAt.getTime(), alert.id])).toString('base64url');
}

export function decodeAlertCursor(cursor: string): AlertPlace {
  let place: unknown;
  try {
    place = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    place = undefined;
  }
  if (
    !Array.isArray(place) ||
    place.length !== 2 ||
    !Number.isSafeInteger(place[0]) ||
    typeof place[1] !== 'string' ||
    place[1].length === 0
  ) {
    throw badUserInput([{ path: 'after', message: 'is not a cursor this field returned' }]);
  }
  return { raisedAt: place[0] as number, id: place[1] };
}
