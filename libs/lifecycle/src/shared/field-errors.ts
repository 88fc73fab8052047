import { DomainError, type FieldError } from '../domain-error.js';
import { instantRangeProblem, parseInstant } from './instant.js';
import { LIMITS } from './limits.js';

/** Collects every bad field of one command, then throws them all at once. */
export class FieldErrors {
  private readonly errors: FieldError[] = [];

  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw DomainError.badUserInput(this.errors);
  }
}

const length = (value: string): number => [...value].length;

/** Half of a surrogate pair without its other half. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with text no store can keep as it is, or `undefined`: PostgreSQL refuses NUL in
 * text and JSON, and unpaired surrogates are not Unicode. Accepted, such text was written to the
 * event store and then stopped every projection at that event, again at each retry.
 */
export function unstorableTextProblem(value: string): string | undefined {
  return value.includes('\u0000') || UNPAIRED_SURROGATE.test(value)
    ? 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates'
    : undefined;
}

type TextRule = { readonly max: number; readonly required: boolean };

/** A string of 1..max characters (code points), not blank; absent allowed unless required. */
export function checkText(errors: FieldErrors, path: string, value: unknown, rule: TextRule): void {
  if (value === undefined || value === null) {
    if (rule.required) errors.add(path, 'is required');
    return;
  }
  if (typeof value !== 'string') return errors.add(path, 'must be a string');
  if (value.trim().length === 0) return errors.add(path, 'must not be blank');
  if (length(value) > rule.max) return errors.add(path, `must be at most ${rule.max} characters`);
  const unstorable = unstorableTextProblem(value);
  if (unstorable) errors.add(path, unstorable);
}

/** Free text that may be empty (a summary), capped at max. */
export function checkOptionalFreeText(errors: FieldErrors, path: string, value: unknown, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') return errors.add(path, 'must be a string');
  if (length(value) > max) return errors.add(path, `must be at most ${max} characters`);
  const unstorable = unstorableTextProblem(value);
  if (unstorable) errors.add(path, unstorable);
}

export function checkAccountId(errors: FieldErrors, path: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return errors.add(path, 'is required');
  if (typeof value !== 'string' || !LIMITS.accountIdPattern.test(value)) {
    errors.add(path, 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$');
  }
}

/** Caller-chosen (or generated) idempotency keys of touchpoints and commitments. */
export function checkItemId(errors: FieldErrors, path: string, value: unknown, required = true): void {
  checkText(errors, path, value, { max: LIMITS.itemIdMaxLength, required });
}

export function checkOneOf(
  errors: FieldErrors,
  path: string,
  value: unknown,
  allowed: readonly string[],
  required = true,
): void {
  if (value === undefined || value === null) {
    if (required) errors.add(path, 'is required');
    return;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    errors.add(path, `must be one of ${allowed.join(', ')}`);
  }
}

export function checkBoolean(errors: FieldErrors, path: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean')
    errors.add(path, 'must be a boolean');
}

type InstantRule = {
  readonly required: boolean;
  /** When given, the instant may be at most {@link LIMITS.maxClockSkewMs} after it. */
  readonly notAfter?: number;
};

/**
 * A valid instant. Returns its milliseconds, or undefined when absent or bad (an error is
 * recorded unless it is absent and optional).
 */
export function checkInstant(
  errors: FieldErrors,
  path: string,
  value: unknown,
  rule: InstantRule,
): number | undefined {
  if (value === undefined || value === null) {
    if (rule.required) errors.add(path, 'is required');
    return undefined;
  }
  const at = parseInstant(value);
  if (at === undefined) {
    errors.add(path, 'must be an ISO-8601 date-time with a time zone');
    return undefined;
  }
  const outOfRange = instantRangeProblem(at);
  if (outOfRange) {
    errors.add(path, outOfRange);
    return undefined;
  }
  if (rule.notAfter !== undefined && at - rule.notAfter > LIMITS.maxClockSkewMs) {
    errors.add(path, 'must not be more than 5 minutes in the future');
    return undefined;
  }
  return at;
}

/** null (no agreed cadence) or a whole number of days in range. */
export function checkCadence(errors: FieldErrors, path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < LIMITS.cadenceMinDays ||
    value > LIMITS.cadenceMaxDays
  ) {
    errors.add(
      path,
      `must be a whole number of days from ${LIMITS.cadenceMinDays} to ${LIMITS.cadenceMaxDays}`,
    );
  }
}
