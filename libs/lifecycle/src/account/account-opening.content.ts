import { fingerprintOf } from '../shared/fingerprint.js';
import type { LifecycleStage } from './lifecycle-stage.enum.js';
import type { Tier } from './tier.enum.js';

/**
 * What makes two OpenAccount requests the same. `openedAt` is left out: it defaults to now,
 * so a retry that omits it still matches; when given it is compared on its own.
 */
export function openingFingerprintOf(opening: {
  readonly name: string;
  readonly tier: Tier;
  readonly ownerId: string;
  readonly stage: LifecycleStage;
  readonly cadenceDays: number | null;
}): string {
  return fingerprintOf([opening.name, opening.tier, opening.ownerId, opening.stage, opening.cadenceDays]);
}
