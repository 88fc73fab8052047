import { fingerprintOf } from '../shared/fingerprint.js';
import type { TouchpointRecorded } from './touchpoint.events.js';

/** The touchpoint as sent, normalised; derived fields (stage, qualifying) are not content. */
export type TouchpointContent = Omit<
  TouchpointRecorded['data'],
  'accountId' | 'touchpointId' | 'stage' | 'qualifying'
>;

/** What makes two touchpoints with the same id the same. */
export function touchpointFingerprintOf(content: TouchpointContent): string {
  return fingerprintOf([
    content.occurredAt,
    content.channel,
    content.direction,
    content.pillar,
    content.sentiment,
    content.momentOfTruth,
    content.summary,
    content.actorId,
    content.participants,
    content.source,
    content.externalRef,
  ]);
}
