import { fingerprintOf } from '../shared/fingerprint.js';

/**
 * What makes two MakeCommitment requests with the same id the same. `madeAt` is left out (it
 * defaults to now, so a retry that omits it still matches); when given it is compared on its own.
 */
export function commitmentFingerprintOf(content: {
  readonly title: string;
  readonly description: string | null;
  readonly ownerId: string;
  readonly dueAt: string;
  readonly touchpointId: string | null;
}): string {
  return fingerprintOf([
    content.title,
    content.description,
    content.ownerId,
    content.dueAt,
    content.touchpointId,
  ]);
}
