import type { Channel, Direction, LifecycleStage, Pillar, Sentiment } from '#lifecycle';

/** The contract's Touchpoint, plus whether it is a qualifying touch. */
export type TouchpointView = {
  readonly id: string;
  readonly accountId: string;
  /** Business time. */
  readonly occurredAt: Date;
  /** When the service learnt of it. */
  readonly recordedAt: Date;
  readonly channel: Channel;
  readonly direction: Direction;
  readonly pillar: Pillar;
  readonly sentiment: Sentiment | null;
  readonly momentOfTruth: boolean;
  /** The stage the account was in at occurredAt. */
  readonly stage: LifecycleStage;
  readonly summary: string | null;
  readonly actorId: string | null;
  readonly participants: readonly string[];
  readonly source: string;
  readonly externalRef: string | null;
  readonly qualifying: boolean;
};
