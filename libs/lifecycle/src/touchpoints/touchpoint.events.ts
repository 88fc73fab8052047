import type { LifecycleStage } from '../account/lifecycle-stage.enum.js';
import type { Event } from '../shared/json.js';
import type { Channel } from './channel.enum.js';
import type { Direction } from './direction.enum.js';
import type { Pillar } from './pillar.enum.js';
import type { Sentiment } from './sentiment.enum.js';

export type TouchpointRecorded = Event<
  'TouchpointRecorded',
  {
    readonly accountId: string;
    readonly touchpointId: string;
    readonly occurredAt: string;
    readonly channel: Channel;
    readonly direction: Direction;
    readonly pillar: Pillar;
    readonly sentiment: Sentiment | null;
    readonly momentOfTruth: boolean;
    readonly summary: string | null;
    readonly actorId: string | null;
    readonly participants: readonly string[];
    readonly source: string;
    readonly externalRef: string | null;
    /** The stage the account was in at `occurredAt`. */
    readonly stage: LifecycleStage;
    readonly qualifying: boolean;
  }
>;
