import { integer, text } from './config-rules.js';
import type { EnvReader } from './env-reader.js';

/** Requests a credential may send per minute unless RATE_LIMIT_PER_MINUTE says otherwise. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;

export interface HttpProtectionConfig {
  readonly rateLimitPerMinute: number;
  readonly corsOrigins: readonly string[];
}

/**
 * RATE_LIMIT_PER_MINUTE (0 turns the limit off) and CORS_ORIGINS (none: no CORS headers at all,
 * so browsers on other origins cannot call the API).
 */
export function readHttpProtection(reader: EnvReader): HttpProtectionConfig {
  return {
    rateLimitPerMinute: reader.read(
      'RATE_LIMIT_PER_MINUTE',
      integer({ min: 0, max: 1_000_000 }),
      DEFAULT_RATE_LIMIT_PER_MINUTE,
    ),
    corsOrigins: readCorsOrigins(reader),
  };
}

/**
 * CORS_ORIGINS: comma-separated origins (`https://app.example.com`, `http://localhost:5173`),
 * compared exactly with a browser's `Origin`; a trailing slash is dropped, duplicates too. Bad
 * entries are all named in one message.
 */
function readCorsOrigins(reader: EnvReader): readonly string[] {
  const raw = reader.optional('CORS_ORIGINS', text());
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins = entries.map(originOf);
  const bad = entries.filter((_entry, index) => origins[index] === undefined);
  if (bad.length > 0) {
    reader.problem(
      'CORS_ORIGINS',
      'every entry must be an origin: http:// or https://, a host and an optional port, no path ' +
        `(e.g. https://app.example.com); not ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`,
    );
    return [];
  }
  return [...new Set(origins as string[])];
}

/** The origin `entry` names (scheme, host, port), or `undefined` when it is anything more or less. */
function originOf(entry: string): string | undefined {
  if (!URL.canParse(entry)) return undefined;
  const url = new URL(entry);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // `new URL` also accepts paths, queries and credentials: an origin has none of them.
  const bare = url.pathname === '/' && !/[?#]/.test(entry) && url.username === '' && url.password === '';
  // Normalised as browsers send it: lower case, no default port, punycode.
  return bare ? url.origin : undefined;
}
