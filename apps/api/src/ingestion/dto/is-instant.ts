import { IsISO8601 } from 'class-validator';

/** An ISO-8601 timestamp with a date, a time and a zone (`2026-05-01T09:30:00Z`). */
export function IsInstant(): PropertyDecorator {
  return IsISO8601(
    { strict: true, strictSeparator: true },
    { message: '$property must be an ISO-8601 timestamp with a time zone, e.g. 2026-05-01T09:30:00Z' },
  );
}
