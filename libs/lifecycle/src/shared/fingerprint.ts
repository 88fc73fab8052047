import { createHash } from 'node:crypto';

import type { Json } from './json.js';

/**
 * A short, deterministic digest of some content (128 bits of SHA-256, base64url), so state
 * can remember every idempotency key at any distance without keeping the content itself.
 * Callers pass values in a fixed order; changing that order invalidates cached snapshots.
 */
export function fingerprintOf(values: readonly Json[]): string {
  const digest = createHash('sha256').update(JSON.stringify(values)).digest('base64url');
  // Copied out rather than sliced: V8 keeps a slice as a view of its whole string, so each of the
  // state's fingerprints would hold all 43 characters of its digest for as long as the state lives.
  return Buffer.from(digest, 'latin1').toString('latin1', 0, 22);
}
