import { createHash, timingSafeEqual } from 'node:crypto';

import type { Principal } from './principal.js';

export interface RegisteredApiKey {
  readonly secret: string;
  readonly principal: Principal;
}

type Equal = (a: Buffer, b: Buffer) => boolean;

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Looks up API keys in constant time: only SHA-256 digests are kept and compared, so every
 * comparison is of 32 bytes whatever the length presented, and every key is compared on
 * every lookup, so the position of a match does not show in the timing either.
 */
export class ApiKeyRegistry {
  private readonly entries: readonly { readonly digest: Buffer; readonly principal: Principal }[];

  constructor(
    keys: readonly RegisteredApiKey[],
    /** The comparison; tests observe it, everyone else keeps `timingSafeEqual`. */
    private readonly equal: Equal = timingSafeEqual,
  ) {
    this.entries = keys.map((key) => ({ digest: sha256(key.secret), principal: key.principal }));
  }

  get size(): number {
    return this.entries.length;
  }

  lookup(secret: string): Principal | undefined {
    const digest = sha256(secret);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      // No early exit: the loop always runs to the end.
      const match = this.equal(digest, entry.digest);
      found = match && found === undefined ? entry.principal : found;
    }
    return found;
  }
}
