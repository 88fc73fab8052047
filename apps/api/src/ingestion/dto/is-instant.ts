import { isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A point in time: an ISO-8601 timestamp with a date, a time and a zone (`2026-05-01T09:30:00Z`)
 * from JSON, or a valid Date from GraphQL's DateTime scalar.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) =>
          value instanceof Date
            ? !Number.isNaN(value.getTime())
            : typeof value === 'string' &&
              isISO8601(value, { strict: true, strictSeparator: true }) &&
              /T.*(Z|[+-]\d\d:?\d\d)$/i.test(value),
        defaultMessage: () =>
          '$property must be an ISO-8601 timestamp with a time zone, e.g. 2026-05-01T09:30:00Z',
      },
    },
    options,
  );
}
