import type { Rule } from './config-rules.js';
import type { EnvReader } from './env-reader.js';

/** Shortest METRICS_TOKEN accepted: a token short enough to guess protects nothing. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** What a bearer token may hold (RFC 6750's token68 characters): anything else could not be sent. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * METRICS_TOKEN: unset leaves GET /metrics open (for a scraper on an internal network); set, the
 * scraper must send it as `Authorization: Bearer <token>`. Never echoed in an error.
 */
export function readMetricsToken(reader: EnvReader): string | undefined {
  const rule: Rule<string> = {
    rule:
      `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters of letters, digits and - . _ ~ + / ` +
      '(a bearer token)',
    parse: (raw) =>
      raw.length >= MIN_METRICS_TOKEN_LENGTH && TOKEN68.test(raw) ? { ok: true, value: raw } : { ok: false },
  };
  return reader.optional('METRICS_TOKEN', rule, { secret: true });
}
