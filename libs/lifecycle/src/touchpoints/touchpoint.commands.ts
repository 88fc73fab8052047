import type { Instant } from '../shared/instant.js';
import type { Command } from '../shared/json.js';
import type { Channel } from './channel.enum.js';
import type { Direction } from './direction.enum.js';
import type { Pillar } from './pillar.enum.js';
import type { Sentiment } from './sentiment.enum.js';

export type RecordTouchpoint = Command<
  'RecordTouchpoint',
  {
    /** The idempotency key: the caller's, or one generated before the command is built. */
    readonly touchpointId: string;
    readonly accountId: string;
    /** At most 5 minutes after now. */
    readonly occurredAt: Instant;
    readonly channel: Channel;
    readonly direction: Direction;
    readonly pillar: Pillar;
    readonly sentiment?: Sentiment | null;
    /** Default false. */
    readonly momentOfTruth?: boolean | null;
    readonly summary?: string | null;
    readonly actorId?: string | null;
    /** Default []. */
    readonly participants?: readonly string[] | null;
    readonly source: string;
    readonly externalRef?: string | null;
  }
>;
