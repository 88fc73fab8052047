import { createHash } from 'node:crypto';

import type { Json } from './json.js';

/**
 * A short, deterministic digest of some content (128 bits of SHA-256, base64url), so state
 * can remember every idempotency key at any distance without keeping the content itself.
 * Callers pass values in a fixed order; changing that order invalidates cached snapshots.
 */
export function fingerprintOf(values: readonly Json[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}
